/**
 * The live driver: the same engine and workload on the wall clock against a real store.
 * Every request is sent at its scheduled time whether or not earlier ones returned (open
 * loop); latency is measured from that intended time, so a stalled server shows up in the
 * figures instead of silently slowing the load (no coordinated omission). The uncorrected
 * figure — from the moment the request actually left — is reported beside it.
 *
 * Virtual time here is wall time since the start × `timeScale`; the report is the same
 * shape as a simulated one, marked `mode: "live"`. The client's timeout is the engine's rule
 * on that clock (sim/live.ts): this file only sends, sleeps and measures.
 */
import { Simulator, type RawRun } from "../../sim/driver.ts"
import { LiveMode, type LiveCall } from "../../sim/live.ts"
import { SnapshotStore } from "../../sim/lockstep.ts"
import { Command, ErrorKind, Reply, commandNames, isWinAck } from "../../src/engine/protocol.ts"
import { outcomeName, type HistoryEntry } from "./history.ts"
import { FastHistogram } from "../../src/metrics/histogram.ts"
import type { AsyncClaimStore, StoreConfig } from "../../src/ports/ClaimStore.ts"
import type { Scenario } from "../../src/scenario.ts"

export interface LiveOptions {
  /** Virtual ms per wall ms (2 = twice as fast as real time). Default 1. */
  readonly timeScale?: number
  readonly onProgress?: (virtualMs: number, durationMs: number, events: number) => void
  /** Called on every turn of the loop with the virtual time reached (fault injection keeps to it). */
  readonly onTick?: (virtualMs: number) => void
  /** Awaited once the run's time is up, before the final state is read (fault injection undone). */
  readonly settle?: () => Promise<void>
  readonly signal?: AbortSignal
}

export interface LiveRun {
  readonly raw: RawRun
  /** Latency of successful attempts from when they actually left, in virtual ms. */
  readonly uncorrected: FastHistogram
  /** Sends that left more than 1 ms (virtual) after their scheduled time. */
  readonly lateSends: number
  /** The worst such delay (virtual ms). */
  readonly maxSendDelayMs: number
  /** Every attempt sent and how it ended, in the order they ended. */
  readonly history: ReadonlyArray<HistoryEntry>
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)))

/**
 * A live run in two steps: construct (the simulator, hence the workload and the store
 * configuration), then `run` against a store seeded from `storeConfig`. Example:
 * `const live = new LiveRunner(s); const store = await open(live.storeConfig); await live.run(store)`.
 */
export class LiveRunner {
  readonly storeConfig: StoreConfig
  private readonly s: Scenario
  private readonly sim: Simulator
  private readonly mode: LiveMode
  private store: AsyncClaimStore | undefined
  private scale = 1
  private t0 = 0
  private readonly uncorrected = new FastHistogram(3)
  private lateSends = 0
  private maxSendDelayMs = 0
  /** Every attempt sent and how it ended (`--history`), when asked for: kept, each costs the GC. */
  readonly history: Array<HistoryEntry> = []
  private readonly keepHistory: boolean
  /** Attempts sent and not answered yet (the run drains them), with when they left. */
  private readonly open = new Map<LiveCall, number>()

  /** `history`: keep every attempt and its end (LiveRun.history); off, the list stays empty. */
  constructor(s: Scenario, opts: { readonly history?: boolean } = {}) {
    this.s = s
    this.keepHistory = opts.history ?? true
    this.mode = new LiveMode({ send: (call, at) => this.send(call, at) }, s.topology)
    this.sim = new Simulator(s, { mode: this.mode })
    this.storeConfig = this.sim.storeConfig
  }

  private vnow(): number {
    return (performance.now() - this.t0) * this.scale
  }

