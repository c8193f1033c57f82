// The Report Schema: a report the CLI writes decodes back to itself; a report of another
// version, a non-report and a field out of shape are refused with the version or field named.
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/driver.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeReport, REPORT_VERSION, type Report } from "../../src/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"

const report = (over: Record<string, unknown> = {}): Report =>
  buildReport(simulate(decodeScenarioSync({ seed: 3, durationMs: 5000, hunters: { count: 100 }, artifacts: { count: 20 }, topology: { buckets: 4, nodes: 2 }, ...over })), "t", 1)

const failure = (input: unknown) => {
  const exit = Effect.runSyncExit(decodeReport(input))
  expect(Exit.isFailure(exit)).toBe(true)
  return (Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined) as { _tag: string; field: string; message: string }
}

describe("decodeReport", () => {
  it("a report as written to JSON decodes back to an equal report (with and without optional tiers)", () => {
    for (const r of [report(), report({ app: { workers: 2 }, sink: { mode: "log" }, faults: [{ kind: "pause", atMs: 1000, durationMs: 200, target: 0 }] })]) {
      const json = JSON.parse(JSON.stringify(r)) as unknown
      expect(Effect.runSync(decodeReport(json))).toEqual(json)
    }
  })

  it("refuses another version, naming the one it reads", () => {
    const e = failure({ ...JSON.parse(JSON.stringify(report())), version: 1 })
    expect(e._tag).toBe("ReportError")
    expect(e.field).toBe("version")
    expect(e.message).toContain(`report version 1; this huntbench reads version ${REPORT_VERSION}`)
  })

  it("refuses what is not a report, and names a field out of shape", () => {
    expect(failure({ hello: "world" }).message).toContain("not a huntbench report")
    expect(failure([1, 2]).field).toBe("(root)")
    const r = JSON.parse(JSON.stringify(report())) as Record<string, Record<string, unknown>>
    expect(failure({ ...r, claims: { ...r.claims, won: "many" } }).field).toBe("claims.won")
    const rows = r.timeline as unknown as Array<Record<string, unknown>>
    expect(failure({ ...r, timeline: [rows[0], { ...rows[1], p99: null }] }).field).toBe("timeline[1].p99")
  })
})
