// `huntbench compare --sim-vs-live` (issue 16): a tiny scenario run simulated and live on a
// local deployment (same seed, same fault) — both reports written, and every row of the
// printed table is the two reports' own figure.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { formatFigure } from "../../../src/compare.ts"
import { fidelityRows, type FidelityRow } from "../../../src/fidelity.ts"
import type { Report } from "../../../src/report.ts"

const tiny = {
  name: "tiny",
  seed: 3,
  durationMs: 3000,
  hunters: { count: 100, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 30 } },
  artifacts: { count: 500, claimWindowMs: 1000, reveal: { kind: "spread", fromMs: 0, toMs: 2500 } },
  topology: { buckets: 4, nodes: 1 },
  faults: [{ kind: "pause", atMs: 1000, durationMs: 500, target: 0 }]
}

describe("huntbench compare --sim-vs-live", () => {
  it("runs the scenario simulated and live, writes both reports, and prints rows equal to their figures", () => {
    const dir = mkdtempSync(join(tmpdir(), "huntbench-fidelity-"))
    try {
      writeFileSync(join(dir, "s.json"), JSON.stringify(tiny))
      const out = join(dir, "f.json")
      const r = spawnSync(process.execPath, ["bin/huntbench.js", "compare", "--sim-vs-live", join(dir, "s.json"), "--target", "local", "--quiet", "--json", out], { encoding: "utf8", timeout: 120_000 })
      expect(r.status, r.stderr).toBe(0)
      const saved = JSON.parse(readFileSync(out, "utf8")) as { sim: Report; live: Report; rows: Array<FidelityRow> }
      expect(saved.sim.mode).toBe("sim")
      expect(saved.live.mode).toBe("live")
      expect(saved.live.seed).toBe(saved.sim.seed)
      expect(saved.live.scenario.faults).toEqual(saved.sim.scenario.faults)
      // The rows are the reports' figures, recomputed here from the two reports.
      expect(saved.rows).toEqual(fidelityRows(saved.sim, saved.live))
      const byKey = new Map(saved.rows.map((x) => [x.key, x]))
      expect(byKey.get("p50")).toMatchObject({ sim: saved.sim.latencyMs.p50, live: saved.live.latencyMs.p50 })
      expect(byKey.get("p99")).toMatchObject({ sim: saved.sim.latencyMs.p99, live: saved.live.latencyMs.p99 })
      expect(byKey.get("throughput")).toMatchObject({ sim: saved.sim.throughputPerSec, live: saved.live.throughputPerSec })
      expect(byKey.get("errors.timeout")).toMatchObject({ sim: saved.sim.errors.byKind.timeout, live: saved.live.errors.byKind.timeout })
      expect(byKey.get("won")).toMatchObject({ sim: saved.sim.claims.won, live: saved.live.claims.won })
      expect(byKey.has("fault0.errors")).toBe(true)
      // …and so is every printed line.
      const lines = r.stdout.split("\n")
      for (const row of saved.rows) {
        const line = lines.find((l) => l.startsWith(row.label + " "))
        expect(line, row.label).toBeDefined()
        const cells = line!.slice(row.label.length).trim().split(/\s+/)
        expect(cells.slice(0, 2), row.label).toEqual([formatFigure(row.sim), formatFigure(row.live)])
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it("needs one scenario and a target", () => {
    const one = spawnSync(process.execPath, ["bin/huntbench.js", "compare", "--sim-vs-live", "default"], { encoding: "utf8" })
    expect(one.status).toBe(2)
    expect(one.stderr).toMatch(/--target: compare --sim-vs-live needs local or the redis:\/\/ URL/)
    const two = spawnSync(process.execPath, ["bin/huntbench.js", "compare", "--sim-vs-live", "default", "small", "--target", "local"], { encoding: "utf8" })
    expect(two.status).toBe(2)
    expect(two.stderr).toMatch(/expected one scenario, got 2/)
  })
})
