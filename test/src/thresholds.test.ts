// Thresholds (issue 14, item 3): a path is checked against the report's Schema when the
// scenario is decoded; each comparator judges the figure at its path; a list per key; a
// figure the report lacks fails; a bad expression or an unknown path names its key.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { decodeScenario } from "../../src/scenario.ts"
import { compileThresholds, judge, numericPathProblem } from "../../src/thresholds.ts"

const problem = (thresholds: Record<string, unknown>) =>
  Effect.runSync(Effect.result(decodeScenario({ slo: { thresholds } })))

describe("thresholds", () => {
  it("accept the report's numeric figures, lists and bucket indices; refuse what is not one", () => {
    for (const p of ["latencyMs.p95", "latencyMs.mean", "errors.rate", "errors.byKind.timeout", "throughputPerSec", "claims.lostAcknowledged", "claims.collisions", "buckets.3.requests", "buckets[3].p99", "nodes.0.served"])
      expect(numericPathProblem(p), p).toBeUndefined()
    expect(numericPathProblem("latencyMs.p96")).toMatch(/latencyMs has no p96; it has p50, p95/)
    expect(numericPathProblem("errors")).toMatch(/not a number in the report/)
    expect(numericPathProblem("buckets.first.requests")).toMatch(/buckets is a list: the next step is an index/)
    expect(numericPathProblem("latencyMs..p95")).toMatch(/an empty step/)
  })

  it("an unknown figure or a bad expression is a scenario error naming the key", () => {
    const unknown = problem({ "latencyMs.p96": "< 1" })
    expect(unknown._tag).toBe("Failure")
    if (unknown._tag === "Failure") {
      expect(unknown.failure.field).toBe('slo.thresholds["latencyMs.p96"]')
      expect(unknown.failure.message).toMatch(/^unknown figure: latencyMs has no p96/)
    }
    for (const [spec, field] of [
      ["<< 200", 'slo.thresholds["errors.rate"]'],
      ["200", 'slo.thresholds["errors.rate"]'],
      [["< 1", "below 2"], 'slo.thresholds["errors.rate"][1]'],
      [{ threshold: "=< 1" }, 'slo.thresholds["errors.rate"].threshold']
    ] as const) {
      const r = problem({ "errors.rate": spec })
      expect(r._tag, JSON.stringify(spec)).toBe("Failure")
      if (r._tag === "Failure") {
        expect(r.failure.field).toBe(field)
        expect(r.failure.message).toMatch(/expected a comparator \(<, <=, >, >=, ==\) and a number/)
      }
    }
    expect(problem({ "errors.rate": [] })._tag).toBe("Failure")
  })

  it("judges each comparator on the figure at its path; a missing figure fails", () => {
    const report = { latencyMs: { p95: 100 }, errors: { rate: 0.01 }, buckets: [{ requests: 5 }, { requests: 7 }] }
    const cases: ReadonlyArray<readonly [string, string, boolean]> = [
      ["latencyMs.p95", "< 100", false], ["latencyMs.p95", "< 100.5", true],
      ["latencyMs.p95", "<= 100", true], ["latencyMs.p95", "<= 99.9", false],
      ["latencyMs.p95", "> 100", false], ["latencyMs.p95", "> 1e1", true],
      ["latencyMs.p95", ">= 100", true], ["latencyMs.p95", ">= 101", false],
      ["errors.rate", "== 0.01", true], ["errors.rate", "== 0", false],
      ["buckets[1].requests", "== 7", true], ["buckets.0.requests", "> 5", false]
    ]
    for (const [path, expr, pass] of cases) {
      const { thresholds, problem: p } = compileThresholds({ [path]: expr })
      expect(p).toBeUndefined()
      const [r] = judge(report, thresholds)
      expect(r.pass, `${path} ${expr}`).toBe(pass)
    }
    const [missing] = judge(report, compileThresholds({ "buckets.5.requests": "> 0" }).thresholds)
    expect(missing).toMatchObject({ actual: null, pass: false })
    const list = compileThresholds({ "errors.rate": ["< 1", { threshold: "<= 0.001", abortOnFail: true, delayAbortEvalMs: 500 }] }).thresholds
    expect(list.map((t) => [t.expression, t.abortOnFail, t.delayAbortEvalMs])).toEqual([["< 1", false, 0], ["<= 0.001", true, 500]])
  })
})
