// FastHistogram re-implements HdrHistogram's bucket layout over a Uint32Array; its
// percentiles must equal hdr-histogram-js's for the same values (recorded in µs), except
// that FastHistogram never reports more than the true maximum. summarize() goes through
// hdr-histogram-js and must agree too.
import fc from "fast-check"
import * as hdr from "hdr-histogram-js"
import { describe, expect, it } from "vitest"
import { FastHistogram, summarize } from "../../../src/metrics/histogram.ts"
import { checkProperty } from "../../support/property.ts"

const FILE = "test/src/metrics/histogram.test.ts"
const PERCENTILES = [50, 90, 99, 99.9] as const

// Latencies in ms, 0..10 000 with 3 decimals (i.e. whole µs), from several ranges so that
// many values share a bin (small values, tight clusters) as well as spread over decades.
const latencyMs = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map((us) => us / 1000),
  fc.integer({ min: 0, max: 5000 }).map((us) => us / 1000),
  fc.integer({ min: 2040, max: 2060 }).map((us) => us / 1000), // around the first bucket edge at 3 digits
  fc.integer({ min: 0, max: 30 }).map((k) => (2 ** k > 10_000_000 ? 10_000 : 2 ** k / 1000)), // powers of two (bucket edges)
  fc.constantFrom(0, 0.001, 1, 1.5, 10_000)
)
const latencies = fc.array(latencyMs, { minLength: 1, maxLength: 600 })

const toUs = (ms: number) => Math.round(ms * 1000)

const reference = (valuesMs: ReadonlyArray<number>, digits: 2 | 3) => {
  const h = hdr.build({ numberOfSignificantValueDigits: digits })
  for (const v of valuesMs) h.recordValue(toUs(v))
  return h
}

const fast = (valuesMs: ReadonlyArray<number>, digits: 2 | 3) => {
  const h = new FastHistogram(digits)
  for (const v of valuesMs) h.recordMs(v)
  return h
}

const r3 = (x: number) => Math.round(x * 1000) / 1000

/** The property body: FastHistogram percentiles = min(hdr percentile, true max). */
const percentilesMatch = (valuesMs: ReadonlyArray<number>, digits: 2 | 3): void => {
  const ref = reference(valuesMs, digits)
  const h = fast(valuesMs, digits)
  const maxUs = Math.max(...valuesMs.map(toUs))
  for (const p of PERCENTILES) {
    const want = Math.min(ref.getValueAtPercentile(p), maxUs) / 1000
    const got = h.percentileMs(p)
    if (got !== want) throw new Error(`digits ${digits}, p${p}: FastHistogram ${got} ms, hdr-histogram-js ${want} ms (n=${valuesMs.length})`)
  }
  ref.destroy()
}

