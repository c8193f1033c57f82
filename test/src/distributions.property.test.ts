// The `empirical` distribution (a measured quantile table, issue 16): sampling reproduces its
// table — the draws' CDF at the table's points, their mean, their range — for any
// valid table; and invalid tables are refused naming the point at fault.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Prng } from "../../sim/prng.ts"
import { compile } from "../../src/distributions.ts"
import { decodeScenario, decodeScenarioSync, ScenarioError } from "../../src/scenario.ts"
import { Effect, Exit, Cause } from "effect"
import { checkProperty } from "../support/property.ts"

const FILE = "test/src/distributions.property.test.ts"

/** A valid table: 2–8 points, quantiles 0 < … < 1 strictly increasing, ms non-decreasing. */
const table = fc
  .record({
    inner: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { maxLength: 6 }),
    steps: fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 8, maxLength: 8 }),
    start: fc.double({ min: 0, max: 5, noNaN: true })
  })
  .map(({ inner, steps, start }) => {
    const qs = [0, ...[...inner].sort((a, b) => a - b).map((q) => q / 1000), 1]
    let ms = start
    return qs.map((q, i) => {
      ms += i === 0 ? 0 : steps[i]
      return [q, ms] as [number, number]
    })
  })

describe("empirical distribution", () => {
  it("samples match the table: quantiles at its points, mean, range", () =>
    checkProperty(
      "empirical sampling matches its table",
      FILE,
      fc.property(table, fc.integer({ min: 1, max: 1_000_000 }), (points, seed) => {
        const sampler = compile({ kind: "empirical", quantiles: points })
        const rng = new Prng(seed)
        const n = 40_000
        const draws = new Float64Array(n)
        for (let i = 0; i < n; i++) draws[i] = sampler.sample(rng)
        draws.sort()
        const lo = points[0][1], hi = points[points.length - 1][1], span = Math.max(hi - lo, 1e-9)
        expect(draws[0]).toBeGreaterThanOrEqual(lo - 1e-9)
        expect(draws[n - 1]).toBeLessThanOrEqual(hi + 1e-9)
        // The draws' CDF at each point's ms is its quantile: below it at most q, at or below it
        // at least q — within what n draws allow (4 σ ≈ 0.01) and the 4096-step tabulation.
        for (const [q, ms] of points) {
          let below = 0, atOrBelow = 0
          for (const x of draws) {
            if (x < ms) below++
            if (x <= ms) atOrBelow++
          }
          expect(below / n, `P(X < ${ms})`).toBeLessThanOrEqual(q + 0.012)
          expect(atOrBelow / n, `P(X <= ${ms})`).toBeGreaterThanOrEqual(q - 0.012)
        }
        const mean = draws.reduce((a, b) => a + b, 0) / n
        expect(Math.abs(mean - sampler.mean)).toBeLessThan(0.02 * span + 1e-6)
      }),
      { numRuns: 40 }
    ))

  it("a hand-checked table: median 2, mean 3.75", () => {
    const s = compile({ kind: "empirical", quantiles: [[0, 1], [0.5, 2], [1, 10]] })
    expect(s.mean).toBeCloseTo(3.75, 10)
    const rng = new Prng(3)
    const draws = Array.from({ length: 20_000 }, () => s.sample(rng)).sort((a, b) => a - b)
    expect(draws[10_000]).toBeCloseTo(2, 1)
  })

  it("a scenario may use it, and a bad table is refused naming the point", () => {
    const ok = decodeScenarioSync({ timing: { claim: { kind: "empirical", quantiles: [[0, 0.02], [0.5, 0.04], [0.99, 0.2], [1, 1]] } } })
    expect(ok.timing.claim.kind).toBe("empirical")
    const bad = (quantiles: unknown) => {
      const exit = Effect.runSyncExit(decodeScenario({ timing: { claim: { kind: "empirical", quantiles } } }))
      return Exit.isFailure(exit) ? (Cause.squash(exit.cause) as ScenarioError) : undefined
    }
    expect(bad([[0, 1], [0.5, 0.5], [1, 2]])?.field).toBe("timing.claim.quantiles[1][1]")
    expect(bad([[0.1, 1], [1, 2]])?.field).toBe("timing.claim.quantiles[0][0]")
    expect(bad([[0, 1], [0.9, 2]])?.field).toBe("timing.claim.quantiles[1][0]")
    expect(bad([[0, 1], [0.6, 2], [0.5, 3], [1, 4]])?.field).toBe("timing.claim.quantiles[2][0]")
    expect(bad([[0, 1]])?.field).toBe("timing.claim.quantiles")
    expect(bad([[0, 1], [1, -2]])?.field).toBe("timing.claim.quantiles[1][1]")
  })
})
