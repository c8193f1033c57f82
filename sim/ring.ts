/**
 * Consistent hashing of hunters onto stateless workers (scenario `workers`): each worker
 * owns `vnodes` points on a 32-bit ring; a hunter goes to the owner of the first point at or
 * after its own hash. A failed worker keeps its points until its failure is detected, then
 * its hunters fall to the next live worker on the ring — only they move (that is the point
 * of consistent hashing; tested).
 */
import type { Scenario } from "../src/scenario.ts"
import type { WorkersReportSchema } from "../src/tiers/workers.ts"

/** A 32-bit integer hash (murmur3's finalizer). Example: `mix32(7) !== mix32(8)`. */
export const mix32 = (x: number): number => {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

export class WorkerRing {
  private readonly points: Float64Array
  private readonly owner: Int32Array
  private readonly failures: ReadonlyArray<{ readonly worker: number; readonly atMs: number; readonly durationMs: number }>
  private readonly detectMs: number
  readonly count: number
  /** Requests per worker, and those that met a dead, undetected worker or were re-routed. */
  readonly routed: Float64Array
  failedFast = 0
  rerouted = 0

  /** Example: `const ring = new WorkerRing(scenario.workers); ring.route(hunter, t)`. */
  constructor(cfg: NonNullable<Scenario["workers"]>) {
    this.count = cfg.count
    this.failures = cfg.failures
    this.detectMs = cfg.detectMs
    const pts: Array<[number, number]> = []
    for (let w = 0; w < cfg.count; w++) for (let v = 0; v < cfg.vnodes; v++) pts.push([mix32(mix32(w + 1) ^ (v * 0x9e3779b9)), w])
    pts.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    this.points = Float64Array.from(pts, (p) => p[0])
    this.owner = Int32Array.from(pts, (p) => p[1])
    this.routed = new Float64Array(cfg.count)
  }

  /** 0: up; 1: dead, not yet detected (requests to it fail); 2: dead and routed around. */
  state(worker: number, t: number): number {
    for (const f of this.failures) {
      if (f.worker !== worker || t < f.atMs || t >= f.atMs + f.durationMs) continue
      return t < f.atMs + this.detectMs ? 1 : 2
    }
    return 0
  }

  /** The worker owning hunter `h` with no failures (its home). */
  home(h: number): number {
    return this.owner[this.first(mix32(h + 0x5bd1e995))]
  }

  private first(key: number): number {
    const p = this.points
    let lo = 0, hi = p.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (p[mid] < key) lo = mid + 1
      else hi = mid
    }
    return lo === p.length ? 0 : lo
  }

  /**
   * Where hunter `h`'s request at `t` goes: its worker, or -1 when that worker is dead and
   * nobody has noticed yet (the request fails at once). Detected failures are skipped.
   */
  route(h: number, t: number): number {
    const n = this.points.length
    let i = this.first(mix32(h + 0x5bd1e995))
    for (let k = 0; k < n; k++, i = i + 1 === n ? 0 : i + 1) {
      const w = this.owner[i]
      const st = this.failures.length === 0 ? 0 : this.state(w, t)
      if (st === 2) continue
      if (st === 1) {
        this.failedFast++
        return -1
      }
      if (k > 0) this.rerouted++
      this.routed[w]++
      return w
    }
    this.failedFast++
    return -1 // every worker is down
  }

  /** The report's `workers` section. */
  report(): typeof WorkersReportSchema.Type {
    return { count: this.count, routed: Array.from(this.routed), failedFast: this.failedFast, rerouted: this.rerouted }
  }
}
