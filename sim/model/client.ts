/**
 * The live client as the model sees it once calibrate has measured huntbench's own driver on
 * a path (`profile.driver`): one process with one thread. The plain queueing model (round
 * trip + node queue + service) matched a live run's median there but not its tail or its
 * knee; what it lacked is on the client's side:
 * - **the path at the client's current rate**: a request's round trip together with the
 *   client's work and the machine's stalls (GC pauses, wake-ups from idle — at light load
 *   they are most of the p99), drawn from the calibrated level nearest the rate the client
 *   is sending at; between two levels, from one or the other with odds by log rate;
 * - **the thread**: every request costs it 1 / (the driver's ceiling) seconds. Up to the
 *   highest level calibrate measured, the levels' paths already hold the queueing on the
 *   thread at their rate, so a request waits for nothing more (queueing it again counted
 *   the wait twice: at 80 % of the ceiling the model's p50 was 2.5× the level's). Above that
 *   rate requests queue on the thread in FIFO order (Lindley's recursion, as for a node), so
 *   past the ceiling they back up and latency climbs — the knee a live run shows.
 * The rate is the client's own send count over the last quarter second of virtual time.
 */
import { compile, type Sampler, type Uniform } from "../../src/distributions.ts"
import type { Profile } from "../../src/profile.ts"

/** The window the client's rate is counted over (virtual ms). */
const WINDOW_MS = 250

type Driver = NonNullable<Profile["driver"]>

export class ClientModel {
  /** Per request, ms of the client's one thread. */
  readonly costMs: number
  private readonly logRates: Float64Array
  private readonly paths: ReadonlyArray<Sampler>
  private readonly serverMs: number
  private free = 0
  private windowEnd = WINDOW_MS
  private count = 0
  private rate: number
  /** The highest rate measured: the levels' paths hold the thread's queueing up to it. */
  private readonly topRate: number

  /**
   * `serverMs`: the mean server time the levels' latencies include (the model adds the
   * server's own). Example: `const c = new ClientModel(profile.driver, 0.02); const leave =
   * c.leave(t); const path = c.path(rng)`.
   */
  constructor(driver: Driver, serverMs: number) {
    const levels = [...driver.levels].sort((a, b) => a.ratePerSec - b.ratePerSec)
    this.logRates = Float64Array.from(levels, (l) => Math.log(l.ratePerSec))
    this.paths = levels.map((l) => compile(l.latencyMs))
    this.costMs = 1000 / driver.ceilingPerSec
    this.serverMs = serverMs
    this.rate = levels[0].ratePerSec
    this.topRate = levels[levels.length - 1].ratePerSec
  }

  /** When a request the workload issues at `t` (calls in time order) has had the client's thread. */
  leave(t: number): number {
    if (t >= this.windowEnd) {
      // A window with no sends between the last one and `t` means the rate fell to nothing.
      const passed = Math.floor((t - this.windowEnd) / WINDOW_MS) + 1
      this.rate = passed === 1 ? (this.count * 1000) / WINDOW_MS : 0
      this.windowEnd += passed * WINDOW_MS
      this.count = 0
    }
    this.count++
    const at = (this.rate > this.topRate ? Math.max(t, this.free) : t) + this.costMs
    this.free = at
    return at
  }

  /** One request's path, both ways (ms), without the server's time and the thread's: at the client's current rate. */
  path(rng: Uniform): number {
    const r = this.logRates, n = r.length
    const x = Math.log(Math.max(this.rate, 1e-9))
    let i = 0
    if (x >= r[n - 1]) i = n - 1
    else if (x > r[0]) {
      while (r[i + 1] <= x) i++
      if (rng.next() < (x - r[i]) / (r[i + 1] - r[i])) i++
    }
    return Math.max(0, this.paths[i].sample(rng) - this.serverMs - this.costMs)
  }
}
