// Determinism: the report of a run (minus its two wall-clock fields) is a function of the
// scenario and seed only — across repeated runs, across event-queue implementations and
// across processes.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { simulate, type RawRun } from "../../sim/driver.ts"
import { deterministicPart, type Report } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync, type ScenarioInput } from "../../src/scenario.ts"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

// A small hunt that touches every moving part: ramped start, two task kinds, hotspot
// placement, a crash with replication lag just before it (failover and lost writes), a
// latency spike, a pause, a pool shrink, retries and breakers.
const input = {
  name: "determinism",
  seed: 20240611,
  durationMs: 20_000,
  slo: { p99Ms: 50, maxErrorRate: 0.01 },
  hunters: {
    count: 300,
    start: { kind: "ramp", perSecond: 600 },
    behaviour: {
      model: "closed",
      pollIntervalMs: 300,
      jitterMs: 100,
      tasks: [
        { name: "claim", command: "claim", weight: 4 },
        { name: "balance", command: "balance", weight: 1 }
      ]
    },
    placement: { kind: "hotspot", buckets: 2, share: 0.5 }
  },
  artifacts: { count: 120, reward: 5, claimWindowMs: 4_000, reveal: { kind: "spread", fromMs: 0, toMs: 15_000 } },
  topology: {
    buckets: 8,
    nodes: 2,
    replicas: true,
    replicationLagMs: 2,
    poolSize: 8,
    rttMs: { kind: "lognormal", meanMs: 0.4, p99Ms: 2 },
    failover: { detectionMs: 1_000, promotionMs: 200 }
  },
  timing: { claim: { kind: "lognormal", meanMs: 0.2, p99Ms: 1.5 }, balance: { kind: "exponential", meanMs: 0.05 } },
  engine: {
    timeoutMs: 200,
    retries: { max: 2, baseMs: 20, maxMs: 200, jitter: 0.5 },
    breaker: { enabled: true, failureThreshold: 3, openMs: 500, halfOpenProbes: 1 }
  },
  faults: [
    { kind: "latencySpike", atMs: 2_000, durationMs: 2_000, target: 0, extraMs: 3, scope: "script" },
    { kind: "pause", atMs: 5_000, durationMs: 800, target: 1 },
    { kind: "poolShrink", atMs: 7_000, durationMs: 2_000, target: 0, poolSize: 1 },
    { kind: "replicationLag", atMs: 10_000, durationMs: 2_500, target: 1, lagMs: 1_500 },
    { kind: "crash", atMs: 12_000, durationMs: 4_000, target: 1 }
  ]
} satisfies ScenarioInput

const scenario = decodeScenarioSync(input)

const stable = (raw: RawRun): string => JSON.stringify(deterministicPart(buildReport(raw, "x", 0)))

/** The report JSON without the wall-clock fields, as the report model documents. */
const withoutWallClock = (r: Report): unknown => {
  const copy = JSON.parse(JSON.stringify(r)) as { sim: Record<string, unknown> }
  delete copy.sim.wallMs
  delete copy.sim.eventsPerSec
  return copy
}

describe("in-process determinism", () => {
  const first = simulate(scenario)
  const firstJson = stable(first)
  const firstReport = JSON.parse(firstJson) as Report

  it("the scenario exercises faults, retries and errors (so the comparisons below mean something)", () => {
    expect(first.events).toBeGreaterThan(10_000)
    expect(first.ok).toBeGreaterThan(0)
    expect(first.retries).toBeGreaterThan(0)
    expect(first.requests - first.ok).toBeGreaterThan(0)
    expect(first.losses.length).toBeGreaterThan(0) // the crash's failover ran
    expect(first.acks.length).toBeGreaterThan(0)
    expect(firstReport.faults).toHaveLength(input.faults.length)
  })

  it("the same scenario run twice gives an identical deterministic report", () => {
    expect(stable(simulate(scenario))).toBe(firstJson)
  })

  it("a fresh decode of the same input gives the same report (no shared mutable state)", () => {
    expect(stable(simulate(decodeScenarioSync(structuredClone(input))))).toBe(firstJson)
  })

  it("a different seed gives a different report", () => {
    const other = simulate(decodeScenarioSync({ ...input, seed: input.seed + 1 }))
    const otherReport = JSON.parse(stable(other)) as Report
    expect(otherReport.seed).toBe(input.seed + 1)
    // Not just the seed field: the measured figures differ too.
    const figures = (r: Report) => JSON.stringify({ latency: r.latencyMs, timeline: r.timeline, buckets: r.buckets, requests: r.requests })
    expect(figures(otherReport)).not.toBe(figures(firstReport))
  })

  it("heap and timing-wheel queues give the identical deterministic report", () => {
    expect(stable(simulate(scenario, { queue: "heap" }))).toBe(firstJson)
  })

  it("heap and wheel agree on an open-model hunt too", () => {
    const open = decodeScenarioSync({
      ...input,
      hunters: { ...input.hunters, behaviour: { model: "open", ratePerSec: 800 } }
    })
    expect(stable(simulate(open, { queue: "heap" }))).toBe(stable(simulate(open)))
  })

  it("the report's own claim holds: only sim.wallMs and sim.eventsPerSec depend on wall time", () => {
    const a = buildReport(simulate(scenario), "x", 5)
    const b = buildReport(simulate(scenario), "x", 12_345)
    expect(withoutWallClock(a)).toEqual(withoutWallClock(b))
    expect(a.sim.wallMs).not.toBe(b.sim.wallMs)
  })
})

describe("cross-process determinism (the real CLI)", () => {
  let dir = ""
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "huntbench-det-"))
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const runCli = (file: string, out: string, extra: ReadonlyArray<string> = []) => {
    const r = spawnSync(process.execPath, ["bin/huntbench.js", "run", file, "--quiet", "--json", out, ...extra], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000
    })
    if (r.error) throw r.error
    expect([0, 1], r.stderr).toContain(r.status)
    return readFileSync(out, "utf8")
  }

  it("two separate processes write byte-identical reports, minus sim.wallMs and sim.eventsPerSec", () => {
    const file = join(dir, "scenario.json")
    writeFileSync(file, JSON.stringify(input))
    const text1 = runCli(file, join(dir, "out1.json"))
    const text2 = runCli(file, join(dir, "out2.json"))
    const strip = (text: string) => JSON.stringify(withoutWallClock(JSON.parse(text) as Report), null, 2)
    expect(strip(text1)).toBe(strip(text2))
    // Byte-for-byte on the raw text too, once the two wall-clock lines are blanked out.
    const blank = (text: string) => text.replace(/"(wallMs|eventsPerSec)": \d+/g, '"$1": 0')
    expect(blank(text1)).toBe(blank(text2))

    // And the CLI's report equals the in-process one built from `simulate` for the same source.
    const inProcess = buildReport(simulate(scenario), file, 0)
    expect(JSON.parse(strip(text1))).toEqual(withoutWallClock(inProcess))
  })

  it("the CLI's --queue heap writes the same report as the default timing wheel", () => {
    const file = join(dir, "scenario-q.json")
    writeFileSync(file, JSON.stringify(input))
    const heap = JSON.parse(runCli(file, join(dir, "heap.json"), ["--queue", "heap"])) as Report
    const wheel = JSON.parse(runCli(file, join(dir, "wheel.json"), ["--queue", "wheel"])) as Report
    expect(withoutWallClock(wheel)).toEqual(withoutWallClock(heap))
  })
})
