// The public API (issue 17): every arbitrary's values decode; `simulate` gives the report
// `huntbench run` writes; `check` shrinks a failure of a user invariant to the one fault that
// matters, writes it, and its replay line reproduces the report byte for byte.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import { arbitraries, check, simulate } from "../../api/index.ts"
import { presets } from "../../src/presets.ts"
import { deterministicPart, type Report } from "../../src/report.ts"
import { decodeScenarioSync, type ScenarioInput } from "../../src/scenario.ts"
import { ROOT } from "../support/cli.ts"
import { checkProperty } from "../support/property.ts"

const FILE = "test/api/check.test.ts"
const dir = mkdtempSync(join(tmpdir(), "huntbench-api-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("arbitraries", () => {
  it("every scenario, fault timeline, topology and workload generated decodes", () =>
    checkProperty(
      "arbitraries decode",
      FILE,
      fc.property(
        arbitraries.scenario({ maxFaults: 4 }),
        fc.integer({ min: 1, max: 5 }).chain((nodes) => fc.tuple(fc.constant(nodes), fc.boolean()).chain(([n, replicas]) => fc.tuple(fc.constant(n), fc.constant(replicas), arbitraries.faultTimeline({ durationMs: 8000, nodes: n, replicas, maxFaults: 5 })))),
        arbitraries.topology(),
        arbitraries.workload({ durationMs: 5000 }),
        (scenario, [nodes, replicas, faults], topology, workload) => {
          expect(() => decodeScenarioSync(scenario)).not.toThrow()
          const s = decodeScenarioSync({ durationMs: 8000, topology: { nodes, buckets: nodes, replicas }, faults })
          expect(s.faults.length).toBe(faults.length)
          for (const f of s.faults) expect(f.atMs + f.durationMs).toBeLessThanOrEqual(8000)
          expect(() => decodeScenarioSync({ topology })).not.toThrow()
          expect(() => decodeScenarioSync({ durationMs: 5000, ...workload })).not.toThrow()
        }
      ),
      { numRuns: 300 }
    ))
})

describe("simulate", () => {
  it("gives the report huntbench run writes, and a bad scenario names its field", async () => {
    const api = await simulate("small", { seed: 4 })
    const cli = spawnSync(process.execPath, ["bin/huntbench.js", "run", "small", "--seed", "4", "--quiet", "--out", "json=-"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 })
    expect(JSON.stringify(deterministicPart(JSON.parse(cli.stdout) as Report))).toBe(JSON.stringify(deterministicPart(api)))
    await expect(simulate({ hunters: { count: -1 } } as ScenarioInput)).rejects.toThrow(/hunters\.count/)
  })
})

describe("check", () => {
  const noPause = (r: Report) => (r.faults.some((f) => f.kind === "pause") ? "a pause happened" : true)
  const base = { ...(structuredClone(presets.small) as object), durationMs: 10_000, faults: [] } as ScenarioInput

  it("shrinks a user invariant false under any pause to one pause fault; the replay reproduces it byte for byte", async () => {
    const file = join(dir, "pause.json")
    const r = await check({ scenario: base, seed: 11, runs: 200, maxFaults: 4, slo: false, invariant: noPause, saveTo: file })
    expect(r.ok).toBe(false)
    const f = r.failure!
    expect(f.message).toBe("invariant: a pause happened")
    // Smaller than what failed first, and exactly the fault that matters.
    const first = decodeScenarioSync(f.scenario)
    const shrunk = decodeScenarioSync(f.shrunk)
    expect(first.faults.some((x) => x.kind === "pause")).toBe(true)
    expect(shrunk.faults.map((x) => x.kind)).toEqual(["pause"])
    expect(shrunk.hunters.count).toBeLessThanOrEqual(first.hunters.count)
    // Written where asked, and the replay is `huntbench run FILE`.
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(f.shrunk)
    expect(f.replay).toBe(`npx huntbench run ${file}`)
    const replay = spawnSync(process.execPath, ["bin/huntbench.js", "run", file, "--quiet", "--out", "json=-"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 })
    const again = JSON.parse(replay.stdout) as Report
    expect(noPause(again)).toBe("a pause happened")
    expect(JSON.stringify(deterministicPart(again))).toBe(JSON.stringify(deterministicPart(await simulate(f.shrunk, { source: file }))))
  }, 120_000)

  it("passes when nothing fails, and the same seed explores the same runs", async () => {
    const seen: Array<Array<number>> = [[], []]
    for (const k of [0, 1]) {
      const r = await check({ scenario: base, seed: 5, runs: 4, slo: false, onRun: (x) => seen[k].push(x.seed) })
      expect(r).toMatchObject({ ok: true, runs: 4, seed: 5 })
    }
    expect(seen[0]).toEqual(seen[1])
    expect(new Set(seen[0]).size).toBe(4)
  }, 120_000)
})
