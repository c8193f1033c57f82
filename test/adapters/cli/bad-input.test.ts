// The CLI, run for real as a child process: bad input exits 2 with one line
// on stderr naming the offending field, no stack trace and nothing on stdout; good input
// exits 0 or 1 in agreement with the report's SLO verdict.
import { ms } from "../../../src/figures.ts"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { badScenarios, base, crash, json } from "../../support/bad-scenarios.ts"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")
let dir = ""

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "huntbench-cli-"))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

const cli = (args: ReadonlyArray<string>): CliResult => {
  const r = spawnSync(process.execPath, ["bin/huntbench.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" }
  })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

let fileNo = 0
const writeTemp = (text: string): string => {
  const file = join(dir, `scenario-${fileNo++}.json`)
  writeFileSync(file, text)
  return file
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Exit 2, exactly one line on stderr with the given prefix, no stack, nothing on stdout. */
const expectRejected = (r: CliResult, prefix: string) => {
  expect(r.status, `stderr: ${r.stderr}`).toBe(2)
  expect(r.stdout).toBe("")
  expect(r.stderr).toMatch(new RegExp(`^${escapeRe(prefix)}[^\\n]*\\n$`))
  expect(r.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1)
  expect(r.stderr).not.toContain("    at ")
  expect(r.stderr).not.toMatch(/^\s+at /m)
  expect(r.stderr).not.toMatch(/internal error|Error:/)
}


/** The cases that also go through the CLI (all of them are decoded in test/src/scenario.test.ts). */
const VIA_CLI = new Set(["wrong type", "unknown fault kind", "fault on a node that does not exist", "geography without area or prefixes", "empty file", "not JSON", "a JSON array instead of an object"])

describe("huntbench run <bad scenario>", () => {
  for (const c of badScenarios.filter((b) => VIA_CLI.has(b.name))) {
    it(`${c.name} → exit 2 naming ${c.field}`, () => {
      const r = cli(["run", writeTemp(c.text), "--quiet"])
      expectRejected(r, `huntbench: invalid scenario: ${c.field}: `)
      if (c.message) expect(r.stderr).toMatch(c.message)
    })
  }

  it("the base scenario those cases break is itself valid", () => {
    const r = cli(["run", writeTemp(json(crash({}))), "--quiet"])
    expect([0, 1], r.stderr).toContain(r.status)
    expect(r.stderr).toBe("")
  })

  it("--seed does not rescue a non-object scenario", () => {
    const r = cli(["run", writeTemp("[1]"), "--quiet", "--seed", "3"])
    expectRejected(r, "huntbench: invalid scenario: (root): ")
  })
})

describe("usage errors", () => {
  const usage: ReadonlyArray<{ name: string; args: () => Array<string>; prefix: string | (() => string); message?: RegExp }> = [
    { name: "unknown preset or file", args: () => ["run", "no-such-preset", "--quiet"], prefix: "huntbench: scenario: ", message: /no-such-preset/ },
    { name: "missing .json file", args: () => ["run", join(dir, "missing.json"), "--quiet"], prefix: "huntbench: scenario: ", message: /missing\.json/ },
    { name: "a directory instead of a file", args: () => ["run", dir, "--quiet"], prefix: () => `huntbench: ${dir}: `, message: /cannot read/ },
    { name: "--seed abc", args: () => ["run", "default", "--seed", "abc", "--quiet"], prefix: "huntbench: --seed: ", message: /abc/ },
    { name: "--seed -1", args: () => ["run", "default", "--seed", "-1", "--quiet"], prefix: "huntbench: --seed: " },
    { name: "--seed 2^32 (too large)", args: () => ["run", "default", "--seed", "4294967296", "--quiet"], prefix: "huntbench: --seed: " },
    { name: "--seed without a value", args: () => ["run", "default", "--quiet", "--seed"], prefix: "huntbench: --seed: " },
    { name: "unknown option", args: () => ["run", "default", "--bogus", "--quiet"], prefix: "huntbench: run: unknown option --bogus" },
    { name: "--history without --live", args: () => ["run", "default", "--history", join(dir, "h.jsonl"), "--quiet"], prefix: "huntbench: --history: ", message: /only applies to --live/ },
    { name: "--history into a missing directory", args: () => ["run", "default", "--target", "mock", "--live", "--no-faults", "--history", join(dir, "no-such-dir", "h.jsonl"), "--quiet"], prefix: "huntbench: --history: " },
    { name: "bad --queue", args: () => ["run", "default", "--queue", "list", "--quiet"], prefix: "huntbench: --queue: ", message: /list/ },
    { name: "--json without a file", args: () => ["run", "default", "--quiet", "--json"], prefix: "huntbench: --json: " },
    { name: "two scenarios", args: () => ["run", "default", "reference", "--quiet"], prefix: "huntbench: unexpected argument ", message: /reference/ },
    { name: "unknown command", args: () => ["frobnicate"], prefix: "huntbench: unknown command ", message: /frobnicate/ }
  ]
  for (const u of usage) {
    it(`${u.name} → exit 2`, () => {
      const r = cli(u.args())
      expectRejected(r, typeof u.prefix === "function" ? u.prefix() : u.prefix)
      if (u.message) expect(r.stderr).toMatch(u.message)
    })
  }

  it("an unwritable output path → exit 2 naming the flag, before the run (nothing else printed)", () => {
    const blocker = join(dir, "not-a-dir")
    writeFileSync(blocker, "x")
    const small = writeTemp(json(base()))
    // Not --quiet: a run that had started would have announced itself on stderr.
    for (const [flag, file] of [["--json", join(blocker, "out.json")], ["--json", "/nonexistent/x.json"], ["--html", join(dir, "no-such-folder", "r.html")], ["--json", dir]]) {
      expectRejected(cli(["run", small, flag, file]), `huntbench: ${flag}: cannot write ${file}: `)
    }
    for (const flag of ["--csv", "--json", "--html"])
      expectRejected(cli(["sweep", small, "--set", "topology.buckets=2,4", flag, "/nonexistent/out"]), `huntbench: ${flag}: cannot write /nonexistent/out: `)
    expectRejected(cli(["compare", small, small, "--json", "/nonexistent/c.json"]), "huntbench: --json: cannot write /nonexistent/c.json: ")
  })

  it("sweep --set seed=… → exit 2 pointing to --seeds (a seed is not a design axis)", () => {
    const small = writeTemp(json(base()))
    expectRejected(cli(["sweep", small, "--set", "seed=5,9"]), "huntbench: --set seed: ")
    expect(cli(["sweep", small, "--set", "seed=5,9"]).stderr).toContain("--seeds")
  })
})

describe("good input", () => {
  it("huntbench presets exits 0 and lists default and reference", () => {
    const r = cli(["presets"])
    expect(r.status).toBe(0)
    expect(r.stderr).toBe("")
    const names = r.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0])
    expect(names).toContain("default")
    expect(names).toContain("reference")
  })

  it("huntbench help exits 0; no command prints help and exits 2", () => {
    const help = cli(["help"])
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^USAGE\n  huntbench <subcommand> \[flags\]$/m)
    const none = cli([])
    expect(none.status).toBe(2)
    expect(none.stdout).toBe(help.stdout)
  })

  interface ReportShape {
    seed: number
    replay: string
    scenario: { name: string; slo: { p99Ms: number; maxErrorRate: number } }
    latencyMs: { p50: number; p99: number; max: number; count: number }
    requests: number
    inFlightAtEnd: number
    errors: { total: number; rate: number }
    invariants: Array<{ name: string; ok: boolean }>
    slo: { pass: boolean; breaches: Array<string> }
  }

  /** The SLO verdict recomputed from the report's own figures and the scenario's SLO. */
  const verdict = (rep: ReportShape): boolean => {
    const finished = rep.requests - rep.inFlightAtEnd
    const rate = finished > 0 ? rep.errors.total / finished : 0
    return rep.latencyMs.p99 <= rep.scenario.slo.p99Ms && rate <= rep.scenario.slo.maxErrorRate && rep.invariants.every((i) => i.ok)
  }

  const runJson = (args: ReadonlyArray<string>) => {
    const out = join(dir, `report-${fileNo++}.json`)
    const r = cli(["run", ...args, "--quiet", "--json", out])
    return { r, report: JSON.parse(readFileSync(out, "utf8")) as ReportShape }
  }

  it("run default --quiet --json: exit 0 or 1, a complete report, verdict consistent with the exit code", () => {
    const preset = JSON.parse(readFileSync(join(ROOT, "scenarios/default.json"), "utf8")) as { seed: number; name: string }
    const { r, report } = runJson(["default"])
    expect([0, 1]).toContain(r.status)
    expect(r.stderr).toBe("")
    expect(report.seed).toBe(preset.seed)
    expect(report.scenario.name).toBe(preset.name)
    expect(typeof report.latencyMs.p99).toBe("number")
    expect(Number.isFinite(report.latencyMs.p99)).toBe(true)
    expect(report.latencyMs.p99).toBeGreaterThan(0)
    expect(report.latencyMs.p50).toBeLessThanOrEqual(report.latencyMs.p99)
    expect(report.latencyMs.p99).toBeLessThanOrEqual(report.latencyMs.max)
    expect(Array.isArray(report.invariants)).toBe(true)
    expect(report.invariants).toHaveLength(5)
    for (const inv of report.invariants) {
      expect(typeof inv.name).toBe("string")
      expect(inv.name.length).toBeGreaterThan(0)
      expect(typeof inv.ok).toBe("boolean")
    }
    expect(new Set(report.invariants.map((i) => i.name)).size).toBe(5)
    expect(r.status === 0).toBe(report.slo.pass)
    expect(report.slo.pass).toBe(verdict(report))
    expect(report.slo.pass).toBe(report.slo.breaches.length === 0)
    // The human summary goes to stdout and carries the replay line.
    expect(r.stdout).toContain(report.replay)
    expect(report.replay).toContain(`--seed ${preset.seed}`)
  })

  it("a breached SLO exits 1 and a met one exits 0, each matching report.slo.pass", () => {
    const tiny = (p99Ms: number, maxErrorRate: number) =>
      writeTemp(json({ ...base(), durationMs: 5_000, slo: { p99Ms, maxErrorRate } }))
    const strict = runJson([tiny(0.000001, 0)])
    expect(strict.r.status).toBe(1)
    expect(strict.report.slo.pass).toBe(false)
    expect(verdict(strict.report)).toBe(false)
    const lenient = runJson([tiny(1_000_000, 1)])
    expect(lenient.report.slo.pass).toBe(verdict(lenient.report))
    expect(lenient.r.status).toBe(lenient.report.slo.pass ? 0 : 1)
    // With an unreachable latency bound and any error rate allowed, only an invariant
    // violation could breach; the fault-free tiny hunt has none.
    expect(lenient.report.invariants.every((i) => i.ok)).toBe(true)
    expect(lenient.r.status).toBe(0)
  })

  it("--seed overrides the scenario's seed and shows up in the report and replay line", () => {
    const file = writeTemp(json({ ...base(), durationMs: 3_000, seed: 5 }))
    const { r, report } = runJson([file, "--seed", "4242"])
    expect([0, 1]).toContain(r.status)
    expect(report.seed).toBe(4242)
    expect(report.replay).toContain("--seed 4242")
  })
})

