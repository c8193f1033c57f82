/**
 * The per-bucket pipeline behind the claim script (see `pipeline` in the scenario): a
 * stream of diffs per bucket, one worker per bucket consuming it in order and fanning each
 * diff out to the bucket's subscribers, a backlog cap that trims the oldest unread entries,
 * subscriber-cap shard splits into the geohash prefix's 32 child cells, and an edge cache of
 * each bucket's latest diff.
 *
 * Workers are simulated lazily, without events of their own: a worker is brought up to
 * time t (Lindley's recursion over its FIFO queue) whenever something looks at its bucket —
 * a new diff, a cache read, a split, the end of the run. Service times are drawn in that
 * order from the driver's generator, so a run stays replayable. A diff whose script ran
 * slightly before the bucket's previous one (RTT jitter) joins the queue at the previous
 * one's time.
 */
import ngeohash from "ngeohash"
import { compile, type Sampler, type Uniform } from "../src/distributions.ts"
import { FastHistogram, summarize } from "../src/metrics/histogram.ts"
import type { Scenario } from "../src/scenario.ts"
import { F64 } from "../src/typed.ts"
import type { PipelineReport } from "../src/tiers/pipeline.ts"

const r6 = (x: number) => Math.round(x * 1e6) / 1e6
const sum = (xs: ArrayLike<number>) => {
  let n = 0
  for (let i = 0; i < xs.length; i++) n += xs[i]
  return n
}

type PipelineConfig = NonNullable<Scenario["pipeline"]>

const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"

/**
 * One consumer of one stream: a FIFO ring (power-of-two size, grown up to the cap) of unread
 * diffs — arrival time and artifact (whose child cell decides where it goes on a split).
 */
class Worker {
  arrivals: Float64Array
  artifact: Int32Array
  mask: number
  head = 0
  n = 0
  free = 0
  lastArrival = F64
  constructor(capacity: number) {
    this.arrivals = new Float64Array(capacity)
    this.artifact = new Int32Array(capacity)
    this.mask = capacity - 1
  }
  push(at: number, artifact: number, cap: number): boolean {
    let trimmed = false
    if (this.n === cap) {
      // XADD … MAXLEN: the oldest entry goes, unread.
      this.head = (this.head + 1) & this.mask
      this.n--
      trimmed = true
    }
    if (this.n === this.arrivals.length) this.grow()
    const i = (this.head + this.n) & this.mask
    this.arrivals[i] = at
    this.artifact[i] = artifact
    this.n++
    return trimmed
  }
  private grow(): void {
    const size = this.arrivals.length * 2
    const a = new Float64Array(size), c = new Int32Array(size)
    for (let k = 0; k < this.n; k++) {
      a[k] = this.arrivals[(this.head + k) & this.mask]
      c[k] = this.artifact[(this.head + k) & this.mask]
    }
    this.arrivals = a
    this.artifact = c
    this.mask = size - 1
    this.head = 0
  }
  pop(): void {
    this.head = (this.head + 1) & this.mask
    this.n--
  }
}

export interface SplitRecord {
  readonly bucket: number
  readonly name: string
  readonly atMs: number
  readonly doneAtMs: number
  readonly subscribers: number
  /** Child cells that had subscribers or artifacts when it split. */
  readonly children: number
}

export class Pipeline {
  readonly cfg: PipelineConfig
  private readonly service: Sampler
  private readonly workers: Array<Worker>
  /** A split bucket's 32 child workers (after the split is done), else undefined. */
  private readonly children: Array<Array<Worker> | undefined>
  /** Per split bucket: subscribers per child cell. */
  private readonly childSubs: Array<Int32Array | undefined>
  /** When a bucket's split completes (Infinity: not splitting), and while it runs the worker stops. */
  readonly splitDoneAt: Float64Array
  readonly splits: Array<SplitRecord> = []
  // Per bucket figures.
  readonly diffs: Float64Array
  readonly delivered: Float64Array
  readonly trimmed: Float64Array
  readonly maxBacklog: Int32Array
  readonly maxLagMs: Float64Array
  /** Diff delivery latency: entering the stream → fanned out to every subscriber. */
  readonly lag = new FastHistogram(2)
  // The edge cache: when each bucket's entry was fetched, and since when it is stale.
  private readonly cachedAt: Float64Array
  private readonly staleSince: Float64Array
  readonly hits: Float64Array
  readonly misses: Float64Array
  readonly staleHits: Float64Array
  readonly staleness = new FastHistogram(2)
  private readonly ttlMs: number
  private readonly fanoutMs: number
  private readonly cap: number
  private readonly winsOnly: boolean
  /** The worker's service time when it is constant (no draw), else -1. */
  private readonly constantService: number
  /** Per bucket, for heat maps: the most unread entries since the last `takeWindowBacklog`. */
  readonly windowBacklog: Int32Array

