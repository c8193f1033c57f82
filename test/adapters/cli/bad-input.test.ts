// The CLI, run for real as a child process: every kind of bad input exits 2 with one line
// on stderr naming the offending field, no stack trace and nothing on stdout; good input
// exits 0 or 1 in agreement with the report's SLO verdict.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

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

// A small, valid scenario every bad case below differs from in exactly one place.
const base = () => ({
  name: "cli-test",
  durationMs: 10_000,
  hunters: { count: 50 },
  artifacts: { count: 20 },
  topology: { buckets: 4, nodes: 2 },
  faults: [] as Array<Record<string, unknown>>
})

const crash = (f: Record<string, unknown>) => ({ ...base(), faults: [{ kind: "crash", atMs: 1000, durationMs: 1000, target: 0, ...f }] })

interface BadCase {
  readonly name: string
  readonly text: string
  readonly field: string
  /** An extra check of the message, when the field alone is ambiguous. */
  readonly message?: RegExp
}

const json = (v: unknown) => JSON.stringify(v, null, 2)

function geographyCases(): Array<BadCase> {
  const paris = { south: 48.8, west: 2.25, north: 48.9, east: 2.42 }
  const geo = (g: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const { topology: _t, ...rest } = base()
    return json({ ...rest, topology: { nodes: 2 }, ...extra, geography: g })
  }
  return [
    { name: "geography without area or prefixes", text: geo({}), field: "geography.area", message: /prefixes/ },
    { name: "geography area upside down", text: geo({ area: { ...paris, north: 48.7 } }), field: "geography.area.north" },
    { name: "latitude out of range", text: geo({ area: { ...paris, south: -91 } }), field: "geography.area.south" },
    { name: "a prefix that is not a geohash", text: geo({ prefixes: ["u09t", "u09a"] }), field: "geography.prefixes", message: /u09a/ },
    { name: "overlapping prefixes", text: geo({ prefixes: ["u09", "u09t"] }), field: "geography.prefixes", message: /inside/ },
    { name: "too fine a precision for the area", text: geo({ area: { south: -60, west: -170, north: 60, east: 170 }, precision: 7 }), field: "geography.precision", message: /65536/ },
    { name: "topology.buckets contradicting geography", text: geo({ prefixes: ["u09t", "u09w"] }, { topology: { buckets: 5, nodes: 2 } }), field: "topology.buckets", message: /2 in all/ },
    { name: "hotspot shares above 1", text: geo({ area: paris, hunterHotspots: [{ lat: 48.85, lon: 2.3, radiusKm: 1, share: 0.6 }, { lat: 48.86, lon: 2.3, radiusKm: 1, share: 0.6 }] }), field: "geography.hunterHotspots" },
    { name: "viral artifact after the run", text: geo({ area: paris, viral: { lat: 48.85, lon: 2.3, radiusKm: 1, atMs: 20_000, share: 0.5 } }), field: "geography.viral.atMs" }
  ]
}

