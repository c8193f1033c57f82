/**
 * Latency histograms. Recording uses HdrHistogram's exact bucket layout (log-linear,
 * `digits` significant decimal digits, unit 1 µs) over a Uint32Array — about 30× faster per
 * value than hdr-histogram-js's `recordValue`, which measured ~110 ns here and would have
 * cost seconds on a 45 M-request hunt. `toHdr()` hands the counts to hdr-histogram-js for
 * the report's percentiles and its standard compressed encoding, and the percentiles
 * computed here follow HdrHistogram's definition (tested equal).
 */
import * as hdr from "hdr-histogram-js"
import { F64 } from "../typed.ts"

const MAX_US = 0xffffffff

/** The gap between x and the next larger double (for x ≥ 0). */
const ulp = (x: number): number => {
  if (x === 0) return Number.MIN_VALUE
  const e = Math.floor(Math.log2(x))
  return 2 ** (e - 52)
}

export class FastHistogram {
  readonly counts: Uint32Array
  private readonly halfMag: number
  private readonly base: number // 21 - (halfMag - 10): bucket index offset for clz32
  total = 0
  maxUs = F64
  sumUs = F64

  readonly digits: 2 | 3

  /** Example: `const h = new FastHistogram(3); h.recordMs(1.5); h.percentileMs(99)`. */
  constructor(digits: 2 | 3 = 3) {
    this.digits = digits
    const subBucketCount = 2 ** Math.ceil(Math.log2(2 * 10 ** digits))
    this.halfMag = Math.log2(subBucketCount) - 1
    this.base = 31 - this.halfMag
    const maxBucket = this.base - Math.clz32(MAX_US)
    this.counts = new Uint32Array((maxBucket + 2) << this.halfMag)
    this.maxUs = 0 // doubles (F64), but +0
    this.sumUs = 0
  }

  private index(v: number): number {
    const mask = (1 << (this.halfMag + 1)) - 1
    const bucket = this.base - Math.clz32(v | mask)
    const sub = v >>> bucket
    return ((bucket + 1) << this.halfMag) + sub - (1 << this.halfMag)
  }

  /** Record a latency in milliseconds (stored as whole microseconds, rounded half up). */
  recordMs(ms: number): void {
    const x = ms * 1000
    if (x >= 0 && x < 2147483647) {
      // Math.round in int32 arithmetic: Math.round measured ~4 ns here, and three records
      // per request made it ~3 % of the reference hunt. floor(x + 0.5) equals Math.round(x)
      // for every double in range except just below 0.5, where x + 0.5 rounds up to 1.
      let v = (x + 0.5) | 0
      if (v - x > 0.5) v--
      const h = this.halfMag
      const bucket = this.base - Math.clz32(v | ((2 << h) - 1))
      this.counts[((bucket + 1) << h) + (v >>> bucket) - (1 << h)]++
      this.total++
      this.sumUs += v
      if (v > this.maxUs) this.maxUs = v
    } else this.recordLarge(x)
  }

  /** Beyond int32 microseconds (35 minutes), or negative: clamped into [0, MAX_US]. */
  private recordLarge(x: number): void {
    let v = Math.round(x)
    if (v > MAX_US) v = MAX_US
    else if (!(v > 0)) v = 0
    this.counts[this.index(v)]++
    this.total++
    this.sumUs += v
    if (v > this.maxUs) this.maxUs = v
  }

  /** The lowest and highest value (µs) that share bin `i`. */
  private binRange(i: number): [number, number] {
    const half = 1 << this.halfMag
    let bucket = (i >> this.halfMag) - 1
    let sub = (i & (half - 1)) + half
    if (bucket < 0) {
      sub -= half
      bucket = 0
    }
    const lo = sub * 2 ** bucket
    return [lo, lo + 2 ** bucket - 1]
  }

  /**
   * The value at `p` percent, as HdrHistogram defines it (the highest value equivalent to
   * the bin holding the ⌈p·N/100⌉-th smallest value), in ms. Example: `h.percentileMs(99.9)`.
   */
  percentileMs(p: number): number {
    if (this.total === 0) return 0
    // As HdrHistogram: subtract one ulp before rounding up, so 0.999 × 1000 is rank 999.
    const fp = (Math.min(p, 100) / 100) * this.total
    const want = Math.max(1, Math.ceil(fp - ulp(fp)))
    let seen = 0
    const c = this.counts
    for (let i = 0; i < c.length; i++) {
      seen += c[i]
      if (seen >= want) return Math.min(this.binRange(i)[1], this.maxUs) / 1000
    }
    return this.maxUs / 1000
  }

  meanMs(): number {
    return this.total === 0 ? 0 : this.sumUs / this.total / 1000
  }

  /** Add another histogram's counts (same digits). */
  add(o: FastHistogram): void {
    if (o.total === 0) return
    const c = this.counts, oc = o.counts
    // Only up to the other's highest bin: windows are mostly empty above their max.
    const top = Math.min(c.length - 1, this.index(Math.min(o.maxUs, MAX_US)))
    for (let i = 0; i <= top; i++) c[i] += oc[i]
    this.total += o.total
    this.sumUs += o.sumUs
    if (o.maxUs > this.maxUs) this.maxUs = o.maxUs
  }

  reset(): void {
    if (this.total === 0) return
    this.counts.fill(0)
    this.total = 0
    this.sumUs = 0
    this.maxUs = 0
  }

  /** The same counts as an hdr-histogram-js histogram (values in µs). */
  toHdr(): hdr.Histogram {
    const h = hdr.build({
      bitBucketSize: 64,
      numberOfSignificantValueDigits: this.digits,
      lowestDiscernibleValue: 1,
      highestTrackableValue: MAX_US,
      autoResize: true
    })
    const c = this.counts
    for (let i = 0; i < c.length; i++) {
      if (c[i] > 0) h.recordValueWithCount(Math.min(this.binRange(i)[0], MAX_US), c[i])
    }
    return h
  }
}

/** Percentile summary in ms, rounded to µs so reports stay readable and stable. */
export interface LatencySummary {
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly p999: number
  readonly max: number
  readonly mean: number
  readonly count: number
}

const r3 = (x: number) => Math.round(x * 1000) / 1000

/**
 * Summarize through hdr-histogram-js. Example: `summarize(h).p99` is HdrHistogram's p99 in ms.
 */
export const summarize = (h: FastHistogram): LatencySummary => {
  if (h.total === 0) return { p50: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, count: 0 }
  const x = h.toHdr()
  const at = (p: number) => r3(Math.min(x.getValueAtPercentile(p), h.maxUs) / 1000)
  const out = { p50: at(50), p95: at(95), p99: at(99), p999: at(99.9), max: r3(h.maxUs / 1000), mean: r3(h.meanMs()), count: h.total }
  x.destroy()
  return out
}

/** The histogram in HdrHistogram's standard compressed base64 form (loadable by HdrHistogram tools). */
export const encodeHdr = (h: FastHistogram): string => {
  const x = h.toHdr()
  const s = hdr.encodeIntoCompressedBase64(x)
  x.destroy()
  return s
}
