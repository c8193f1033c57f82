// The app tier: a FIFO queue over its workers, parse times, heartbeats fed in lazily (or
// dropped by the proxy), and — end to end — the interactive response-time law R = N/X − Z
// for a closed population whose app is saturated.
import { describe, expect, it } from "vitest"
import { AppTier } from "../../../sim/model/app.ts"
import { simulate } from "../../../sim/driver.ts"
import { Prng } from "../../../sim/prng.ts"
import { buildReport } from "../../../sim/report.ts"
import { decodeScenarioSync } from "../../../src/scenario.ts"

const tier = (app: Record<string, unknown>, hunters = 1) => new AppTier(decodeScenarioSync({ hunters: { count: hunters }, app }))

describe("AppTier", () => {
  it("queues requests FIFO over its workers for their parse time", () => {
    const a = tier({ workers: 1, parseMs: { kind: "constant", ms: 1 } })
    const rng = new Prng(1)
    expect([a.pass(0, rng), a.pass(0.5, rng), a.pass(0.6, rng)]).toEqual([1, 2, 3])
    expect(a.wait.maxUs).toBe(1400) // the third waited from 0.6 to 2
    const two = tier({ workers: 2, parseMs: { kind: "constant", ms: 1 } })
    expect([two.pass(0, rng), two.pass(0, rng), two.pass(0, rng)]).toEqual([1, 1, 2])
  })

  it("heartbeats take workers before the requests that come after them; the proxy drops them", () => {
    // One hunter, a heartbeat every 10 ms (at 0, 10, 20 …) costing 2 ms on the only worker.
    const a = tier({ workers: 1, parseMs: { kind: "constant", ms: 1 }, heartbeat: { intervalMs: 10, parseMs: 2 } })
    const rng = new Prng(1)
    expect(a.pass(1, rng)).toBe(3) // waits for the heartbeat of 0 (busy until 2)
    expect(a.pass(10.5, rng)).toBe(13) // the heartbeat of 10 holds the worker until 12
    a.finish(100)
    expect(a.heartbeatsParsed).toBe(11) // 0, 10, …, 100
    const p = tier({ workers: 1, parseMs: { kind: "constant", ms: 1 }, heartbeat: { intervalMs: 10, parseMs: 2 }, proxy: { dropHeartbeats: true } })
    expect(p.pass(1, rng)).toBe(2)
    p.finish(100)
    expect([p.heartbeatsParsed, p.heartbeatsDropped]).toEqual([0, 11])
  })
})

describe("a saturated app tier in a closed loop", () => {
  it("obeys the interactive response-time law: mean latency = hunters / throughput − think time", () => {
    const hunters = 2000, think = 1000
    const s = decodeScenarioSync({
      seed: 2,
      durationMs: 120_000,
      hunters: { count: hunters, behaviour: { model: "closed", pollIntervalMs: think, jitterMs: 0 } },
      topology: { buckets: 4, nodes: 1, poolSize: 1000, rttMs: { kind: "constant", ms: 0.1 } },
      timing: { claim: { kind: "constant", ms: 0.01 } },
      engine: { timeoutMs: 60_000 },
      // 2 workers, 1.5 ms per request: at most ~1 333 requests/s against 2 000 hunters a second.
      app: { workers: 2, parseMs: { kind: "constant", ms: 1.5 } }
    })
    const r = buildReport(simulate(s), "t", 0)
    expect(r.app!.utilisation).toBeGreaterThan(0.97)
    // Steady state: take the second minute only.
    const rows = r.timeline.slice(60)
    const x = rows.reduce((n, row) => n + row.ok, 0) / rows.length / 1000 // per ms
    // Each second's median stands in for its mean: saturated, every request waits about as long.
    const meanLatency = rows.reduce((n, row) => n + row.p50 * row.ok, 0) / rows.reduce((n, row) => n + row.ok, 0)
    const law = hunters / x - think
    expect(Math.abs(meanLatency - law) / law).toBeLessThan(0.05)
    expect(x * 1000).toBeGreaterThan(1300) // the workers' capacity, nearly all used
    expect(x * 1000).toBeLessThan(1334)
  })
})
