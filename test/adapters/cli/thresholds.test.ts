// Thresholds through the real CLI: each one printed pass/fail with its figure; a breached one
// exits 1 and names the figure; abortOnFail stops the run at the first check it fails (a
// partial report marked aborted, exit 1); a bad key exits 2 naming it; the old p99Ms and
// maxErrorRate still judge.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Report } from "../../../src/report.ts"
import { ROOT } from "../../support/cli.ts"

let dir = ""
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "huntbench-thresholds-"))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const run = (scenario: object, ...args: Array<string>) => {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, JSON.stringify(scenario))
  const json = `${file}.report.json`
  const r = spawnSync(process.execPath, ["bin/huntbench.js", "run", file, "--quiet", "--json", json, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })
  if (r.error) throw r.error
  return { ...r, report: () => JSON.parse(readFileSync(json, "utf8")) as Report }
}
const base = { durationMs: 10_000, hunters: { count: 300 } }

describe("slo.thresholds in the CLI", () => {
  it("met thresholds of each comparator exit 0, each printed with its figure", () => {
    const r = run({ ...base, slo: { thresholds: { "latencyMs.p95": "< 1000", "errors.rate": ["<= 0.5", "< 1"], "throughputPerSec": "> 1", "latencyMs.p50": ">= 0", "claims.doubleAwarded": "== 0" } } })
    expect(r.status, r.stderr).toBe(0)
    const results = r.report().slo.thresholds!
    expect(results).toHaveLength(6)
    expect(results.every((t) => t.pass)).toBe(true)
    const p95 = r.report().latencyMs.p95
    expect(results[0]).toEqual({ path: "latencyMs.p95", threshold: "< 1000", actual: p95, pass: true, abortOnFail: false })
    expect(r.stdout).toMatch(/Thresholds\n\s+latencyMs\.p95 < 1000\s+[\d.,]+\s+pass/)
  })

  it("a breached one exits 1 and names the figure and its value", () => {
    const r = run({ ...base, slo: { thresholds: { "throughputPerSec": "> 1000000", "errors.rate": "< 1" } } })
    expect(r.status).toBe(1)
    const thr = r.report().throughputPerSec
    expect(r.report().slo.breaches).toContain(`threshold throughputPerSec > 1000000: is ${thr}`)
    expect(r.stdout).toMatch(/throughputPerSec > 1000000\s+[\d.,]+\s+FAIL/)
  })

  it("abortOnFail stops the run at the first check it fails: partial, aborted, exit 1", () => {
    const r = run({ ...base, durationMs: 300_000, slo: { thresholds: { "latencyMs.p50": { threshold: "< 0.000001", abortOnFail: true, delayAbortEvalMs: 4000 } } } })
    expect(r.status).toBe(1)
    const rep = r.report()
    // Checked every 1 % of 300 s = 3 s; the first check after the 4 s delay is at 6 s.
    expect(rep.partial).toMatchObject({ reason: "aborted", threshold: "latencyMs.p50 < 0.000001" })
    expect(rep.partial!.atMs).toBeGreaterThan(3000)
    expect(rep.partial!.atMs).toBeLessThanOrEqual(6000)
    expect(rep.slo.pass).toBe(false)
    expect(r.stdout).toMatch(/PARTIAL — aborted by threshold latencyMs\.p50 < 0\.000001 at [\d.,]+ s of 300 s/)
    // Without abortOnFail the same threshold lets the run finish.
    const full = run({ ...base, durationMs: 30_000, slo: { thresholds: { "latencyMs.p50": "< 0.000001" } } })
    expect(full.status).toBe(1)
    expect(full.report().partial).toBeUndefined()
  })

  it("an unknown figure or a bad expression exits 2 naming the key, before the run", () => {
    const bad = run({ ...base, slo: { thresholds: { "latencyMs.p96": "< 1" } } })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^huntbench: invalid scenario: slo\.thresholds\["latencyMs\.p96"\]: unknown figure: latencyMs has no p96/)
    expect(bad.stderr).not.toMatch(/\n\s+at /)
    const expr = run({ ...base, slo: { thresholds: { "errors.rate": "below 1" } } })
    expect(expr.status).toBe(2)
    expect(expr.stderr).toMatch(/slo\.thresholds\["errors\.rate"\]: expected a comparator/)
  })

  it("the old p99Ms and maxErrorRate still judge, beside thresholds", () => {
    const r = run({ ...base, slo: { p99Ms: 0.0001, thresholds: { "errors.rate": "< 1" } } })
    expect(r.status).toBe(1)
    expect(r.report().slo.breaches.some((b) => b.startsWith("p99 latency"))).toBe(true)
    expect(r.report().slo.thresholds![0].pass).toBe(true)
  })
})
