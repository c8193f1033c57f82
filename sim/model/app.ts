/**
 * The app tier model (scenario `app`): worker processes sharing one FIFO queue in front of
 * Redis. A hunter's request takes the first free worker for its parse time, then makes its
 * Redis call (the worker is free again meanwhile, as in an async server). Load-generator
 * heartbeats — one per hunter every intervalMs, evenly spread — take workers too, unless the
 * proxy drops them. Heartbeats are fed in lazily, up to each request's arrival, so they cost
 * no events of their own.
 */
import { compile, type Sampler, type Uniform } from "../../src/distributions.ts"
import { FastHistogram, summarize } from "../../src/metrics/histogram.ts"
import type { Scenario } from "../../src/scenario.ts"
import { Pool } from "./timing.ts"
import { F64 } from "../../src/typed.ts"
import type { AppReportSchema } from "../../src/tiers/app.ts"

const r3 = (x: number) => Math.round(x * 1000) / 1000
const r6 = (x: number) => Math.round(x * 1e6) / 1e6

export class AppTier {
  private readonly pool: Pool
  private readonly parse: Sampler
  private readonly hbEvery: number
  private readonly hbParseMs: number
  private readonly drop: boolean
  private readonly hunters: number
  private readonly rampPerMs: number
  private nextHb: number
  /** Arrival → a worker starts on it, for hunter requests. */
  readonly wait = new FastHistogram(2)
  requests = 0
  heartbeatsParsed = 0
  heartbeatsDropped = 0
  busyMs = F64
  readonly cfg: NonNullable<Scenario["app"]>

  /** Example: `const app = new AppTier(scenario); const leaves = app.pass(t, rng)`. */
  constructor(s: Scenario) {
    this.cfg = s.app!
    this.pool = new Pool(this.cfg.workers)
    this.parse = compile(this.cfg.parseMs)
    const hb = this.cfg.heartbeat
    this.hbEvery = hb ? hb.intervalMs : Infinity
    this.hbParseMs = hb ? hb.parseMs : 0
    this.drop = this.cfg.proxy.dropHeartbeats
    this.hunters = s.hunters.count
    this.rampPerMs = s.hunters.start.kind === "ramp" ? s.hunters.start.perSecond / 1000 : Infinity
    this.nextHb = hb ? 0 : Infinity
    this.busyMs = 0 // a double (F64), but +0
  }

  /** Hunters sending heartbeats at `t` (all of them, or those started so far on a ramp). */
  private active(t: number): number {
    return this.rampPerMs === Infinity ? this.hunters : Math.max(1, Math.min(this.hunters, Math.floor(t * this.rampPerMs) + 1))
  }

  /** Feed the heartbeats sent up to `t` to the workers (or count them dropped). */
  private heartbeatsUpTo(t: number): void {
    while (this.nextHb <= t) {
      const at = this.nextHb
      if (this.drop) this.heartbeatsDropped++
      else {
        const start = this.pool.acquire(at)
        this.pool.occupy(start + this.hbParseMs)
        this.busyMs += this.hbParseMs
        this.heartbeatsParsed++
      }
      // The aggregate rate is (hunters started) / interval; on a ramp, take it in the middle
      // of the gap, not at its start (at t = 0 one hunter would set a whole interval's gap).
      let gap = this.hbEvery / this.active(at)
      gap = this.hbEvery / this.active(at + gap / 2)
      gap = this.hbEvery / this.active(at + gap / 2)
      this.nextHb = at + gap
    }
  }

  /** A hunter request reaches the app at `t`: when it leaves a worker for its Redis call. */
  pass(t: number, rng: Uniform): number {
    this.heartbeatsUpTo(t)
    const start = this.pool.acquire(t)
    const ms = this.parse.sample(rng)
    this.pool.occupy(start + ms)
    this.busyMs += ms
    this.requests++
    this.wait.recordMs(start - t)
    return start + ms
  }

  /** Feed the rest of the heartbeats at the end of the run. */
  finish(t: number): void {
    this.heartbeatsUpTo(t)
  }

  /** The report's `app` section for a run that ended at `endMs`. */
  report(endMs: number): typeof AppReportSchema.Type {
    return {
      workers: this.cfg.workers,
      requests: this.requests,
      queueWaitMs: summarize(this.wait),
      heartbeatsParsed: this.heartbeatsParsed,
      heartbeatsDropped: this.heartbeatsDropped,
      heartbeatBytesPerSec: r3((this.heartbeatsParsed * (this.cfg.heartbeat?.bytes ?? 0)) / (endMs / 1000)),
      utilisation: r6(this.busyMs / (this.cfg.workers * endMs))
    }
  }
}
