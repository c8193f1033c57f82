// Consistent hashing of hunters onto workers: balanced enough, and a failure moves only the
// failed worker's hunters (after detection; before it, their requests are refused).
import { describe, expect, it } from "vitest"
import { WorkerRing } from "../../sim/ring.ts"
import { Sink } from "../../sim/model/sink.ts"
import { LoadGen } from "../../sim/model/loadgen.ts"
import { Prng } from "../../sim/prng.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { readFileSync } from "node:fs"
import { simulate } from "../../sim/driver.ts"
import { buildReport } from "../../sim/report.ts"

describe("WorkerRing", () => {
  const cfg = { count: 8, vnodes: 64, detectMs: 1000, failures: [{ worker: 3, atMs: 10_000, durationMs: 5000 }] }
  it("spreads hunters over every worker", () => {
    const ring = new WorkerRing(cfg)
    const per = new Array(8).fill(0)
    for (let h = 0; h < 8000; h++) per[ring.home(h)]++
    for (const n of per) {
      expect(n).toBeGreaterThan(1000 * 0.6)
      expect(n).toBeLessThan(1000 * 1.4)
    }
  })

  it("refuses a dead worker's hunters until it is noticed, then moves only them", () => {
    const ring = new WorkerRing(cfg)
    for (let h = 0; h < 5000; h++) {
      const home = ring.home(h)
      expect(ring.route(h, 5000)).toBe(home) // before the failure
      if (home === 3) {
        expect(ring.route(h, 10_500)).toBe(-1) // dead, not yet detected
        const moved = ring.route(h, 12_000)
        expect(moved).not.toBe(3)
        expect(moved).toBeGreaterThanOrEqual(0)
      } else {
        expect(ring.route(h, 10_500)).toBe(home)
        expect(ring.route(h, 12_000)).toBe(home) // everybody else stays put
      }
      expect(ring.route(h, 16_000)).toBe(home) // back
    }
    expect(ring.failedFast).toBeGreaterThan(0)
    expect(ring.rerouted).toBe(ring.failedFast) // one each for the same hunters
  })
})

describe("Sink", () => {
  const sink = (s: Record<string, unknown>) => new Sink(decodeScenarioSync({ durationMs: 100_000, sink: s }))
  it("sync: an insert waits out a stall, others take their insert time", () => {
    const k = sink({ mode: "sync", insertMs: { kind: "constant", ms: 2 }, stall: { everyMs: 10_000, durationMs: 400 } })
    const rng = new Prng(1)
    expect(k.record(5000, rng)).toBe(5002)
    expect(k.record(10_100, rng)).toBe(10_402) // in the stall [10 000, 10 400)
    expect(k.record(10_400, rng)).toBe(10_402)
    expect([k.rows, k.stalledInserts]).toEqual([3, 1])
  })
  it("log: the event returns after its append; totals catch up at the next aggregation", () => {
    const k = sink({ mode: "log", appendMs: 0.2, aggregateEveryMs: 30_000 })
    const rng = new Prng(1)
    expect(k.record(1000, rng)).toBe(1000.2)
    k.record(95_000, rng) // after the last aggregation (90 000): lags to the end of the run
    expect(k.consumerLag.maxUs).toBe(29_000_000)
    expect(k.unaggregatedAtEnd).toBe(1)
    expect(k.lagAt(40_000, 35_000)).toBe(10_000)
    expect(k.lagAt(40_000, 20_000)).toBe(0)
  })
})

describe("LoadGen", () => {
  it("each process sends its hunters' requests one after another (hunter h on process h mod n)", () => {
    const g = new LoadGen(decodeScenarioSync({ hunters: { count: 4 }, loadgen: { processes: 2, cpuMsPerRequest: { kind: "constant", ms: 1 } } }))
    const rng = new Prng(1)
    expect(g.send(0, 0, rng)).toBe(1) // process 0
    expect(g.send(1, 0, rng)).toBe(1) // process 1, in parallel
    expect(g.send(2, 0.5, rng)).toBe(2) // process 0 again: waits for the first
    expect(Array.from(g.sent)).toEqual([2, 1])
    expect(g.sendDelay.maxUs).toBe(1500)
  })
})

describe("load generator and app tier hand requests on in time order", () => {
  it("the Redis model's queue wait does not depend on how many generator processes there are", () => {
    const base = { ...(JSON.parse(readFileSync("scenarios/contest-after.json", "utf8")) as Record<string, unknown>), durationMs: 60_000 }
    const wait = (loadgen: Record<string, unknown> | undefined) => {
      const { loadgen: _l, ...rest } = base as { loadgen?: unknown }
      const r = buildReport(simulate(decodeScenarioSync(loadgen ? { ...rest, loadgen } : rest)), "t", 0)
      return r.queueWaitMs.mean
    }
    const none = wait(undefined)
    // Lightly loaded generators (a busy one paces requests, which does change the server's queue).
    for (const processes of [8, 32]) {
      const w = wait({ processes, cpuMsPerRequest: { kind: "constant", ms: 0.3 } })
      expect(Math.abs(w - none) / none, `${processes} processes: ${w} vs ${none}`).toBeLessThan(0.1)
    }
  })
})
