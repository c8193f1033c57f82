// Runs as a user meets them: the replay line reproduces the run it follows (it is run here,
// and its report compared), a mock target gets a fresh keyspace per run (so
// --check-determinism holds there too), and a live run's summary shows its Live section
// and the requests left unfinished.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { deterministicPart, type Report } from "../../../src/report.ts"
import { ROOT } from "../../support/cli.ts"

let dir = ""
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "huntbench-runs-"))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const run = (args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })
  if (r.error) throw r.error
  return r
}

/** Run the replay line a report printed (npx huntbench … → this checkout's bin) with --json. */
const replay = (line: string, json: string) => {
  const words = line.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'(.*)'$/, "$1"))
  expect(words.slice(0, 3)).toEqual(["npx", "huntbench", "run"])
  return run([...words.slice(2), "--quiet", "--json", json])
}

const report = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Report

describe("the replay line", () => {
  it("reproduces the run it follows, byte for byte, with the options that changed it (--no-faults, --seed, --set)", () => {
    const sets = ["--set", "hunters.count=80", "--set", "engine.timeoutMs=250", "--set", "name=a run with --set"]
    for (const [name, args] of [["a", ["default", "--no-faults", "--seed", "3"]], ["b", ["small"]], ["c", ["small", ...sets]]] as const) {
      const first = join(dir, `${name}1.json`), second = join(dir, `${name}2.json`)
      const r = run(["run", ...args, "--quiet", "--json", first])
      expect([0, 1], r.stderr).toContain(r.status)
      const line = /^replay: (.*)$/m.exec(r.stdout)![1]
      expect(line).toBe(report(first).replay)
      const again = replay(line, second)
      expect([0, 1], again.stderr).toContain(again.status)
      expect(JSON.stringify(deterministicPart(report(second)))).toBe(JSON.stringify(deterministicPart(report(first))))
    }
    expect(report(join(dir, "a1.json")).scenario.faults).toEqual([])
    expect(report(join(dir, "a1.json")).replay).toContain("--no-faults")
    // The report's scenario has the values the --set gave, and its replay line every --set.
    const c = report(join(dir, "c1.json"))
    expect([c.scenario.hunters.count, c.scenario.engine.timeoutMs, c.scenario.name]).toEqual([80, 250, "a run with --set"])
    expect(c.replay).toBe("npx huntbench run small --seed 3 --set hunters.count=80 --set engine.timeoutMs=250 --set 'name=a run with --set'")
  })

  it("--set: a value the scenario refuses exits 2 naming the field and the --set; a malformed one names the flag", () => {
    const bad = run(["run", "small", "--set", "hunters.count=-5", "--quiet"])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^huntbench: invalid scenario: hunters\.count: .* \(from --set hunters\.count=-5\)\n$/)
    const unknown = run(["run", "small", "--set", "hunters.cuont=5", "--quiet"])
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toMatch(/hunters\.cuont: is not a known field \(from --set hunters\.cuont=5\)/)
    const malformed = run(["run", "small", "--set", "hunters.count", "--quiet"])
    expect(malformed.status).toBe(2)
    expect(malformed.stderr).toBe('huntbench: --set "hunters.count": expected path=value\n')
  })

  it("of a live run runs again (same options: --live, --time-scale, --no-faults)", () => {
    const file = join(dir, "live.json")
    writeFileSync(file, JSON.stringify({ seed: 2, durationMs: 2000, hunters: { count: 20 }, artifacts: { count: 10 }, topology: { buckets: 2, nodes: 1 }, faults: [{ kind: "pause", atMs: 500, durationMs: 100, target: 0 }] }))
    const r = run(["run", file, "--target", "mock", "--live", "--no-faults", "--time-scale", "2", "--quiet", "--json", join(dir, "live1.json")])
    expect([0, 1], r.stderr).toContain(r.status)
    const line = report(join(dir, "live1.json")).replay
    expect(line).toContain("--no-faults --live --time-scale 2")
    const again = replay(line, join(dir, "live2.json"))
    expect([0, 1], again.stderr).toContain(again.status)
    expect(report(join(dir, "live2.json")).mode).toBe("live")
  })
})

describe("compare with a saved report", () => {
  it("a report written by run --json is compared as it is; one of another version is refused", () => {
    const saved = join(dir, "saved-small.json")
    const r = run(["run", "small", "--quiet", "--json", saved])
    expect([0, 1], r.stderr).toContain(r.status)
    const c = run(["compare", saved, "small", "--quiet"])
    expect(c.status, c.stderr).toBe(0)
    expect(c.stdout).toContain("A: small, B: small")
    expect(c.stdout).toMatch(/0 figure\(s\) better, 0 worse/) // the same run, replayed: nothing moved
    const old = join(dir, "old-report.json")
    writeFileSync(old, JSON.stringify({ ...report(saved), version: 1 }))
    const bad = run(["compare", old, "small", "--quiet"])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toBe(`huntbench: ${old}: report version 1; this huntbench reads version 2 — run the scenario again (its replay line) to get one\n`)
  })
})

describe("targets", () => {
  it("--target mock --check-determinism: each run gets a fresh keyspace, so the two agree", () => {
    const file = join(dir, "mock.json")
    writeFileSync(file, JSON.stringify({ seed: 5, durationMs: 4000, hunters: { count: 60 }, artifacts: { count: 20, claimWindowMs: 2000 }, topology: { buckets: 4, nodes: 2 }, faults: [] }))
    const r = run(["run", file, "--target", "mock", "--check-determinism", "--quiet", "--json", join(dir, "mock-out.json")])
    expect(r.status, r.stderr).not.toBe(2)
    expect(r.stderr).toContain("determinism check: two runs gave identical reports")
    expect(report(join(dir, "mock-out.json")).claims.won).toBeGreaterThan(0)
  })

  it("a live run's summary has a Live section (late sends, unfinished, uncorrected latency), and the JSON agrees", () => {
    const file = join(dir, "live-summary.json")
    writeFileSync(file, JSON.stringify({ seed: 1, durationMs: 1500, hunters: { count: 30 }, artifacts: { count: 10 }, topology: { buckets: 2, nodes: 1 }, faults: [] }))
    const r = run(["run", file, "--target", "mock", "--live", "--quiet", "--json", join(dir, "live-summary-out.json")])
    expect([0, 1], r.stderr).toContain(r.status)
    const rep = report(join(dir, "live-summary-out.json"))
    expect(r.stdout).toContain("Live (wall clock)")
    expect(r.stdout).toMatch(new RegExp(`late sends +${rep.live!.lateSends.toLocaleString("en-US")} of `))
    expect(r.stdout).toMatch(new RegExp(`unfinished +${rep.unfinished.total.toLocaleString("en-US")} request`))
    expect(r.stdout).toContain("uncorrected p50 / p99 / max")
    expect(rep.errors.total).toBe(Object.values(rep.errors.byKind).reduce((a, b) => a + b, 0))
    const ok = Object.values(rep.replies).reduce((a, b) => a + b, 0)
    expect(rep.requests).toBe(ok + rep.errors.total + rep.unfinished.total)
  })
})
