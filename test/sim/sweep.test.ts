// Sweep grids and recommendations (pure), and the worker-thread runner: parallel gives
// exactly the sequential results, and the same sweep gives the same table.
import { describe, expect, it } from "vitest"
import { runPoints } from "../../adapters/sweep/pool.ts"
import { aggregate, applyCell, expandGrid, parseSet, recommend, type PointResult } from "../../sim/sweep.ts"

describe("sweep grids", () => {
  it("parses --set values as JSON where they parse, and expands the grid first axis slowest", () => {
    const a = parseSet("topology.buckets=4,8")
    const b = parseSet("engine.breaker.enabled=true,false")
    const c = parseSet("name=x,y")
    expect(a.values).toEqual([4, 8])
    expect(b.values).toEqual([true, false])
    expect(c.values).toEqual(["x", "y"])
    expect(expandGrid([a, b])).toEqual([[4, true], [4, false], [8, true], [8, false]])
    expect(() => parseSet("nothing")).toThrow(/path=value/)
    expect(() => parseSet("a..b=1")).toThrow(/field path/)
  })

  it("sets nested paths on a copy, creating objects and refusing to replace non-objects", () => {
    const input = { topology: { buckets: 2 }, name: "n" }
    const out = applyCell(input, [parseSet("topology.buckets=9"), parseSet("engine.retries.max=0")], [9, 0])
    expect(out).toEqual({ topology: { buckets: 9 }, name: "n", engine: { retries: { max: 0 } } })
    expect(input.topology.buckets).toBe(2)
    expect(() => applyCell(input, [parseSet("name.x=1")], [1])).toThrow(/not an object/)
  })

  it("recommends the cheapest configuration that met the SLO in every seed, with its worst-seed margin", () => {
    const cells = [[1], [2], [3]]
    const pt = (cell: number, seed: number, p99: number, pass: boolean): PointResult => ({ cell, seed, p99, errorRate: 0.001, maxBacklog: 1, lostAcknowledged: 0, sloPass: pass, invariantsOk: true, events: 1 })
    const points = [pt(0, 1, 90, true), pt(0, 2, 300, false), pt(1, 1, 80, true), pt(1, 2, 150, true), pt(2, 1, 10, true), pt(2, 2, 20, true)]
    const rows = aggregate(cells, points)
    expect(rows.map((r) => r.passed)).toEqual([1, 2, 2])
    expect(rows[1].p99).toEqual({ median: 115, min: 80, max: 150 })
    const slo = { p99Ms: 200, maxErrorRate: 0.01 }
    // Cell 0 is cheapest but failed a seed; of the others, cell 1 costs less than cell 2.
    const rec = recommend(rows, (c) => ({ cost: { processes: 2, poolConnections: [10, 20, 30][c], buckets: 4 }, slo }))
    expect(rec?.cell).toBe(1)
    expect(rec?.p99Margin).toBe(0.25)
    expect(rec?.errorMargin).toBe(0.9)
    expect(recommend(aggregate(cells, points.map((p) => ({ ...p, sloPass: false }))), () => ({ cost: { processes: 1, poolConnections: 1, buckets: 1 }, slo }))).toBeUndefined()
  })
})

describe("sweep runner", () => {
  const jobs = [4, 8].flatMap((buckets, cell) =>
    [1, 2].map((seed) => ({ cell, input: { seed, durationMs: 5000, hunters: { count: 200 }, topology: { buckets, nodes: 2 }, faults: [{ kind: "pause", atMs: 1000, durationMs: 400, target: 1 }] } }))
  )

  it("worker threads give exactly the in-thread results, in job order, and reruns are identical", async () => {
    const seen: Array<number> = []
    const parallel = await runPoints(jobs, { workers: 2, onProgress: (done) => seen.push(done) })
    const sequential = await runPoints(jobs, { workers: 0 })
    const again = await runPoints(jobs, { workers: 2 })
    expect(parallel).toEqual(sequential)
    expect(again).toEqual(parallel)
    expect(parallel.map((p) => [p.cell, p.seed])).toEqual([[0, 1], [0, 2], [1, 1], [1, 2]])
    expect(seen).toEqual([1, 2, 3, 4])
    expect(new Set(parallel.map((p) => p.p99)).size).toBeGreaterThan(1)
  })

  it("a point that fails reports which one, and the workers are stopped", async () => {
    await expect(runPoints([{ cell: 0, input: { hunters: { count: -1 } } }], { workers: 1 })).rejects.toThrow(/point 0/)
  })
})