  /** Example: `const p = new Pipeline(scenario, subscribers, cells)`; then `onClaim`, `read`. */
  private readonly subscribers: Int32Array
  private readonly cells: ReadonlyArray<string>
  private readonly artifactLat: Float64Array
  private readonly artifactLon: Float64Array

  constructor(s: Scenario, subscribers: Int32Array, cells: ReadonlyArray<string>, artifactLat: Float64Array, artifactLon: Float64Array) {
    this.subscribers = subscribers
    this.cells = cells
    this.artifactLat = artifactLat
    this.artifactLon = artifactLon
    this.cfg = s.pipeline!
    this.ttlMs = this.cfg.edgeCache?.ttlMs ?? 0
    this.fanoutMs = this.cfg.fanoutPerSubscriberMs
    this.cap = this.cfg.backlogCap
    this.winsOnly = this.cfg.diffs === "wins"
    this.constantService = this.cfg.workerServiceMs.kind === "constant" ? this.cfg.workerServiceMs.ms : -1
    const B = s.topology.buckets
    this.service = compile(this.cfg.workerServiceMs)
    this.workers = Array.from({ length: B }, () => new Worker(64))
    this.children = new Array(B).fill(undefined)
    this.childSubs = new Array(B).fill(undefined)
    this.splitDoneAt = new Float64Array(B).fill(Infinity)
    this.diffs = new Float64Array(B)
    this.delivered = new Float64Array(B)
    this.trimmed = new Float64Array(B)
    this.maxBacklog = new Int32Array(B)
    this.maxLagMs = new Float64Array(B)
    this.cachedAt = new Float64Array(B).fill(-Infinity)
    this.staleSince = new Float64Array(B).fill(Infinity)
    this.hits = new Float64Array(B)
    this.misses = new Float64Array(B)
    this.staleHits = new Float64Array(B)
    this.windowBacklog = new Int32Array(B)
  }

  /** The child cell (0–31) of a point inside bucket `b`'s prefix. */
  private childAt(b: number, lat: number, lon: number): number {
    const p = this.cells[b]
    return BASE32.indexOf(ngeohash.encode(lat, lon, p.length + 1).charAt(p.length))
  }

  /** Bring bucket `b`'s worker(s) up to time `t`. */
  advance(b: number, t: number, rng: Uniform): void {
    const kids = this.children[b]
    if (kids === undefined) {
      const w = this.workers[b]
      // Nothing to do (the common case on a read), or splitting: it serves nothing until done.
      if (w.n === 0 || this.splitDoneAt[b] !== Infinity) return
      this.run(b, w, t, -1, rng)
      return
    }
    for (let c = 0; c < 32; c++) this.run(b, kids[c], t, c, rng)
  }

  private run(b: number, w: Worker, t: number, child: number, rng: Uniform): void {
    const subs = this.childSubs[b]
    while (w.n > 0) {
      const arrival = w.arrivals[w.head]
      const start = Math.max(arrival, w.free)
      if (start > t) break
      const fanout = child >= 0 && subs ? subs[child] : this.subscribers[b]
      const service = this.constantService >= 0 ? this.constantService : this.service.sample(rng)
      const finish = start + service + this.fanoutMs * fanout
      w.free = finish
      w.pop()
      this.delivered[b]++
      const lagMs = finish - arrival
      this.lag.recordMs(lagMs)
      if (lagMs > this.maxLagMs[b]) this.maxLagMs[b] = lagMs
      // From this delivery on, the edge cache holds an older diff than the origin has.
      if (finish > this.cachedAt[b] && finish < this.staleSince[b]) this.staleSince[b] = finish
    }
  }

  /** Unread entries in bucket `b`'s stream(s). */
  backlog(b: number): number {
    const kids = this.children[b]
    if (kids === undefined) return this.workers[b].n
    let n = 0
    for (const k of kids) n += k.n
    return n
  }

  /** A claim's script ran on `artifact` in bucket `b` at `at` with reply `won` or not. */
  onClaim(b: number, artifact: number, won: boolean, at: number, rng: Uniform): void {
    if (!won && this.winsOnly) return
    this.advance(b, at, rng)
    const kids = this.children[b]
    const w = kids !== undefined ? kids[this.childAt(b, this.artifactLat[artifact], this.artifactLon[artifact])] : this.workers[b]
    const arrival = Math.max(at, w.lastArrival)
    w.lastArrival = arrival
    this.diffs[b]++
    if (w.push(arrival, artifact, this.cap)) this.trimmed[b]++
    const n = kids === undefined ? w.n : this.backlog(b)
    if (n > this.maxBacklog[b]) this.maxBacklog[b] = n
    if (n > this.windowBacklog[b]) this.windowBacklog[b] = n
  }

