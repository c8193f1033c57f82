/**
 * Hunters moving between buckets: a walker's position brought up to the time of its next
 * task (a new bucket re-routes it and moves its stream subscription), the viral moment that
 * draws a share of all hunters to one place, and the shard split a crowded bucket triggers
 * past the pipeline's subscriber cap. Counts hunters per bucket (now and at most) and border
 * crossings. Only scenarios with geography move anyone; without it this does nothing.
 */
import type { Pipeline } from "./pipeline.ts"
import type { Prng } from "./prng.ts"
import type { Workload } from "./workload.ts"

export class Movement {
  private readonly workload: Workload
  private readonly pipeline: Pipeline | undefined
  private readonly rng: Prng
  /** A bucket began splitting at `at`; it is done at `doneAt` (the driver schedules that). */
  private readonly onSplit: (bucket: number, doneAt: number) => void
  /** Hunters in each bucket now (its stream's subscribers), and the most at any moment. */
  readonly bucketHunters: Int32Array
  readonly bucketMaxHunters: Int32Array
  crossings = 0
  viralJoined = 0

  /**
   * `bucketHunters` holds each bucket's hunters at the start (shared with the pipeline, which
   * reads it as subscriber counts). Example:
   * `new Movement(workload, counts, pipeline, rng, (b, at) => queue.push(at, splitDone(b)))`.
   */
  constructor(workload: Workload, bucketHunters: Int32Array, pipeline: Pipeline | undefined, rng: Prng, onSplit: (bucket: number, doneAt: number) => void) {
    this.workload = workload
    this.bucketHunters = bucketHunters
    this.bucketMaxHunters = bucketHunters.slice()
    this.pipeline = pipeline
    this.rng = rng
    this.onSplit = onSplit
  }

  /** Every bucket already past the subscriber cap at the start splits. */
  start(): void {
    if (this.pipeline) for (let b = 0; b < this.bucketHunters.length; b++) this.checkSplit(b, 0)
  }

  /** A bucket past the pipeline's subscriber cap starts splitting. */
  private checkSplit(b: number, t: number): void {
    const pl = this.pipeline, map = this.workload.map
    if (!pl || !map || !pl.wouldSplit(b)) return
    map.trackBucket(b, t) // positions up to date before the hunters are counted per child cell
    const done = pl.maybeSplit(b, t, map.lat, map.lon, this.workload.hunterBucket, this.rng)
    if (done >= 0) this.onSplit(b, done)
  }

  /** Bring a hunter's position up to `t`; returns its bucket (a new one re-routes it). */
  moveHunter(hunter: number, t: number): number {
    const w = this.workload, map = w.map!, pl = this.pipeline
    const lat = map.lat[hunter], lon = map.lon[hunter]
    const b = map.moveTo(hunter, t, this.rng)
    const was = w.hunterBucket[hunter]
    // A split bucket keeps subscriber counts per child cell, which a move within it changes too.
    if (pl !== undefined && (pl.isSplit(was) || pl.isSplit(b))) pl.onMove(was, b, lat, lon, map.lat[hunter], map.lon[hunter])
    if (b !== was) {
      this.crossings++
      this.rebucket(hunter, b)
      this.checkSplit(b, t)
    }
    return b
  }

  private rebucket(hunter: number, b: number): void {
    const hb = this.workload.hunterBucket
    this.bucketHunters[hb[hunter]]--
    hb[hunter] = b
    if (++this.bucketHunters[b] > this.bucketMaxHunters[b]) this.bucketMaxHunters[b] = this.bucketHunters[b]
  }

  /** The viral artifact appears at `t`: a share of the hunters head for it. */
  goViral(t: number): void {
    const w = this.workload, map = w.map!
    const pl = this.pipeline
    const before = pl ? { lat: map.lat.slice(), lon: map.lon.slice() } : undefined
    this.viralJoined = map.goViral(t, this.rng)
    if (pl && before) {
      for (let h = 0; h < w.hunterBucket.length; h++) {
        if (map.drawn[h] !== 1) continue
        const was = w.hunterBucket[h], b = map.bucketOf(h)
        if (b >= 0 && (pl.isSplit(was) || pl.isSplit(b))) pl.onMove(was, b, before.lat[h], before.lon[h], map.lat[h], map.lon[h])
      }
    }
    // Hunters that do not walk are there at once; walkers re-route as they go.
    for (let h = 0; h < w.hunterBucket.length; h++) {
      if (map.drawn[h] !== 1) continue
      const b = map.bucketOf(h)
      if (b >= 0 && b !== w.hunterBucket[h]) this.rebucket(h, b) // (a walker in a gap between prefixes keeps its bucket)
    }
    if (pl) for (let b = 0; b < w.cells.length; b++) this.checkSplit(b, t)
  }
}
