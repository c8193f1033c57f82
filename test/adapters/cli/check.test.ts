// huntbench check through the real CLI (issue 17): a user invariant module false under any
// pause fails, shrinks to one pause, is written to --save and replayed by the printed line
// byte for byte; a clean exploration exits 0 with runs/s; bad flags exit 2 naming them.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { deterministicPart, type Report } from "../../../src/report.ts"
import { decodeScenarioSync } from "../../../src/scenario.ts"
import { ROOT } from "../../support/cli.ts"

const dir = mkdtempSync(join(tmpdir(), "huntbench-check-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const cli = (...args: Array<string>) => spawnSync(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })

describe("huntbench check", () => {
  it("a user invariant broken by any pause: exit 1, one pause in the saved scenario, and its replay reproduces the report", () => {
    const invariant = join(dir, "no-pause.mjs")
    writeFileSync(invariant, 'export default (report) => report.faults.some((f) => f.kind === "pause") ? "a pause happened" : true\n')
    const save = join(dir, "smallest.json")
    const r = cli("check", "small", "--runs", "100", "--seed", "4", "--invariant", invariant, "--no-slo", "--save", save)
    expect(r.status, r.stderr).toBe(1)
    expect(r.stdout).toMatch(/^huntbench check — small: up to 100 runs, seed 4; invariants, your invariant$/m)
    expect(r.stdout).toMatch(/^run \d+ seed \d+: .* — FAIL: invariant: a pause happened$/m)
    const shrunk = decodeScenarioSync(JSON.parse(readFileSync(save, "utf8")))
    expect(shrunk.faults.map((f) => f.kind)).toEqual(["pause"])
    const replay = /^replay: npx huntbench run (.*)$/m.exec(r.stdout)![1]
    expect(replay).toBe(save)
    // The replay, twice: the same report, byte for byte, with the pause in it.
    const a = cli("run", replay, "--quiet", "--out", "json=-")
    const b = cli("run", replay, "--quiet", "--out", "json=-")
    const fixed = (s: string) => JSON.stringify(deterministicPart(JSON.parse(s) as Report)) // all but wall times
    expect(fixed(a.stdout)).toBe(fixed(b.stdout))
    expect((JSON.parse(a.stdout) as { faults: Array<{ kind: string }> }).faults.map((f) => f.kind)).toEqual(["pause"])
  })

  it("no failure: exit 0 and the rate; each run printed with its seed and faults", () => {
    const r = cli("check", "--runs", "8", "--seed", "2")
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.match(/^run \d+ seed \d+: \d+ node\(s\), .* — ok$/gm)).toHaveLength(8)
    expect(r.stdout).toMatch(/^ok: 8 runs in [\d.]+ s \([\d.,]+ runs\/s\), no failure; seed 2$/m)
  })

  it("bad flags exit 2 naming the flag", () => {
    for (const [args, line] of [
      [["--time-budget", "soon"], /^huntbench: --time-budget: expected a duration/],
      [["--runs", "0"], /^huntbench: --runs: expected a whole number/],
      [["--invariant", join(dir, "none.mjs")], /^huntbench: --invariant: cannot load /],
      [["--save", "/nonexistent/x.json"], /^huntbench: --save: cannot write /]
    ] as const) {
      const r = cli("check", "small", ...args)
      expect(r.status, args.join(" ")).toBe(2)
      expect(r.stderr).toMatch(line)
    }
  })
})