  /** A hunter in bucket `b` reads its bucket's latest diff through the edge cache at `t`. */
  read(b: number, t: number, rng: Uniform): void {
    const ttl = this.ttlMs
    this.advance(b, t, rng)
    if (t - this.cachedAt[b] <= ttl) {
      this.hits[b]++
      const stale = this.staleSince[b] <= t ? t - this.staleSince[b] : 0
      if (stale > 0) this.staleHits[b]++
      this.staleness.recordMs(stale)
      return
    }
    this.misses[b]++
    this.cachedAt[b] = t
    // Refetched: fresh — until a diff already in service (it finishes after t) is delivered.
    let next = Infinity
    const kids = this.children[b]
    if (kids === undefined) next = this.workers[b].free
    else for (const k of kids) if (k.free > t && k.free < next) next = k.free
    this.staleSince[b] = next > t ? next : Infinity
  }

  /**
   * Start splitting bucket `b` at `t` if its subscribers passed the cap; returns when the
   * split completes (for the driver's event), or -1.
   */
  /** Has bucket `b` passed the subscriber cap without having split? */
  wouldSplit(b: number): boolean {
    const cap = this.cfg.subscriberCap
    return cap !== undefined && this.subscribers[b] > cap && this.splitDoneAt[b] === Infinity && this.children[b] === undefined
  }

  maybeSplit(b: number, t: number, hunterLat: Float64Array, hunterLon: Float64Array, hunterBucket: Int32Array, rng: Uniform): number {
    if (!this.wouldSplit(b)) return -1
    this.advance(b, t, rng)
    const done = t + this.cfg.split.durationMs
    this.splitDoneAt[b] = done
    const subs = new Int32Array(32)
    for (let h = 0; h < hunterBucket.length; h++) if (hunterBucket[h] === b) subs[this.childAt(b, hunterLat[h], hunterLon[h])]++
    this.childSubs[b] = subs
    let children = 0
    for (let c = 0; c < 32; c++) if (subs[c] > 0) children++
    this.splits.push({ bucket: b, name: this.cells[b], atMs: t, doneAtMs: done, subscribers: this.subscribers[b], children })
    return done
  }

  /** The split of bucket `b` is done at `t`: its unread diffs move to the child workers. */
  finishSplit(b: number, t: number): void {
    const w = this.workers[b]
    const kids = Array.from({ length: 32 }, () => new Worker(64))
    for (const k of kids) k.free = t
    while (w.n > 0) {
      const a = w.artifact[w.head]
      const k = kids[this.childAt(b, this.artifactLat[a], this.artifactLon[a])]
      k.lastArrival = Math.max(w.arrivals[w.head], k.lastArrival)
      k.push(k.lastArrival, a, this.cap)
      w.pop()
    }
    this.children[b] = kids
    this.splitDoneAt[b] = Infinity
  }

  /** A hunter moved within or into/out of a split bucket: keep its child's subscriber count. */
  onMove(from: number, to: number, prevLat: number, prevLon: number, lat: number, lon: number): void {
    const a = this.childSubs[from]
    if (a !== undefined) a[this.childAt(from, prevLat, prevLon)]--
    const c = this.childSubs[to]
    if (c !== undefined) c[this.childAt(to, lat, lon)]++
  }

  /** A split bucket's subscribers per child cell (a copy), or undefined. */
  childSubscribers(b: number): Array<number> | undefined {
    const a = this.childSubs[b]
    return a === undefined ? undefined : Array.from(a)
  }

  /** Whether bucket `b` has split (or is splitting). */
  isSplit(b: number): boolean {
    return this.childSubs[b] !== undefined
  }

  /** The most unread entries per bucket since the last call (a heat-map column), then reset. */
  takeWindowBacklog(into: Int32Array): void {
    for (let b = 0; b < into.length; b++) {
      if (this.windowBacklog[b] > into[b]) into[b] = this.windowBacklog[b]
      this.windowBacklog[b] = this.backlog(b)
    }
  }

  /** Bring every worker to the end of the run. */
  finish(t: number, rng: Uniform): void {
    for (let b = 0; b < this.workers.length; b++) this.advance(b, t, rng)
  }

  /** The report's `pipeline` section, after `finish`. */
  report(): PipelineReport {
    let backlogAtEnd = 0
    for (let b = 0; b < this.diffs.length; b++) backlogAtEnd += this.backlog(b)
    const hits = sum(this.hits), misses = sum(this.misses)
    return {
      diffs: sum(this.diffs),
      delivered: sum(this.delivered),
      trimmed: sum(this.trimmed),
      backlogAtEnd,
      maxBacklog: Math.max(0, ...this.maxBacklog),
      lagMs: summarize(this.lag),
      ...(this.cfg.edgeCache
        ? { edgeCache: { hits, misses, hitRate: r6(hits + misses > 0 ? hits / (hits + misses) : 0), staleHits: sum(this.staleHits), stalenessMs: summarize(this.staleness) } }
        : {}),
      splits: this.splits
    }
  }
}
