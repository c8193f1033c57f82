// The connection gateway: hunters hash to processes, each holds at most maxConnections, and
// past that a hunter is refused on every request — end to end, the refused hunters' requests
// are connection errors and exactly the overflow of each process is refused.
import { describe, expect, it } from "vitest"
import { simulate } from "../../../sim/driver.ts"
import { Gateway } from "../../../sim/model/gateway.ts"
import { buildReport } from "../../../sim/report.ts"
import { decodeScenarioSync } from "../../../src/scenario.ts"
import { gatewayTier } from "../../../src/tiers/gateway.ts"

const hunt = (gateway: Record<string, unknown>, hunters = 300) =>
  decodeScenarioSync({
    seed: 4,
    durationMs: 4000,
    hunters: { count: hunters, behaviour: { model: "closed", pollIntervalMs: 200, jitterMs: 50 } },
    artifacts: { count: 40, claimWindowMs: 1500, reveal: { kind: "spread", fromMs: 0, toMs: 3500 } },
    topology: { buckets: 4, nodes: 1 },
    engine: { retries: { max: 1, baseMs: 5, maxMs: 20 }, breaker: { enabled: false } },
    gateway
  })

describe("Gateway", () => {
  it("keeps a hunter on one process and refuses past the cap, counting each hunter once", () => {
    const g = new Gateway(hunt({ processes: 1, maxConnections: 2 }))
    expect([g.connect(0), g.connect(1), g.connect(0)]).toEqual([true, true, true])
    expect([g.connect(2), g.connect(2), g.connect(3)]).toEqual([false, false, false])
    expect(g.report()).toEqual({ processes: 1, maxConnections: 2, connections: [2], fullest: 2, refusedHunters: 2, refusedRequests: 3 })
  })

  it("spreads hunters over processes by hash", () => {
    const g = new Gateway(hunt({ processes: 4 }, 4000))
    const per = [0, 0, 0, 0]
    for (let h = 0; h < 4000; h++) per[g.processOf(h)]++
    for (const n of per) expect(Math.abs(n - 1000)).toBeLessThan(100)
  })

  it("in a hunt: each process's overflow is refused, and its requests fail as connection errors", () => {
    const s = hunt({ processes: 3, maxConnections: 80 })
    const g = new Gateway(s)
    const wanted = [0, 0, 0]
    for (let h = 0; h < 300; h++) wanted[g.processOf(h)]++
    const r = buildReport(simulate(s), "t", 0)
    expect(r.gateway?.connections).toEqual(wanted.map((n) => Math.min(n, 80)))
    expect(r.gateway?.refusedHunters).toBe(wanted.reduce((a, n) => a + Math.max(0, n - 80), 0))
    expect(r.gateway?.refusedHunters).toBeGreaterThan(0)
    // Every attempt of a refused hunter is refused; its requests end as connection errors.
    expect(r.errors.byKind.connection).toBeGreaterThan(0)
    expect(r.errors.byKind.connection).toBeLessThanOrEqual(r.gateway!.refusedRequests)
    const rows = new Map(gatewayTier.summary(r)?.rows)
    expect(rows.get("refused")).toBe(`${r.gateway!.refusedHunters} hunters (${r.gateway!.refusedRequests.toLocaleString("en-US")} requests) — a process is full`)
  })

  it("a larger cap (vertical) or more processes (horizontal) refuses nobody", () => {
    for (const gateway of [{ processes: 1, maxConnections: 300 }, { processes: 6, maxConnections: 80 }]) {
      const r = buildReport(simulate(hunt(gateway)), "t", 0)
      expect(r.gateway?.refusedHunters).toBe(0)
      expect(r.errors.byKind.connection ?? 0).toBe(0)
    }
  })
})