describe("huntbench compare", () => {
  it("runs two designs with the same seed and prints each figure's move and verdict", () => {
    const slow = writeTemp(json({ ...base(), name: "slow", timing: { claim: { kind: "constant", ms: 2 } } }))
    const fast = writeTemp(json({ ...base(), name: "fast", timing: { claim: { kind: "constant", ms: 0.05 } } }))
    const out = join(dir, "cmp.json")
    const r = cli(["compare", slow, fast, "--quiet", "--seed", "5", "--json", out])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^huntbench compare — A: slow, B: fast \(seeds 5 \/ 5\)/)
    const data = JSON.parse(readFileSync(out, "utf8")) as { changes: Array<{ key: string; a: number; b: number; verdict: string }>; a: { report: { seed: number } } }
    expect(data.a.report.seed).toBe(5)
    const p50 = data.changes.find((c) => c.key === "p50")!
    expect(p50.b).toBeLessThan(p50.a)
    expect(p50.verdict).toBe("better")
    // Milliseconds with three significant digits, as everywhere (src/figures.ts).
    expect(r.stdout).toMatch(new RegExp(`^p50 ms\\s+${ms(p50.a)}\\s+${ms(p50.b)}\\s+−[\\d.]+\\s+−[\\d.]+ %\\s+better$`, "m"))
  })

  it("needs exactly two scenarios", () => {
    expectRejected(cli(["compare", "small"]), "huntbench: compare: expected two scenarios (A and B), got 1")
    expectRejected(cli(["compare", "small", "nope.json"]), 'huntbench: scenario: no preset or file named "nope.json"')
  })
})
