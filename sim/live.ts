/**
 * Live mode of the request lifecycle: each attempt's Redis call goes to a real server
 * through a `LiveSender` (adapters/live), and its answer comes back on the wall clock. The
 * engine's timeout rule runs on the virtual clock like everywhere else: every attempt arms a
 * deadline and schedules an event at it; the reply or the deadline, whichever comes first,
 * ends the attempt. Requests go to Redis on schedule (open loop) through the client's
 * connection pool — at most `topology.poolSize` in flight per node, the rest waiting in
 * order for one to come back, as in the model (sim/model/timing.ts `Pool`): an attempt still
 * waiting at its deadline fails as a pool timeout, never sent. The tiers are the real system's.
 */
import { Command, ErrorKind, Reply } from "../src/engine/protocol.ts"
import { Deadlines } from "../src/engine/timeout.ts"
import type { Lifecycle } from "./lifecycle.ts"
import type { Mode } from "./mode.ts"
import { K_COMPLETE, K_DEADLINE, KIND_BITS } from "./events.ts"

/** An attempt as it left: what its answer is about, whatever its slot holds by then. */
export interface LiveCall {
  readonly slot: number
  readonly command: number
  readonly bucket: number
  readonly artifact: number
  readonly hunter: number
  /** The request's idempotency key (unique per request). */
  readonly key: number
  /** When it was meant to leave, and its deadline (virtual ms). */
  readonly sendAt: number
  readonly deadline: number
}

/**
 * Sends one attempt for real — at virtual time `at`, later than `call.sendAt` when it waited
 * for a pool connection; must later call `LiveMode.answer` (once, unless the run ended).
 */
export interface LiveSender {
  send(call: LiveCall, at: number): void
}

/**
 * Example: `const mode = new LiveMode(sender, s.topology); const sim = new Simulator(s, { mode })`; the
 * sender calls `mode.answer(call, reply, sentAt, at)` when the store replies.
 */
export class LiveMode implements Mode {
  readonly stops = false
  readonly modelsTiers = false
  readonly openLoop = true
  readonly waiting = false
  private readonly deadlines = new Deadlines()
  /** Requests (by key) that ended in error with no win known: a late win makes them applied-unacknowledged. */
  private readonly failedKeys = new Set<number>()
  private life!: Lifecycle
  private readonly sender: LiveSender
  /** Per node: the pool's size now (topology.poolSize, or a poolShrink's). */
  private readonly cap: Int32Array
  /** Per node: attempts holding a pool connection, and those waiting for one (FIFO from `pendingHead`). */
  private readonly inFlight: Int32Array
  private readonly pending: Array<Array<LiveCall>>
  private readonly pendingHead: Array<number>
  /** Attempts waiting for a connection, by slot (a slot has one attempt out at a time). */
  private readonly queued = new Map<number, LiveCall>()

  constructor(sender: LiveSender, topology: { readonly nodes: number; readonly poolSize: number }) {
    this.sender = sender
    this.cap = new Int32Array(topology.nodes).fill(topology.poolSize)
    this.inFlight = new Int32Array(topology.nodes)
    this.pending = Array.from({ length: topology.nodes }, () => [])
    this.pendingHead = Array.from({ length: topology.nodes }, () => 0)
  }

  attach(life: Lifecycle): void {
    this.life = life
  }

  send(slot: number, sendAt: number, deadline: number): void {
    const c = this.life.client
    this.deadlines.arm(slot, deadline)
    this.life.q.push(deadline, (slot << KIND_BITS) | K_DEADLINE)
    const call = { slot, command: c.command(slot), bucket: c.bucket(slot), artifact: c.artifact(slot), hunter: c.hunter(slot), key: c.key(slot), sendAt, deadline }
    const node = this.life.bucketNode[call.bucket]
    if (this.inFlight[node] < this.cap[node]) {
      this.inFlight[node]++
      this.sender.send(call, sendAt)
    } else {
      this.queued.set(slot, call)
      this.pending[node].push(call)
    }
  }

  expire(slot: number, t: number): void {
    if (!this.deadlines.expire(slot, t)) return
    // Still waiting for a connection: never sent (it leaves the queue when it comes up).
    const pooled = this.queued.delete(slot)
    this.life.client.setResult(slot, pooled ? -ErrorKind.POOL_TIMEOUT : -ErrorKind.TIMEOUT)
    this.life.complete(slot, t)
  }

  failed(slot: number): void {
    this.failedKeys.add(this.life.client.key(slot))
  }

  /** `call` gave its connection back at `at`: the next attempts waiting on its node may go. */
  private release(call: LiveCall, at: number): void {
    const node = this.life.bucketNode[call.bucket]
    this.inFlight[node]--
    this.pump(node, at)
  }

  /** Send what waits on `node` while it has connections free (at virtual time `at`). */
  private pump(node: number, at: number): void {
    const queue = this.pending[node]
    while (this.inFlight[node] < this.cap[node] && this.pendingHead[node] < queue.length) {
      const next = queue[this.pendingHead[node]++]
      if (this.queued.get(next.slot) !== next) continue // it timed out waiting
      this.queued.delete(next.slot)
      this.inFlight[node]++
      this.sender.send(next, at)
    }
    if (this.pendingHead[node] >= queue.length) {
      queue.length = 0
      this.pendingHead[node] = 0
    }
  }

  /**
   * Node `node`'s pool holds `size` connections from `at` (a poolShrink starts or ends):
   * shrunk below those busy, the ones that come back first are closed, as in the model.
   */
  resizePool(node: number, size: number, at: number): void {
    this.cap[node] = size
    this.pump(node, at)
  }

  /**
   * The store answered `call`, which actually left at `sentAt`, at virtual time `at` with
   * `reply` (a Reply; `undefined` for a connection error). A win counts as applied even when
   * the client already gave up (a timeout does not mean "not applied"). `outcome` is what
   * ends the attempt when it is not the reply: a timeout for a win whose WAIT did not see
   * the replica have it. Returns whether the answer ended the attempt — it came in time —
   * so the caller can count its latency.
   */
  answer(call: LiveCall, reply: number | undefined, sentAt: number, at: number, outcome: number | undefined = reply): boolean {
    const life = this.life, c = life.client, slot = call.slot
    this.release(call, at)
    if (reply === Reply.WON) {
      const write = life.storeWin(call.artifact, call.hunter, call.bucket, call.key, sentAt)
      if (this.failedKeys.delete(call.key)) life.appliedUnacknowledged++ // it already ended in error
      else if (c.key(slot) === call.key) c.setWrite(slot, write) // still under way in its slot
    }
    if (reply !== undefined && call.command === Command.CLAIM) life.noteClaim(call.artifact, call.bucket, reply, sentAt)
    if (!this.deadlines.answer(slot, call.deadline, at)) return false
    c.setResult(slot, outcome ?? -ErrorKind.CONNECTION)
    life.q.push(Math.max(at, life.q.time), (slot << KIND_BITS) | K_COMPLETE)
    return true
  }
}
