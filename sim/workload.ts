/**
 * The synthetic workload: where hunters and artifacts are (bucket placement), when
 * artifacts are revealed, which task a hunter does next and which artifact it polls.
 * Everything is drawn from the driver's seeded generator at set-up or in event order.
 */
import type { Uniform } from "../src/distributions.ts"
import { Command } from "../src/engine/protocol.ts"
import type { Scenario } from "../src/scenario.ts"
import { geographyCells } from "../src/tiers/geography.ts"
import { HunterMap } from "./geography.ts"

type Placement = Scenario["artifacts"]["placement"]

/**
 * Draw a bucket for one item under a placement. Example: with `{ kind: "hotspot", buckets: 2,
 * share: 0.9 }` over 10 buckets, 90 % of draws land in buckets 0–1.
 */
export const placeInBucket = (p: Placement, buckets: number, rng: Uniform): number => {
  if (p.kind === "uniform" || p.buckets >= buckets) {
    if (p.kind === "hotspot") return Math.floor(rng.next() * Math.min(p.buckets, buckets))
    return Math.floor(rng.next() * buckets)
  }
  if (rng.next() < p.share) return Math.floor(rng.next() * p.buckets)
  return p.buckets + Math.floor(rng.next() * (buckets - p.buckets))
}

/** Reveal time of artifact `i` of `count`. Example: `spread` 0–60 000 over 3 → 0, 30 000, 60 000. */
export const revealTime = (r: Scenario["artifacts"]["reveal"], i: number, count: number): number => {
  switch (r.kind) {
    case "atStart":
      return 0
    case "spread":
      return count <= 1 ? r.fromMs : r.fromMs + ((r.toMs - r.fromMs) * i) / (count - 1)
    case "waves":
      return (i % r.waves) * r.everyMs
  }
}

export class Workload {
  /** Each hunter's bucket now (with geography: the map's own array, updated as they walk). */
  readonly hunterBucket: Int32Array
  readonly artifactBucket: Int32Array
  readonly artifactRevealAt: Float64Array
  /** Artifacts grouped by bucket, each group sorted by reveal time: `byBucket[off[b] .. off[b+1])`. */
  readonly byBucket: Int32Array
  readonly off: Int32Array
  // Sliding [lo, hi) of each bucket's open artifacts (revealed, window not closed).
  private readonly lo: Int32Array
  private readonly hi: Int32Array
  // When each bucket's window next moves: the reveal time of byBucket[hi] (Infinity past the
  // end) and the close time of byBucket[lo] (Infinity when empty). Per bucket and small, so
  // the common poll that moves nothing reads two hot numbers instead of two artifacts' times.
  private readonly nextReveal: Float64Array
  private readonly nextClose: Float64Array
  private readonly window: number
  private readonly taskCum: Float64Array
  readonly taskCommand: Uint8Array
  /** The command of the only task, or -1 when there are several (then `pickTask` draws one). */
  readonly onlyCommand: number
  /** With geography: hunters' positions and movement; the bucket prefixes. */
  readonly map: HunterMap | undefined
  readonly cells: ReadonlyArray<string>
  /** With geography: where each artifact is (empty otherwise). */
  readonly artifactLat: Float64Array
  readonly artifactLon: Float64Array