const badScenarios: ReadonlyArray<BadCase> = [
  { name: "wrong type", text: json({ ...base(), hunters: { count: "many" } }), field: "hunters.count", message: /many/ },
  { name: "negative count", text: json({ ...base(), hunters: { count: -5 } }), field: "hunters.count" },
  { name: "fractional count", text: json({ ...base(), hunters: { count: 1.5 } }), field: "hunters.count", message: /integer/ },
  { name: "unknown fault kind", text: json(crash({ kind: "meteor" })), field: "faults[0].kind", message: /meteor/ },
  { name: "fault kind missing", text: json({ ...base(), faults: [{ atMs: 1, durationMs: 1, target: 0 }] }), field: "faults[0].kind" },
  { name: "fault starting at the end of the run", text: json(crash({ atMs: 10_000, durationMs: 1 })), field: "faults[0].atMs" },
  { name: "fault starting after the run", text: json(crash({ atMs: 25_000 })), field: "faults[0].atMs" },
  { name: "fault running past the end", text: json(crash({ atMs: 9_000, durationMs: 1_001 })), field: "faults[0].durationMs" },
  { name: "fault on a node that does not exist", text: json(crash({ target: 2 })), field: "faults[0].target", message: /node 2/ },
  {
    name: "the second fault is the bad one",
    text: json({ ...crash({}), faults: [...crash({}).faults, { kind: "pause", atMs: 100, durationMs: 50, target: 9 }] }),
    field: "faults[1].target"
  },
  { name: "unknown top-level field (typo)", text: json({ ...base(), huntrs: { count: 10 } }), field: "huntrs" },
  { name: "unknown nested field", text: json({ ...base(), topology: { buckets: 4, nodes: 2, nodez: 3 } }), field: "topology.nodez" },
  {
    name: "lognormal p99 below its mean",
    text: json({ ...base(), timing: { claim: { kind: "lognormal", meanMs: 1, p99Ms: 0.5 } } }),
    field: "timing.claim.p99Ms"
  },
  {
    name: "lognormal p99 too far above its mean",
    text: json({ ...base(), timing: { claim: { kind: "lognormal", meanMs: 1, p99Ms: 20 } } }),
    field: "timing.claim.p99Ms",
    message: /14\.9/
  },
  { name: "unknown field inside a fault", text: json(crash({ extra: 1 })), field: "faults[0].extra" },
  { name: "open model without ratePerSec", text: json({ ...base(), hunters: { count: 10, behaviour: { model: "open" } } }), field: "hunters.behaviour.ratePerSec" },
  {
    name: "think-time jitter larger than the poll interval",
    text: json({ ...base(), hunters: { count: 10, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 500 } } }),
    field: "hunters.behaviour.jitterMs"
  },
  { name: "retry cap below the base delay", text: json({ ...base(), engine: { retries: { baseMs: 100, maxMs: 10 } } }), field: "engine.retries.maxMs" },
  { name: "unknown behaviour model", text: json({ ...base(), hunters: { count: 10, behaviour: { model: "zzz" } } }), field: "hunters.behaviour.model" },
  {
    name: "bucket mapping naming a missing node",
    text: json({ ...base(), topology: { buckets: 2, nodes: 2, mapping: [0, 5] } }),
    field: "topology.mapping[1]"
  },
  ...geographyCases(),
  { name: "sink without a mode", text: json({ ...base(), sink: { insertMs: { kind: "constant", ms: 1 } } }), field: "sink.mode" },
  { name: "unknown sink mode", text: json({ ...base(), sink: { mode: "carrier-pigeon" } }), field: "sink.mode", message: /carrier-pigeon|sync/ },
  { name: "a failure of a worker that does not exist", text: json({ ...base(), workers: { count: 4, failures: [{ worker: 4, atMs: 100, durationMs: 100 }] } }), field: "workers.failures[0].worker", message: /worker 4/ },
  { name: "app tier without workers", text: json({ ...base(), app: { parseMs: { kind: "constant", ms: 1 } } }), field: "app.workers" },
  { name: "subscriber cap without geography", text: json({ ...base(), pipeline: { subscriberCap: 100 } }), field: "pipeline.subscriberCap", message: /geography/ },
  { name: "empty file", text: "", field: "(root)", message: /empty/ },
  { name: "whitespace-only file", text: "  \n\t\n", field: "(root)", message: /empty/ },
  { name: "not JSON", text: "{ hunters: 12,", field: "(root)", message: /JSON/ },
  { name: "a JSON array instead of an object", text: "[1, 2, 3]", field: "(root)", message: /object/ },
  { name: "JSON null", text: "null", field: "(root)", message: /object/ },
  { name: "a JSON string", text: '"default"', field: "(root)", message: /object/ }
]

describe("huntbench run <bad scenario>", () => {
  for (const c of badScenarios) {
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
    { name: "unknown option", args: () => ["run", "default", "--bogus", "--quiet"], prefix: "huntbench: unknown option --bogus" },
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
    expect(help.stdout).toMatch(/Usage:/)
    const none = cli([])
    expect(none.status).toBe(2)
    expect(none.stdout).toMatch(/Usage:/)
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
    expect(r.stdout).toMatch(new RegExp(`^p50 ms\\s+${p50.a}\\s+${p50.b}\\s+−[\\d.]+\\s+−[\\d.]+ %\\s+better$`, "m"))
  })

  it("needs exactly two scenarios", () => {
    expectRejected(cli(["compare", "small"]), "huntbench: compare: expected two scenarios (A and B), got 1")
    expectRejected(cli(["compare", "small", "nope.json"]), 'huntbench: scenario: no preset or file named "nope.json"')
  })
})
