/**
 * Where won claims are recorded (scenario `sink`, reference system 2). Both modes are pure
 * functions of time plus a draw, so nothing here needs events of its own:
 *
 * - `sync`: the request inserts a loot row after its claim and completes when the insert
 *   does; an insert that meets a vacuum/freeze stall (periodic windows) waits for its end.
 * - `log`: the request appends an event and completes; the aggregator runs every
 *   aggregateEveryMs and materializes what was appended before it — an event's consumer
 *   lag is the time to the next run (or to the end of the hunt, if none comes).
 */
import { compile, type Sampler, type Uniform } from "../../src/distributions.ts"
import { FastHistogram, summarize } from "../../src/metrics/histogram.ts"
import type { Scenario } from "../../src/scenario.ts"
import type { SinkReportSchema } from "../../src/tiers/sink.ts"

export class Sink {
  readonly cfg: NonNullable<Scenario["sink"]>
  private readonly insert: Sampler
  private readonly endMs: number
  /** sync: insert time as the request sees it (stall waits included). */
  readonly insertTime = new FastHistogram(2)
  /** log: event append → materialized by the aggregator. */
  readonly consumerLag = new FastHistogram(2)
  rows = 0
  stalledInserts = 0
  events = 0
  unaggregatedAtEnd = 0

  /** Example: `const sink = new Sink(scenario); const done = sink.record(replyAt, rng)`. */
  constructor(s: Scenario) {
    this.cfg = s.sink!
    this.insert = compile(this.cfg.insertMs)
    this.endMs = s.durationMs
  }

  /** When a stall covering `t` ends, or `t` if none does. */
  private afterStall(t: number): number {
    const st = this.cfg.stall
    if (st === undefined || t < st.everyMs) return t
    const k = Math.floor(t / st.everyMs)
    const from = k * st.everyMs
    return t < from + st.durationMs ? from + st.durationMs : t
  }

  /** A win is recorded at `t`; returns when the request may complete. */
  record(t: number, rng: Uniform): number {
    if (this.cfg.mode === "log") {
      this.events++
      const next = Math.ceil(t / this.cfg.aggregateEveryMs) * this.cfg.aggregateEveryMs
      if (next <= this.endMs) this.consumerLag.recordMs(next - t)
      else {
        this.unaggregatedAtEnd++
        this.consumerLag.recordMs(this.endMs - t)
      }
      return t + this.cfg.appendMs
    }
    this.rows++
    const start = this.afterStall(t)
    if (start > t) this.stalledInserts++
    const done = start + this.insert.sample(rng)
    this.insertTime.recordMs(done - t)
    return done
  }

  /**
   * How far the materialized totals lag at `t` (log mode): the time since the aggregator's
   * last run when events have come in since, else 0.
   */
  lagAt(t: number, lastEventAt: number): number {
    if (this.cfg.mode !== "log" || lastEventAt < 0) return 0
    const lastRun = Math.floor(t / this.cfg.aggregateEveryMs) * this.cfg.aggregateEveryMs
    return lastEventAt > lastRun ? t - lastRun : 0
  }

  /** The report's `sink` section. */
  report(): typeof SinkReportSchema.Type {
    return {
      mode: this.cfg.mode,
      rows: this.rows,
      stalledInserts: this.stalledInserts,
      insertMs: summarize(this.insertTime),
      events: this.events,
      consumerLagMs: summarize(this.consumerLag),
      unaggregatedAtEnd: this.unaggregatedAtEnd
    }
  }
}
