/**
 * The live driver: the same engine and workload on the wall clock against a real store.
 * Every request is sent at its scheduled time whether or not earlier ones returned (open
 * loop); latency is measured from that intended time, so a stalled server shows up in the
 * figures instead of silently slowing the load (no coordinated omission). The uncorrected
 * figure — from the moment the request actually left — is reported beside it.
 *
 * Virtual time here is wall time since the start × `timeScale`; the report is the same
 * shape as a simulated one, marked `mode: "live"`.
 */
import { Simulator, type RawRun } from "../../sim/driver.ts"
import { SnapshotStore } from "../../sim/lockstep.ts"
import { Command, ErrorKind, Reply } from "../../src/engine/protocol.ts"
import { FastHistogram } from "../../src/metrics/histogram.ts"
import type { AsyncClaimStore, StoreConfig } from "../../src/ports/ClaimStore.ts"
import type { Scenario } from "../../src/scenario.ts"

export interface LiveOptions {
  /** Virtual ms per wall ms (2 = twice as fast as real time). Default 1. */
  readonly timeScale?: number
  readonly onProgress?: (virtualMs: number, durationMs: number, events: number) => void
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
  private store: AsyncClaimStore | undefined
  private scale = 1
  private t0 = 0
  private readonly uncorrected = new FastHistogram(3)
  private inFlight = 0
  private lateSends = 0
  private maxSendDelayMs = 0

  constructor(s: Scenario) {
    this.s = s
    this.sim = new Simulator(s, { live: { send: (slot, t, deadline) => this.send(slot, t, deadline) } })
    this.storeConfig = this.sim.storeConfig
  }

  private vnow(): number {
    return (performance.now() - this.t0) * this.scale
  }

  private send(slot: number, t: number, deadline: number): void {
    const sim = this.sim, c = sim.client, store = this.store as AsyncClaimStore
    this.inFlight++
    const sentAt = this.vnow()
    const delay = sentAt - t
    if (delay > 1) this.lateSends++
    if (delay > this.maxSendDelayMs) this.maxSendDelayMs = delay
    let settled = false
    const finish = (outcome: number) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      this.inFlight--
      const at = this.vnow()
      if (outcome > 0 && at <= this.s.durationMs) this.uncorrected.recordMs(at - sentAt) // as the run counts it
      sim.liveComplete(slot, outcome, at)
    }
    // The client gives up at the deadline; the command may still run on the server.
    const timer = setTimeout(() => finish(-ErrorKind.TIMEOUT), Math.max(0, (deadline - sentAt) / this.scale))
    const bucket = c.bucket(slot), hunter = c.hunter(slot)
    const call =
      c.command(slot) === Command.CLAIM
        ? store.claim(bucket, c.artifact(slot), hunter, c.key(slot), sentAt)
        : store.balance(bucket, hunter).then(() => Reply.BALANCE)
    call.then(
      (reply) => {
        // A win counts as applied even if the client already timed out.
        if (reply === Reply.WON && !sim.done) sim.liveApplied(slot, sentAt)
        if (c.command(slot) === Command.CLAIM && !sim.done) sim.noteClaim(slot, reply, sentAt)
        finish(reply)
      },
      () => finish(-ErrorKind.CONNECTION)
    )
  }

  /** Run to the end on the wall clock against `store` (seeded from `storeConfig`). */
  async run(store: AsyncClaimStore, opts: LiveOptions = {}): Promise<LiveRun> {
    const sim = this.sim, end = this.s.durationMs
    this.store = store
    this.scale = opts.timeScale ?? 1
    this.t0 = performance.now()
    let lastProgress = 0
    while (this.vnow() < end) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted")
      sim.step(1 << 14, Math.min(this.vnow(), end - 1e-9))
      const now = performance.now()
      if (opts.onProgress && now - lastProgress > 100) {
        lastProgress = now
        opts.onProgress(Math.min(this.vnow(), end), end, sim.events)
      }
      // Wait for the next due event: timers have 1 ms granularity, so for anything closer
      // yield to I/O only (setImmediate), trading CPU for sending on time.
      const wait = (Math.min(sim.nextEventTime(), end) - this.vnow()) / this.scale
      if (wait > 1.5) await sleep(Math.min(5, wait - 1))
      else await new Promise<void>((r) => setImmediate(r))
    }
    // Let what is in flight finish or time out, then run the remaining events to the end.
    const drainUntil = performance.now() + this.s.engine.timeoutMs / this.scale + 1000
    while (this.inFlight > 0 && performance.now() < drainUntil) await sleep(5)
    while (!sim.step(1 << 20));
    return this.figures(store)
  }

  /** After an aborted `run` (Ctrl-C): end at the time reached and give the figures so far. */
  async stop(store: AsyncClaimStore): Promise<LiveRun> {
    this.sim.stop()
    return this.figures(store)
  }

  private async figures(store: AsyncClaimStore): Promise<LiveRun> {
    const raw = this.sim.raw(new SnapshotStore(await store.snapshot(), this.sim.lockWrites))
    return { raw, uncorrected: this.uncorrected, lateSends: this.lateSends, maxSendDelayMs: this.maxSendDelayMs }
  }
}
