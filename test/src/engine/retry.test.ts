// Retry backoff: baseMs·2^(attempt−1) capped at maxMs, then reduced by up to `jitter` of
// itself by the uniform draw u ∈ [0, 1).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { backoffMs, type RetryPolicy } from "../../../src/engine/retry.ts"
import { checkProperty } from "../../support/property.ts"

const FILE = "test/src/engine/retry.test.ts"

const policyArb: fc.Arbitrary<RetryPolicy> = fc
  .record({
    max: fc.integer({ min: 0, max: 20 }),
    baseMs: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 500, noNaN: true })),
    capFactor: fc.double({ min: 1, max: 10_000, noNaN: true }),
    jitter: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }))
  })
  .map(({ capFactor, ...p }) => ({ ...p, maxMs: p.baseMs * capFactor }))

const attemptArb = fc.integer({ min: 1, max: 21 })
const uArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

describe("backoffMs", () => {
  it("without jitter: baseMs, then doubling each attempt until capped at maxMs", () => {
    const p: RetryPolicy = { max: 10, baseMs: 50, maxMs: 1000, jitter: 0 }
    const got = Array.from({ length: 8 }, (_, i) => backoffMs(p, i + 1, 0.7))
    // Computed from the rule, not copied: 50·2^k capped at 1000.
    const want = Array.from({ length: 8 }, (_, i) => Math.min(1000, 50 * 2 ** i))
    expect(got).toEqual(want)
    expect(got[0]).toBe(p.baseMs)
    expect(got.at(-1)).toBe(p.maxMs)
  })

  it("doubles until the cap, then stays at maxMs (property, jitter 0)", () => {
    checkProperty(
      "doubles until the cap, then stays at maxMs (property, jitter 0)",
      FILE,
      fc.property(policyArb, attemptArb, uArb, (p0, attempt, u) => {
        const p = { ...p0, jitter: 0 }
        const d = backoffMs(p, attempt, u)
        const next = backoffMs(p, attempt + 1, u)
        expect(d).toBeLessThanOrEqual(p.maxMs)
        expect(next).toBeGreaterThanOrEqual(d)
        if (2 * d <= p.maxMs) expect(next).toBe(2 * d)
        else expect(next).toBe(p.maxMs)
        if (attempt === 1) expect(d).toBe(Math.min(p.baseMs, p.maxMs))
      }),
      { numRuns: 500 }
    )
  })

  it("jitter keeps the delay in [d·(1−jitter), d], d the un-jittered delay", () => {
    checkProperty(
      "jitter keeps the delay in [d·(1−jitter), d], d the un-jittered delay",
      FILE,
      fc.property(policyArb, attemptArb, uArb, (p, attempt, u) => {
        const d = Math.min(p.maxMs, p.baseMs * 2 ** (attempt - 1))
        const got = backoffMs(p, attempt, u)
        expect(got).toBeLessThanOrEqual(d)
        expect(got).toBeGreaterThanOrEqual(d * (1 - p.jitter) - 1e-9 * d)
        expect(got).toBeGreaterThanOrEqual(0)
        // A larger draw never gives a longer delay.
        const u2 = u + (1 - u) / 2
        expect(backoffMs(p, attempt, u2)).toBeLessThanOrEqual(got)
      }),
      { numRuns: 500 }
    )
  })

  it("jitter spans its whole range: u = 0 gives d, u → 1 approaches d·(1−jitter)", () => {
    const p: RetryPolicy = { max: 3, baseMs: 100, maxMs: 10_000, jitter: 0.5 }
    expect(backoffMs(p, 2, 0)).toBe(200)
    expect(backoffMs(p, 2, 0.999999)).toBeCloseTo(100, 3)
    expect(backoffMs(p, 2, 0.5)).toBeCloseTo(150, 9)
    // jitter 0 ignores u entirely.
    const q = { ...p, jitter: 0 }
    expect(new Set([0, 0.3, 0.99].map((u) => backoffMs(q, 3, u))).size).toBe(1)
  })
})
