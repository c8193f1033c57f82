/**
 * The recorder: what a run measures, second by second and bucket by bucket. The driver tells
 * it each request that ended (ok with its latency, or an error of a kind), each attempt sent
 * to and returned from Redis, and each retry; at every second's end it closes a timeline row
 * (percentiles from that second's HDR window, requests in flight, open breakers, active
 * faults, stream backlog, consumer lag) and, every `everySec` seconds, a per-bucket column
 * for the heat maps. The hot-path methods are small so the JIT inlines them into the loop.
 */
import type { ClaimClient } from "../src/engine/client.ts"
import { OPEN } from "../src/engine/breaker.ts"
import { errorNames } from "../src/engine/protocol.ts"
import { FastHistogram } from "../src/metrics/histogram.ts"
import type { TimelineRow } from "../src/report.ts"
import type { Scenario } from "../src/scenario.ts"
import type { Tiers } from "./tiers.ts"
import type { Pipeline } from "./pipeline.ts"
import type { Prng } from "./prng.ts"
import type { Workload } from "./workload.ts"

/** A timeline row per second of simulated time. */
export const WINDOW_MS = 1000

/**
 * Per-bucket figures over time, for heat maps: one column per `everySec` seconds (at most
 * about 600 columns), each with one value per bucket.
 */
export interface BucketTimeline {
  readonly everySec: number
  readonly requests: Array<Float64Array>
  readonly errors: Array<Float64Array>
  readonly maxBacklog: Array<Int32Array>
  /** With geography only (hunters per bucket at the column's end); empty otherwise. */
  readonly hunters: Array<Int32Array>
  /** With a pipeline only: the most unread diffs in each bucket's stream; empty otherwise. */
  readonly streamBacklog: Array<Int32Array>
  /** Seconds of the column each bucket's breaker was open (rejecting) at the second's end. */
  readonly breakerOpen: Array<Int32Array>
}

/** What the recorder reads of the simulated world when a second closes. */
export interface RecordedWorld {
  readonly client: ClaimClient
  readonly rng: Prng
  readonly workload: Workload
  readonly pipeline: Pipeline | undefined
  readonly tiers: Tiers
  /** When the last win reached a log sink (for its consumer lag). */
  readonly lastSinkEventAt: number
  readonly bucketHunters: Int32Array
}

const r3 = (x: number) => Math.round(x * 1000) / 1000

export class Recorder {
  private readonly s: Scenario
  /** The whole run's latencies: each second's window is added in when it closes. */
  readonly latency = new FastHistogram(3)
  readonly window = new FastHistogram(3)
  readonly bucketLatency: Array<FastHistogram>
  readonly bucketRequests: Float64Array
  readonly bucketErrors: Float64Array
  readonly errorsByKind = new Float64Array(8)
  private readonly prevErrorsByKind = new Float64Array(8)
  readonly repliesByCode = new Float64Array(8)
  ok = 0
  // Attempts at Redis (sent, not yet returned), per bucket and in all.
  readonly inflight: Int32Array
  readonly bucketMaxBacklog: Int32Array
  totalInflight = 0
  readonly timeline: Array<TimelineRow> = []
  private wReq = 0
  private wOk = 0
  private wErr = 0
  private wRetries = 0
  /** When the open second ends. */
  windowEnd = WINDOW_MS
  /** Buckets that began splitting in the open second. */
  splits: Array<number> = []
  // Per-bucket columns (see BucketTimeline).
  readonly bucketTimeline: BucketTimeline
  private readonly winBacklog: Int32Array
  private readonly colRequests: Float64Array
  private readonly colErrors: Float64Array
  private readonly colBacklog: Int32Array
  private readonly prevRequests: Float64Array
  private readonly prevErrors: Float64Array
  private readonly colStream: Int32Array
  private readonly colBreaker: Int32Array
  private colSeconds = 0

  /** Example: `const rec = new Recorder(scenario, scenario.topology.buckets)`. */
  constructor(s: Scenario, buckets: number) {
    const B = buckets
    this.s = s
    this.bucketLatency = Array.from({ length: B }, () => new FastHistogram(2))
    this.bucketRequests = new Float64Array(B)
    this.bucketErrors = new Float64Array(B)
    this.inflight = new Int32Array(B)
    this.bucketMaxBacklog = new Int32Array(B)
    this.winBacklog = new Int32Array(B)
    this.colRequests = new Float64Array(B)
    this.colErrors = new Float64Array(B)
    this.colBacklog = new Int32Array(B)
    this.prevRequests = new Float64Array(B)
    this.prevErrors = new Float64Array(B)
    this.colStream = new Int32Array(B)
    this.colBreaker = new Int32Array(B)
    this.bucketTimeline = { everySec: Math.max(1, Math.ceil(Math.ceil(s.durationMs / WINDOW_MS) / 600)), requests: [], errors: [], maxBacklog: [], hunters: [], streamBacklog: [], breakerOpen: [] }
  }

  /** An attempt left for Redis (or a refusing worker) in `bucket`. */
  sent(bucket: number): void {
    const inf = ++this.inflight[bucket]
    if (inf > this.winBacklog[bucket]) {
      this.winBacklog[bucket] = inf
      if (inf > this.bucketMaxBacklog[bucket]) this.bucketMaxBacklog[bucket] = inf
    }
    this.totalInflight++
  }