describe("FastHistogram vs hdr-histogram-js", () => {
  it("percentileMs equals getValueAtPercentile / 1000, capped at the true max (3 digits)", () => {
    checkProperty(
      "percentileMs equals getValueAtPercentile / 1000, capped at the true max (3 digits)",
      FILE,
      fc.property(latencies, (vs) => percentilesMatch(vs, 3)),
      { numRuns: 300 }
    )
  })

  it("percentileMs equals getValueAtPercentile / 1000, capped at the true max (2 digits)", () => {
    checkProperty(
      "percentileMs equals getValueAtPercentile / 1000, capped at the true max (2 digits)",
      FILE,
      fc.property(latencies, (vs) => percentilesMatch(vs, 2)),
      { numRuns: 200 }
    )
  })

  it("summarize: count = input length, max = true max to the µs, mean and percentiles agree with hdr-histogram-js", () => {
    checkProperty(
      "summarize: count = input length, max = true max to the µs, mean and percentiles agree with hdr-histogram-js",
      FILE,
      fc.property(latencies, (vs) => {
        const s = summarize(fast(vs, 3))
        const us = vs.map(toUs)
        const maxUs = Math.max(...us)
        expect(s.count).toBe(vs.length)
        expect(s.max).toBe(r3(maxUs / 1000))
        expect(s.max).toBe(r3(Math.max(...vs)))
        expect(s.mean).toBe(r3(us.reduce((a, b) => a + b, 0) / us.length / 1000))
        const ref = reference(vs, 3)
        const at = (p: number) => r3(Math.min(ref.getValueAtPercentile(p), maxUs) / 1000)
        expect([s.p50, s.p95, s.p99, s.p999]).toEqual([at(50), at(95), at(99), at(99.9)])
        ref.destroy()
        // Percentiles are ordered and never exceed the max.
        expect(s.p50).toBeLessThanOrEqual(s.p95)
        expect(s.p95).toBeLessThanOrEqual(s.p99)
        expect(s.p99).toBeLessThanOrEqual(s.p999)
        expect(s.p999).toBeLessThanOrEqual(s.max)
      }),
      { numRuns: 200 }
    )
  })

  it("percentile error stays within HdrHistogram's precision (relative 10^-digits of the true order statistic)", () => {
    checkProperty(
      "percentile error stays within HdrHistogram's precision (relative 10^-digits of the true order statistic)",
      FILE,
      fc.property(latencies, (vs) => {
        const h = fast(vs, 3)
        const sorted = vs.map(toUs).sort((a, b) => a - b)
        for (const p of PERCENTILES) {
          const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
          const exact = sorted[rank - 1]
          const got = Math.round(h.percentileMs(p) * 1000)
          // Never below the exact order statistic; at most one bin width (≤ 1/1024 relative) above.
          expect(got).toBeGreaterThanOrEqual(exact)
          expect(got).toBeLessThanOrEqual(exact + Math.max(0, Math.floor(exact / 1024)))
        }
      }),
      { numRuns: 200 }
    )
  })

  it("an empty histogram reports zeros", () => {
    const h = new FastHistogram(3)
    expect(h.percentileMs(99)).toBe(0)
    expect(summarize(h)).toEqual({ p50: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, count: 0 })
  })

  it("reset empties it and add merges counts", () => {
    const a = fast([1, 2, 3], 3)
    const b = fast([100, 200], 3)
    a.add(b)
    expect(summarize(a).count).toBe(5)
    expect(summarize(a).max).toBe(200)
    // The merged histogram answers exactly like one that recorded all five values.
    const all = fast([1, 2, 3, 100, 200], 3)
    for (const p of PERCENTILES) expect(a.percentileMs(p)).toBe(all.percentileMs(p))
    expect(summarize(a)).toEqual(summarize(all))
    a.reset()
    expect(summarize(a).count).toBe(0)
    a.recordMs(0.5)
    expect(summarize(a).max).toBe(0.5)
  })

  // Regression: the wanted rank must be ceil(p/100·N − ulp) as in hdr-histogram-js. When
  // p/100·N lands one ulp above an integer (p = 99.9 with N = 1000: 0.999·1000 =
  // 999.0000000000001) a plain ceil picks rank N (the max) instead of rank N−1.
  it("p99.9 of 1000 spread values matches hdr-histogram-js (rank rounding)", () => {
    const vs = Array.from({ length: 1000 }, (_, i) => i + 1) // 1..1000 ms: ranks 999 and 1000 sit in different bins
    percentilesMatch(vs, 3)
  })

  it("add() merges another histogram's counts, including its highest bin", () =>
    checkProperty(
      "add",
      "test/src/metrics/histogram.test.ts",
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }).map((us) => us / 1000), { maxLength: 300 }), fc.array(fc.integer({ min: 0, max: 5_000_000 }).map((us) => us / 1000), { maxLength: 300 }), (xs, ys) => {
        const a = new FastHistogram(3), b = new FastHistogram(3), both = new FastHistogram(3)
        for (const x of xs) (a.recordMs(x), both.recordMs(x))
        for (const y of ys) (b.recordMs(y), both.recordMs(y))
        a.add(b)
        expect(a.total).toBe(both.total)
        expect(a.sumUs).toBe(both.sumUs)
        expect(a.maxUs).toBe(both.maxUs)
        expect(Array.from(a.counts)).toEqual(Array.from(both.counts))
      })
    ))
})

describe("FastHistogram.recordMs rounds exactly as Math.round", () => {
  // The fast path rounds in int32 arithmetic; the value kept (maxUs, sumUs, the bin) must be
  // Math.round(ms · 1000) clamped to [0, 2^32 − 1] for every double, halves and edges included.
  const ms = fc.oneof(
    fc.double({ min: 0, max: 5000, noNaN: true }),
    fc.integer({ min: 0, max: 4_000_000 }).map((k) => k / 2000), // exact halves of a µs
    fc.integer({ min: 0, max: 4_000_000 }).map((k) => (k + 0.5) / 1000),
    fc.double({ min: -10, max: 0, noNaN: true }),
    fc.double({ min: 2_000_000, max: 5_000_000, noNaN: true }), // around 2^31 µs and past 2^32 µs
    fc.constantFrom(0.49999999999999994 / 1000, 0.5 / 1000, 2147483.6465, 2147483.6475, 4294967.2955, 1e12)
  )
  it("one value at a time: maxUs and sumUs are the clamped Math.round", () => {
    checkProperty(
      "recordMs rounds as Math.round",
      FILE,
      fc.property(ms, (x) => {
        const h = new FastHistogram(3)
        h.recordMs(x)
        const want = Math.min(Math.max(Math.round(x * 1000), 0), 0xffffffff)
        if (h.maxUs !== want || h.sumUs !== want) throw new Error(`recordMs(${x}): kept ${h.maxUs} µs, Math.round gives ${want}`)
        expect(h.total).toBe(1)
        expect(h.percentileMs(100)).toBe(want / 1000)
      }),
      { numRuns: 2000 }
    )
  })
})
