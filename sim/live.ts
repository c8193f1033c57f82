/**
 * Live mode of the request lifecycle: each attempt's Redis call goes to a real server
 * through a `LiveSender` (adapters/live), and its answer comes back on the wall clock. The
 * engine's timeout rule runs on the virtual clock like everywhere else: every attempt arms a
 * deadline and schedules an event at it; the reply or the deadline, whichever comes first,
 * ends the attempt. Requests go straight to Redis (the tiers are the real system's) and on
 * schedule (open loop).
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

/** Sends one attempt for real; must later call `LiveMode.answer` (once, unless the run ended). */
export interface LiveSender {
  send(call: LiveCall): void
}

/**
 * Example: `const mode = new LiveMode(sender); const sim = new Simulator(s, { mode })`; the
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

  constructor(sender: LiveSender) {
    this.sender = sender
  }

  attach(life: Lifecycle): void {
    this.life = life
  }

  send(slot: number, sendAt: number, deadline: number): void {
    const c = this.life.client
    this.deadlines.arm(slot, deadline)
    this.life.q.push(deadline, (slot << KIND_BITS) | K_DEADLINE)
    this.sender.send({ slot, command: c.command(slot), bucket: c.bucket(slot), artifact: c.artifact(slot), hunter: c.hunter(slot), key: c.key(slot), sendAt, deadline })
  }

  expire(slot: number, t: number): void {
    if (!this.deadlines.expire(slot, t)) return
    this.life.client.setResult(slot, -ErrorKind.TIMEOUT)
    this.life.complete(slot, t)
  }

  failed(slot: number): void {
    this.failedKeys.add(this.life.client.key(slot))
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