  /** Example: `const w = new Workload(scenario, new Prng(scenario.seed))`. */
  constructor(s: Scenario, rng: Uniform) {
    const B = s.topology.buckets
    const H = s.hunters.count
    const geo = s.geography
    // A viral artifact is one more, at its spot, revealed when it goes viral.
    const A = s.artifacts.count + (geo?.viral ? 1 : 0)
    this.artifactBucket = new Int32Array(A)
    this.artifactRevealAt = new Float64Array(A)
    this.artifactLat = new Float64Array(geo === undefined ? 0 : A)
    this.artifactLon = new Float64Array(geo === undefined ? 0 : A)
    if (geo === undefined) {
      this.map = undefined
      this.cells = []
      this.hunterBucket = new Int32Array(H)
      for (let h = 0; h < H; h++) this.hunterBucket[h] = placeInBucket(s.hunters.placement, B, rng)
      for (let a = 0; a < A; a++) {
        this.artifactBucket[a] = placeInBucket(s.artifacts.placement, B, rng)
        this.artifactRevealAt[a] = revealTime(s.artifacts.reveal, a, A)
      }
    } else {
      this.cells = geographyCells(s).cells
      const map = (this.map = new HunterMap(s, this.cells, rng))
      this.hunterBucket = map.bucket
      for (let a = 0; a < s.artifacts.count; a++) {
        map.place(geo.artifactHotspots, rng)
        this.artifactLat[a] = map.pointLat
        this.artifactLon[a] = map.pointLon
        this.artifactBucket[a] = map.grid.bucketAt(map.pointLat, map.pointLon)
        this.artifactRevealAt[a] = revealTime(s.artifacts.reveal, a, s.artifacts.count)
      }
      if (geo.viral) {
        let lat = geo.viral.lat, lon = geo.viral.lon
        if (map.grid.bucketAt(lat, lon) < 0) {
          map.place([{ ...geo.viral, share: 1 }], rng)
          lat = map.pointLat
          lon = map.pointLon
        }
        this.artifactLat[A - 1] = lat
        this.artifactLon[A - 1] = lon
        this.artifactBucket[A - 1] = map.grid.bucketAt(lat, lon)
        this.artifactRevealAt[A - 1] = geo.viral.atMs
      }
    }
    this.off = new Int32Array(B + 1)
    for (let a = 0; a < A; a++) this.off[this.artifactBucket[a] + 1]++
    for (let b = 0; b < B; b++) this.off[b + 1] += this.off[b]
    const fill = this.off.slice(0, B)
    const order = new Int32Array(A)
    for (let a = 0; a < A; a++) order[fill[this.artifactBucket[a]]++] = a
    for (let b = 0; b < B; b++) {
      const seg = Array.from(order.subarray(this.off[b], this.off[b + 1]))
      seg.sort((x, y) => this.artifactRevealAt[x] - this.artifactRevealAt[y] || x - y)
      order.set(seg, this.off[b])
    }
    this.byBucket = order
    this.lo = this.off.slice(0, B)
    this.hi = this.off.slice(0, B)
    this.window = s.artifacts.claimWindowMs
    this.nextReveal = new Float64Array(B)
    this.nextClose = new Float64Array(B)
    for (let b = 0; b < B; b++) this.slide(b, -Infinity) // nothing open yet: note each bucket's first reveal
    const tasks = s.hunters.behaviour.tasks
    this.taskCum = new Float64Array(tasks.length)
    this.taskCommand = new Uint8Array(tasks.length)
    let acc = 0
    tasks.forEach((t, i) => {
      acc += t.weight
      this.taskCum[i] = acc
      this.taskCommand[i] = t.command === "claim" ? Command.CLAIM : Command.BALANCE
    })
    this.onlyCommand = tasks.length === 1 ? this.taskCommand[0] : -1
  }

  /** Pick the next task (weighted); returns its index. */
  pickTask(rng: Uniform): number {
    const c = this.taskCum
    if (c.length === 1) return 0
    const x = rng.next() * c[c.length - 1]
    let i = 0
    while (i < c.length - 1 && x >= c[i]) i++
    return i
  }

  /**
   * The artifact a hunter in `bucket` polls at time `t` (non-decreasing across calls): a
   * random open one; else the next to be revealed, else the last expired; -1 if the bucket
   * has none.
   */
  pickArtifact(bucket: number, t: number, rng: Uniform): number {
    const ids = this.byBucket
    const end = this.off[bucket + 1]
    if (t >= this.nextReveal[bucket] || t > this.nextClose[bucket]) this.slide(bucket, t)
    const hi = this.hi[bucket], lo = this.lo[bucket]
    if (hi > lo) return ids[lo + Math.floor(rng.next() * (hi - lo))]
    if (hi < end) return ids[hi]
    if (end > this.off[bucket]) return ids[end - 1]
    return -1
  }

  /** Move bucket `b`'s open window [lo, hi) up to time `t` and note when it next moves. */
  private slide(b: number, t: number): void {
    const revealAt = this.artifactRevealAt, ids = this.byBucket
    const end = this.off[b + 1]
    let hi = this.hi[b]
    while (hi < end && revealAt[ids[hi]] <= t) hi++
    this.hi[b] = hi
    let lo = this.lo[b]
    while (lo < hi && revealAt[ids[lo]] + this.window < t) lo++
    this.lo[b] = lo
    this.nextReveal[b] = hi < end ? revealAt[ids[hi]] : Infinity
    this.nextClose[b] = lo < hi ? revealAt[ids[lo]] + this.window : Infinity
  }
}
