// The modelled live client (sim/model/client.ts): a request's path comes from the calibrated
// level at the client's current rate (between two levels, odds by log rate), and the client's
// one thread queues requests once the rate nears the driver's ceiling — below it latency
// stays at the levels', above it it climbs through the run (the knee).
import { describe, expect, it } from "vitest"
import { ClientModel } from "../../../sim/model/client.ts"
import { simulate } from "../../../sim/driver.ts"
import { Prng } from "../../../sim/prng.ts"
import { summarize } from "../../../src/metrics/histogram.ts"
import { decodeScenarioSync } from "../../../src/scenario.ts"

const q = (p50: number) => ({ p50, p90: p50, p99: p50, p999: p50, max: p50, count: 1000 })
const level = (ratePerSec: number, ms: number) => ({ ratePerSec, claimsPerSec: ratePerSec, latencyMs: { kind: "constant" as const, ms }, raw: q(ms) })
/** Two levels: 1 ms paths at 1 000/s, 5 ms at 10 000/s; the thread saturates at 20 000/s. */
const driver = { levels: [level(10_000, 5), level(1000, 1)], ceilingPerSec: 20_000 }

/** Draw paths from a client sending at a steady `rate` (claims/s) for a second. */
const paths = (rate: number) => {
  const c = new ClientModel(driver, 0)
  const rng = new Prng(1)
  const out: Array<number> = []
  for (let t = 0; t < 1000; t += 1000 / rate) {
    c.leave(t)
    if (t > 300) out.push(c.path(rng))
  }
  return out
}

describe("the modelled live client", () => {
  it("takes the path of the level at the client's rate, less the thread's cost", () => {
    const cost = 1000 / driver.ceilingPerSec
    for (const p of paths(1000)) expect(p).toBeCloseTo(1 - cost, 9)
    for (const p of paths(10_000)) expect(p).toBeCloseTo(5 - cost, 9)
    // Above the highest level: its path (the thread does the rest).
    for (const p of paths(15_000)) expect(p).toBeCloseTo(5 - cost, 9)
  })

  it("between two levels, draws from each with odds by log rate", () => {
    // 3 162/s is halfway between 1 000 and 10 000 on a log scale.
    const ps = paths(3162)
    const high = ps.filter((p) => p > 3).length / ps.length
    expect(high).toBeGreaterThan(0.4)
    expect(high).toBeLessThan(0.6)
  })

  it("queues requests on its one thread: no wait well below the ceiling, a growing one above it", () => {
    const waits = (rate: number) => {
      const c = new ClientModel(driver, 0)
      const out: Array<number> = []
      for (let t = 0; t < 1000; t += 1000 / rate) out.push(c.leave(t) - t)
      return out
    }
    const cost = 1000 / driver.ceilingPerSec
    for (const w of waits(10_000)) expect(w).toBeCloseTo(cost, 9)
    const over = waits(25_000)
    // 25 000 sent a second, 20 000 served: the backlog grows by 5 000 a second.
    expect(over.at(-1)!).toBeGreaterThan(200)
    expect(over.at(-1)!).toBeGreaterThan(over[over.length >> 1])
  })

  it("in a simulated hunt: the levels' latency below the ceiling, a knee past it", () => {
    const profile = {
      huntbenchProfile: 1,
      target: "test",
      measuredAt: "2026-12-01T00:00:00.000Z",
      redisVersion: "7.0.15",
      rttMs: { kind: "constant", ms: 0.05 },
      timing: { claim: { kind: "constant", ms: 0.01 }, balance: { kind: "constant", ms: 0.01 } },
      clientOverheadMs: 0,
      eventLoopDelayMs: { p50: 0.01, p99: 0.1, max: 1 },
      ceilingPerSec: 100_000,
      levels: [],
      raw: { rttMs: q(0.05), claimServerMs: q(0.01), balanceServerMs: q(0.01) },
      driver: { levels: [level(1000, 0.3), level(10_000, 0.6)], ceilingPerSec: 20_000 }
    }
    const p = (ratePerSec: number) =>
      summarize(
        simulate(
          decodeScenarioSync({
            seed: 3,
            durationMs: 2000,
            hunters: { count: 5000, behaviour: { model: "open", ratePerSec } },
            artifacts: { count: 20_000, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: 2000 } },
            topology: { buckets: 16, nodes: 1, poolSize: 10_000 },
            engine: { timeoutMs: 5000 },
            timing: { profile }
          }),
          { openLoop: true }
        ).latency
      )
    const [low, mid, past] = [p(1000), p(10_000), p(30_000)]
    // The level's 0.3 ms (plus a hair of queueing), then its 0.6 ms.
    expect(low.p50).toBeGreaterThan(0.29)
    expect(low.p50).toBeLessThan(0.35)
    expect(mid.p50).toBeGreaterThan(0.59)
    expect(mid.p50).toBeLessThan(0.7)
    // Past the ceiling the client's queue runs away: p99 far beyond 10× the light load's.
    expect(past.p99).toBeGreaterThan(10 * low.p99)
  })
})
