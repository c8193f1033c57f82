/**
 * The load generator's processes (scenario `loadgen`, reference system 3): a coordinator
 * spreads hunters over worker processes round-robin; each process is one event loop that
 * spends CPU on every request it sends. A request leaves when its process gets to it, so a
 * saturated generator shows up as latency from the intended time — and, here, as its
 * processes' utilisation and send delay, so it is not blamed on the server. The
 * coordinator's aggregate is the per-process figures summed (what the report shows).
 */
import { compile, type Sampler, type Uniform } from "../../src/distributions.ts"
import { FastHistogram, summarize } from "../../src/metrics/histogram.ts"
import type { Scenario } from "../../src/scenario.ts"
import type { LoadgenReportSchema } from "../../src/tiers/loadgen.ts"

const r6 = (x: number) => Math.round(x * 1e6) / 1e6

export class LoadGen {
  readonly cfg: NonNullable<Scenario["loadgen"]>
  private readonly cpu: Sampler
  private readonly free: Float64Array
  readonly busyMs: Float64Array
  readonly sent: Float64Array
  /** Intended send time → the request actually leaves. */
  readonly sendDelay = new FastHistogram(2)

  /** Example: `const g = new LoadGen(scenario); const leaves = g.send(hunter, t, rng)`. */
  constructor(s: Scenario) {
    this.cfg = s.loadgen!
    this.cpu = compile(this.cfg.cpuMsPerRequest)
    this.free = new Float64Array(this.cfg.processes)
    this.busyMs = new Float64Array(this.cfg.processes)
    this.sent = new Float64Array(this.cfg.processes)
  }

  /** Hunter `h` means to send at `t`: when its process has sent it. */
  send(h: number, t: number, rng: Uniform): number {
    const p = h % this.free.length
    const start = Math.max(t, this.free[p])
    const ms = this.cpu.sample(rng)
    const done = start + ms
    this.free[p] = done
    this.busyMs[p] += ms
    this.sent[p]++
    this.sendDelay.recordMs(done - t)
    return done
  }

  /** The report's `loadgen` section for a run that ended at `endMs`. */
  report(endMs: number): typeof LoadgenReportSchema.Type {
    return {
      processes: this.cfg.processes,
      sent: Array.from(this.sent),
      busiest: r6(Math.max(...this.busyMs) / endMs),
      sendDelayMs: summarize(this.sendDelay)
    }
  }
}
