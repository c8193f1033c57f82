// `huntbench sweep` end to end: table, CSV, recommendation and exit codes; bad --set values
// fail before any run, naming the field and the --set that produced it.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const dir = mkdtempSync(join(tmpdir(), "huntbench-sweep-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const scenario = join(dir, "s.json")
writeFileSync(scenario, JSON.stringify({
  seed: 9, durationMs: 4000, slo: { p99Ms: 50, maxErrorRate: 0.01 },
  hunters: { count: 300, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 20 } },
  topology: { buckets: 4, nodes: 1, poolSize: 2 },
  timing: { claim: { kind: "constant", ms: 0.3 } },
  engine: { timeoutMs: 1000, retries: { max: 0 } }
}))
const sweep = (...args: Array<string>) => spawnSync(process.execPath, ["bin/huntbench.js", "sweep", scenario, "--quiet", ...args], { encoding: "utf8", timeout: 120_000 })

describe("huntbench sweep", () => {
  it("tables every configuration, writes one CSV row per run, and recommends the cheapest passing one", () => {
    const csv = join(dir, "out.csv"), json = join(dir, "out.json")
    const r = sweep("--set", "topology.poolSize=1,4,64", "--set", "topology.nodes=1,2", "--seeds", "2", "--workers", "2", "--csv", csv, "--json", json)
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("6 configuration(s) × 2 seed(s) = 12 runs")
    const rows = readFileSync(csv, "utf8").trim().split("\n")
    expect(rows[0]).toBe("topology.poolSize,topology.nodes,seed,p99Ms,errorRate,maxBacklog,lostAcknowledged,sloPass,invariantsOk,events")
    expect(rows).toHaveLength(13)
    const doc = JSON.parse(readFileSync(json, "utf8"))
    // 300 hunters at 10 polls/s each need ~1 connection busy 0.8 ms each: a pool of 1 per
    // node queues them past 50 ms, so the recommendation is the cheapest that passes.
    const passing = doc.rows.filter((row: { passed: number; seeds: number }) => row.passed === row.seeds)
    expect(passing.length).toBeGreaterThan(0)
    expect(passing.length).toBeLessThan(6)
    const cost = (v: Array<number>) => [v[1] * 2, v[0] * v[1]]
    const cheapest = [...passing].sort((a, b) => cost(a.values)[0] - cost(b.values)[0] || cost(a.values)[1] - cost(b.values)[1])[0]
    expect(doc.recommendation.values).toEqual(cheapest.values)
    expect(r.stdout).toContain(`recommendation: topology.poolSize=${cheapest.values[0]} topology.nodes=${cheapest.values[1]}`)
    // Deterministic, and worker threads give the in-thread table.
    const again = join(dir, "again.json")
    expect(sweep("--set", "topology.poolSize=1,4,64", "--set", "topology.nodes=1,2", "--seeds", "2", "--workers", "0", "--json", again).status).toBe(0)
    expect(JSON.parse(readFileSync(again, "utf8")).rows).toEqual(doc.rows)
  })

  it("exits 1 when no configuration meets the SLO in every seed", () => {
    const r = sweep("--set", "slo.p99Ms=0.001", "--seeds", "1")
    expect(r.status).toBe(1)
    expect(r.stdout).toContain("recommendation: none")
  })

  it("bad --set values fail first with exit 2, naming the field and the --set", () => {
    const cases: Array<[Array<string>, RegExp]> = [
      [["--set", "topology.buckets=0,8"], /topology\.buckets: .*\(with --set topology\.buckets=0\)/],
      [["--set", "topology.bukets=3"], /topology\.bukets: is not a known field/],
      [["--set", "hunters.count=many"], /hunters\.count: .*"many"/],
      [["--set", "topology"], /--set "topology": expected path=value/],
      [["--set", "seed.x=1"], /--set seed\.x: seed is not an object/],
      [["--seeds", "0", "--set", "topology.buckets=2"], /--seeds: expected an integer from 1/],
      [[], /give at least one --set/]
    ]
    for (const [args, want] of cases) {
      const r = sweep(...args)
      expect(r.status, args.join(" ")).toBe(2)
      expect(r.stderr).toMatch(want)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(r.stdout).toBe("")
    }
  })
})