  /** An attempt in `bucket` came back (a reply, an error or the client's timeout). */
  returned(bucket: number): void {
    this.inflight[bucket]--
    this.totalInflight--
  }

  retried(): void {
    this.wRetries++
  }

  /** A request in `bucket` ended well after `ms` (from its intended start) with `reply`. */
  succeeded(bucket: number, ms: number, reply: number): void {
    this.wReq++
    this.bucketRequests[bucket]++
    this.window.recordMs(ms)
    this.bucketLatency[bucket].recordMs(ms)
    this.ok++
    this.wOk++
    this.repliesByCode[reply]++
  }

  /** A request in `bucket` ended with an error of `kind` (an ErrorKind). */
  failed(bucket: number, kind: number): void {
    this.wReq++
    this.bucketRequests[bucket]++
    this.errorsByKind[kind]++
    this.wErr++
    this.bucketErrors[bucket]++
  }

  /** Close every second that ends by `t`. */
  roll(t: number, world: RecordedWorld): void {
    while (t >= this.windowEnd) this.closeSecond(world)
  }

  /** At the end of the run (`end`): close the seconds up to it and the last, partial one. */
  finish(end: number, world: RecordedWorld): void {
    this.roll(end, world)
    if (this.windowEnd - WINDOW_MS < end) this.closeSecond(world)
  }

  private closeSecond(world: RecordedWorld): void {
    const second = this.windowEnd / WINDOW_MS - 1
    const from = this.windowEnd - WINDOW_MS
    const faults: Array<number> = []
    this.s.faults.forEach((f, i) => {
      if (f.atMs < this.windowEnd && f.atMs + f.durationMs > from) faults.push(i)
    })
    const sink = world.tiers.sink
    this.timeline.push({
      second,
      requests: this.wReq,
      ok: this.wOk,
      errors: this.wErr,
      errorsByKind: this.secondErrorsByKind(),
      retries: this.wRetries,
      p50: r3(this.window.percentileMs(50)),
      p99: r3(this.window.percentileMs(99)),
      max: r3(this.window.maxUs / 1000),
      backlog: this.totalInflight,
      breakersOpen: world.client.breakers.openAt(this.windowEnd),
      faults,
      ...(world.pipeline ? { streamBacklog: this.streamBacklogAt(this.windowEnd, world), splits: this.splits } : {}),
      ...(sink?.cfg.mode === "log" ? { consumerLagMs: r3(sink.lagAt(this.windowEnd, world.lastSinkEventAt)) } : {})
    })
    this.splits = []
    this.latency.add(this.window)
    this.window.reset()
    this.closeBucketSecond(world)
    this.wReq = this.wOk = this.wErr = this.wRetries = 0
    this.windowEnd += WINDOW_MS
  }

  private secondErrorsByKind(): Record<string, number> {
    const out: Record<string, number> = {}
    for (let k = 1; k < errorNames.length; k++) out[errorNames[k]] = this.errorsByKind[k] - this.prevErrorsByKind[k]
    this.prevErrorsByKind.set(this.errorsByKind)
    return out
  }

  /** Unread diffs in every stream at `t` (each worker brought up to `t` first). */
  private streamBacklogAt(t: number, world: RecordedWorld): number {
    const pl = world.pipeline!
    let n = 0
    for (let b = 0; b < this.inflight.length; b++) {
      pl.advance(b, t, world.rng)
      n += pl.backlog(b)
    }
    return n
  }

  private closeBucketSecond(world: RecordedWorld): void {
    const B = this.inflight.length
    for (let b = 0; b < B; b++) {
      this.colRequests[b] += this.bucketRequests[b] - this.prevRequests[b]
      this.colErrors[b] += this.bucketErrors[b] - this.prevErrors[b]
      if (this.winBacklog[b] > this.colBacklog[b]) this.colBacklog[b] = this.winBacklog[b]
      this.winBacklog[b] = this.inflight[b] // what is still in flight opens the next window
    }
    const br = world.client.breakers
    for (let b = 0; b < B; b++) if (br.state[b] === OPEN && this.windowEnd < br.openUntil[b]) this.colBreaker[b]++
    this.prevRequests.set(this.bucketRequests)
    this.prevErrors.set(this.bucketErrors)
    const bt = this.bucketTimeline
    if (++this.colSeconds < bt.everySec && this.windowEnd < this.s.durationMs) return
    bt.requests.push(this.colRequests.slice())
    bt.errors.push(this.colErrors.slice())
    bt.maxBacklog.push(this.colBacklog.slice())
    bt.breakerOpen.push(this.colBreaker.slice())
    this.colBreaker.fill(0)
    if (world.workload.map) bt.hunters.push(world.bucketHunters.slice())
    if (world.pipeline) {
      world.pipeline.takeWindowBacklog(this.colStream)
      bt.streamBacklog.push(this.colStream.slice())
      this.colStream.fill(0)
    }
    this.colRequests.fill(0)
    this.colErrors.fill(0)
    this.colBacklog.fill(0)
    this.colSeconds = 0
  }
}
