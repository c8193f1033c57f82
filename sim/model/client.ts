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
 *   the wait twice: at 80 % of the ceiling the model's p50 was twice the level's). Above that
 *   rate requests queue on the thread in FIFO order (Lindley's recursion, as for a node), so
 *   past the ceiling they back up and latency climbs — the knee a live run shows.
 * The rate is the client's own send count over the last quarter second of virtual time.
 */
import { compile, type Sampler, type Uniform } from "../../src/distributions.ts"
import type { Distribution } from "../../src/schema-parts.ts"
import { overNodes, withReads, type Profile } from "../../src/profile.ts"

/** The window the client's rate is counted over (virtual ms). */
const WINDOW_MS = 250

type Driver = NonNullable<Profile["driver"]>

/** A run's shape as the client sees it: its nodes (a connection pair each) and the share of its requests that are balance reads. */
export interface RunShape {
  readonly nodes: number
  readonly balanceShare: number
}

type Table = ReadonlyArray<readonly [number, number]>
type Shape = NonNullable<Driver["shapes"]>[number]
const tableOf = (d: Distribution): Table | undefined => (d.kind === "empirical" ? d.quantiles : undefined)
const sameGrid = (a: Table, b: Table) => a.length === b.length && a.every(([p], i) => p === b[i][0])

/**
 * How much longer (or shorter) a request's path is in `shape` than in the levels' (claims on
 * one node), quantile by quantile, for the level at `ratePerSec`. Each kind of calibrate's
 * shapes — over several nodes, or with balance reads — gives shape ÷ level at the rates it
 * was measured at; at `ratePerSec` the ratio between the two nearest (geometric, by log
 * rate; outside them the nearest), raised to the share of the way the run goes towards the
 * shape (log nodes, or the balance share; no further than measured); the kinds multiplied.
 * Undefined when nothing applies: no shapes, a run of the levels' own shape, or tables that
 * do not share their quantiles. Example: `scaleFor(profile.driver, { nodes: 3, balanceShare: 0 }, 4000)`.
 */
export const scaleFor = (driver: Driver, shape: RunShape, ratePerSec: number): Table | undefined => {
  let out: Array<[number, number]> | undefined
  const kinds = [
    { of: overNodes, weight: (m: Shape) => Math.min(1, Math.log(shape.nodes) / Math.log(m.nodes)) },
    { of: withReads, weight: (m: Shape) => Math.min(1, shape.balanceShare / m.balanceShare) }
  ]
  for (const kind of kinds) {
    // This kind's ratio tables by the rate they were measured at.
    const measured = (driver.shapes ?? []).filter(kind.of).flatMap((m) => {
      const level = driver.levels.find((l) => l.ratePerSec === m.ratePerSec)
      const [a, b] = [level && tableOf(level.latencyMs), tableOf(m.latencyMs)]
      const weight = kind.weight(m)
      if (!a || !b || !sameGrid(a, b) || weight <= 0) return []
      return [{ rate: m.ratePerSec, ratios: a.map(([, ms], i) => (ms > 0 ? (b[i][1] / ms) ** weight : 1)), grid: a }]
    }).sort((x, y) => x.rate - y.rate)
    if (measured.length === 0) continue
    const hi = measured.findIndex((m) => m.rate >= ratePerSec)
    let ratios: ReadonlyArray<number>
    if (hi === -1) ratios = measured[measured.length - 1].ratios
    else if (hi === 0) ratios = measured[0].ratios
    else {
      const [lo, up] = [measured[hi - 1], measured[hi]]
      const f = (Math.log(ratePerSec) - Math.log(lo.rate)) / (Math.log(up.rate) - Math.log(lo.rate))
      ratios = lo.ratios.map((r, i) => r ** (1 - f) * up.ratios[i] ** f)
    }
    const grid = measured[0].grid
    if (out && !sameGrid(out, grid)) continue
    out = out ? out.map(([p, r], i) => [p, r * ratios[i]]) : grid.map(([p], i) => [p, ratios[i]])
  }
  return out
}

/** `d` with each quantile multiplied by `scale`'s at the same point (kept rising); `d` itself off the grid. */
const scaled = (d: Distribution, scale: Table): Distribution => {
  const t = tableOf(d)
  if (!t || !sameGrid(t, scale)) return d
  let last = 0
  return { kind: "empirical", quantiles: t.map(([p, ms], i) => [p, (last = Math.max(last, ms * scale[i][1]))]) }
}

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
   * server's own); `shape`: the run's nodes and share of balance reads, for which the levels'
   * paths are scaled as calibrate measured (`scaleFor`). Example: `const c = new
   * ClientModel(profile.driver, 0.02, { nodes: 1, balanceShare: 0 }); const leave = c.leave(t); const path = c.path(rng)`.
   */
  constructor(driver: Driver, serverMs: number, shape: RunShape = { nodes: 1, balanceShare: 0 }) {
    const levels = [...driver.levels].sort((a, b) => a.ratePerSec - b.ratePerSec)
    this.logRates = Float64Array.from(levels, (l) => Math.log(l.ratePerSec))
    this.paths = levels.map((l) => {
      const scale = scaleFor(driver, shape, l.ratePerSec)
      return compile(scale ? scaled(l.latencyMs, scale) : l.latencyMs)
    })
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