  /** Send `call`, which the lifecycle let go at virtual time `at` (its pool wait done). */
  private send(call: LiveCall, at: number): void {
    const store = this.store as AsyncClaimStore
    const sentAt = this.vnow()
    // The driver's own lateness (a pool wait is the client's, and counts in latency).
    const delay = sentAt - at
    if (delay > 1) this.lateSends++
    if (delay > this.maxSendDelayMs) this.maxSendDelayMs = delay
    this.open.set(call, sentAt)
    const answer = (reply: number | undefined, outcome: number | undefined = reply) => {
      this.open.delete(call)
      if (this.sim.done) return
      const at = this.vnow()
      // In time (the engine's deadline had not ended the attempt): its latency from when it left.
      const inTime = this.mode.answer(call, reply, sentAt, at, outcome)
      if (inTime && outcome !== undefined && outcome > 0 && at <= this.s.durationMs) this.uncorrected.recordMs(at - sentAt)
      if (!this.keepHistory) return
      const result = outcome === undefined ? "connection" : reply !== undefined && reply > 0 && outcome === -ErrorKind.TIMEOUT ? "unconfirmed" : outcomeName(outcome)
      const replyName = reply === undefined ? "connection" : outcomeName(reply)
      // Ended after the run's end (a reply or a deadline in the drain): unfinished, as the report counts it.
      if ((inTime ? at : call.deadline) > this.s.durationMs) this.record(call, sentAt, { endMs: this.s.durationMs, result: "unfinished", lateReply: replyName, lateReplyMs: at })
      else this.record(call, sentAt, inTime ? { endMs: at, result } : { endMs: call.deadline, result: "timeout", lateReply: replyName, lateReplyMs: at })
    }
    const request =
      call.command === Command.CLAIM
        ? store.claim(call.bucket, call.artifact, call.hunter, call.key, sentAt)
        : store.balance(call.bucket, call.hunter).then(() => Reply.BALANCE)
    const wait = this.s.engine.waitReplicas
    request.then((reply) => {
      // A win is acknowledged only once WAIT sees the replica have it.
      if (wait === undefined || !isWinAck(reply) || store.waitReplicas === undefined) return answer(reply)
      store.waitReplicas(call.bucket, wait.replicas, wait.timeoutMs / this.scale).then(
        (n) => answer(reply, n >= wait.replicas ? reply : -ErrorKind.TIMEOUT),
        () => answer(reply, -ErrorKind.CONNECTION)
      )
    }, () => answer(undefined))
  }

  private record(call: LiveCall, sentAt: number, end: Pick<HistoryEntry, "endMs" | "result" | "lateReply" | "lateReplyMs">): void {
    if (this.keepHistory)
      this.history.push({ key: call.key, op: commandNames[call.command], bucket: call.bucket, artifact: call.artifact, hunter: call.hunter, invokeMs: sentAt, ...end })
  }

  /** Run to the end on the wall clock against `store` (seeded from `storeConfig`). */
  async run(store: AsyncClaimStore, opts: LiveOptions = {}): Promise<LiveRun> {
    const sim = this.sim, end = this.s.durationMs
    this.store = store
    this.scale = opts.timeScale ?? 1
    this.t0 = performance.now()
    let lastProgress = 0
    // One callback re-armed each turn rather than an awaited promise per turn: the turns
    // come hundreds of thousands of times a second at light load, and a promise each was
    // garbage enough for a scavenge every ~80 ms (now ~130 ms at 1 000 claims/s, measured
    // with --trace-gc); each scavenge stalls the client 1–3 ms.
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        try {
          if (opts.signal?.aborted) return reject(opts.signal.reason ?? new Error("aborted"))
          const v = this.vnow()
          if (v >= end) return resolve()
          opts.onTick?.(v)
          sim.step(1 << 14, Math.min(this.vnow(), end - 1e-9))
          const now = performance.now()
          if (opts.onProgress && now - lastProgress > 100) {
            lastProgress = now
            opts.onProgress(Math.min(this.vnow(), end), end, sim.events)
          }
          // Wait for the next due event: timers have 1 ms granularity, so for anything closer
          // yield to I/O only (setImmediate), trading CPU for sending on time.
          const wait = (Math.min(sim.nextEventTime(), end) - this.vnow()) / this.scale
          if (wait > 1.5) setTimeout(turn, Math.min(5, wait - 1))
          else setImmediate(turn)
        } catch (e) {
          reject(e)
        }
      }
      turn()
    })
    // Faults that end with the run are undone before the drain and the snapshot.
    opts.onTick?.(end)
    await opts.settle?.()
    // Let what is in flight finish or time out, then run the remaining events to the end.
    const drainUntil = performance.now() + this.s.engine.timeoutMs / this.scale + 1000
    while (this.open.size > 0 && performance.now() < drainUntil) await sleep(5)
    while (!sim.step(1 << 20));
    return this.figures(store)
  }

  /** After an aborted `run` (Ctrl-C): end at the time reached and give the figures so far. */
  async stop(store: AsyncClaimStore): Promise<LiveRun> {
    this.sim.stop()
    return this.figures(store)
  }

  private async figures(store: AsyncClaimStore): Promise<LiveRun> {
    // Never answered: timed out at its deadline, or still out when the run ended.
    for (const [call, sentAt] of this.open) this.record(call, sentAt, call.deadline <= this.sim.now ? { endMs: call.deadline, result: "timeout" } : { endMs: this.sim.now, result: "unfinished" })
    this.open.clear()
    const final = new SnapshotStore(await store.snapshot(), this.sim.storeWrites, { losses: this.sim.plan.losses, bucketNode: this.sim.bucketNode })
    const raw = this.sim.raw(final)
    // What each state-losing fault lost is what the real final state lacks (the simulator's
    // own model store took no writes in a live run).
    const losses = raw.losses.map((l) => ({ ...l, lostWrites: final.writes.filter((w) => w.lostBy === l.fault).length, replicatedUpTo: -1 }))
    return { raw: { ...raw, losses }, uncorrected: this.uncorrected, lateSends: this.lateSends, maxSendDelayMs: this.maxSendDelayMs, history: this.history }
  }
}
