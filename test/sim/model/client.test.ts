// The modelled live client (sim/model/client.ts): a request's path comes from the calibrated
// level at the client's current rate (between two levels, odds by log rate), and the client's
// one thread queues requests once the rate nears the driver's ceiling — below it latency
// stays at the levels', above it it climbs through the run (the knee).
import { describe, expect, it } from "vitest"
import { ClientModel, scaleFor } from "../../../sim/model/client.ts"
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

/** The latency of an open-loop claim hunt at `ratePerSec` on one node, simulated with `profile`. */
const latency = (profile: object, ratePerSec: number, o: { seed: number; durationMs: number; timeoutMs: number; poolSize?: number }) =>
  summarize(
    simulate(
      decodeScenarioSync({
        seed: o.seed,
        durationMs: o.durationMs,
        hunters: { count: 5000, behaviour: { model: "open", ratePerSec } },
        artifacts: { count: 20_000, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: o.durationMs } },
        topology: { buckets: 16, nodes: 1, ...(o.poolSize ? { poolSize: o.poolSize } : {}) },
        engine: { timeoutMs: o.timeoutMs },
        timing: { profile }
      }),
      { openLoop: true }
    ).latency
  )

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

  it("queues requests on its one thread above the highest level only (the levels hold its queueing below), then a growing wait", () => {
    const waits = (rate: number) => {
      const c = new ClientModel(driver, 0)
      const out: Array<number> = []
      for (let t = 0; t < 1000; t += 1000 / rate) out.push(c.leave(t) - t)
      return out
    }
    const cost = 1000 / driver.ceilingPerSec
    for (const w of waits(10_000)) expect(w).toBeCloseTo(cost, 9)
    const over = waits(25_000)
    // 25 000 sent a second, 20 000 served: from the first rate window's end (0.25 s) the
    // backlog grows by 5 000 a second — 3 750 requests, 187 ms of the thread, by 1 s.
    expect(over.at(-1)!).toBeGreaterThan(150)
    expect(over.at(-1)!).toBeGreaterThan(over[over.length >> 1])
  })

  it("scales the levels' paths for a run of another shape, as calibrate measured that shape", () => {
    const emp = (quantiles: Array<[number, number]>) => ({ kind: "empirical" as const, quantiles })
    const at4k: Array<[number, number]> = [[0, 0.1], [0.5, 0.2], [0.99, 4], [1, 8]]
    const times = (k: number, t: Array<[number, number]>) => t.map(([p, ms]) => [p, ms * k] as [number, number])
    const shaped = {
      levels: [{ ratePerSec: 4000, claimsPerSec: 4000, latencyMs: emp(at4k), raw: q(0.2) }],
      ceilingPerSec: 1e9,
      shapes: [
        // Over 3 nodes every quantile twice the level's; with half reads the body halved, the tail as is.
        { nodes: 3, balanceShare: 0, ratePerSec: 4000, latencyMs: emp(times(2, at4k)), raw: q(0.4) },
        { nodes: 1, balanceShare: 0.5, ratePerSec: 4000, latencyMs: emp([[0, 0.05], [0.5, 0.1], [0.99, 4], [1, 8]]), raw: q(0.1) }
      ]
    }
    const ratios = (nodes: number, balanceShare: number) => scaleFor(shaped, { nodes, balanceShare }, 4000)?.map(([, r]) => Number(r.toFixed(3)))
    expect(ratios(1, 0)).toBeUndefined()
    expect(scaleFor({ ...shaped, shapes: undefined }, { nodes: 3, balanceShare: 0.5 }, 4000)).toBeUndefined()
    expect(ratios(3, 0)).toEqual([2, 2, 2, 2])
    // Between one node and three by log nodes; past three no further than measured.
    expect(ratios(2, 0)).toEqual(Array(4).fill(Number((2 ** (Math.log(2) / Math.log(3))).toFixed(3))))
    expect(ratios(9, 0)).toEqual([2, 2, 2, 2])
    expect(ratios(1, 0.5)).toEqual([0.5, 0.5, 1, 1])
    expect(ratios(1, 0.25)).toEqual([0.707, 0.707, 1, 1])
    expect(ratios(3, 0.5)).toEqual([1, 1, 2, 2])
    // The model's paths: over three nodes the median path is twice one node's.
    const median = (shape: { nodes: number; balanceShare: number }) => {
      const c = new ClientModel(shaped, 0, shape)
      const rng = new Prng(2)
      const xs = Array.from({ length: 4001 }, () => c.path(rng)).sort((a, b) => a - b)
      return xs[2000]
    }
    expect(median({ nodes: 3, balanceShare: 0 }) / median({ nodes: 1, balanceShare: 0 })).toBeCloseTo(2, 1)
  })

  it("a shape measured at two rates: its ratio at each by log rate between them, the nearest's outside", () => {
    const emp = (quantiles: Array<[number, number]>) => ({ kind: "empirical" as const, quantiles })
    const flat = (ms: number) => emp([[0, ms], [0.5, ms], [1, ms]])
    // Reads halve the path at 1 000/s and quarter it at 16 000/s.
    const driver = {
      levels: [1000, 4000, 16_000].map((r) => ({ ratePerSec: r, claimsPerSec: r, latencyMs: flat(0.4), raw: q(0.4) })),
      ceilingPerSec: 20_000,
      shapes: [
        { nodes: 1, balanceShare: 0.5, ratePerSec: 16_000, latencyMs: flat(0.1), raw: q(0.1) },
        { nodes: 1, balanceShare: 0.5, ratePerSec: 1000, latencyMs: flat(0.2), raw: q(0.2) }
      ]
    }
    const at = (rate: number) => scaleFor(driver, { nodes: 1, balanceShare: 0.5 }, rate)![1][1]
    expect(at(1000)).toBeCloseTo(0.5, 9)
    expect(at(16_000)).toBeCloseTo(0.25, 9)
    expect(at(4000)).toBeCloseTo(0.5 ** 1.5, 9) // halfway on a log scale: geometric halfway
    expect(at(500)).toBeCloseTo(0.5, 9)
    expect(at(30_000)).toBeCloseTo(0.25, 9)
  })

  it("in a simulated hunt at a level's own rate: that level's p50 and p99, whatever the round trip's tail", () => {
    // Shapes as calibrate measured them here (2026-12-01): a ping loop's round trip with the
    // client's stalls in its tail, and the live driver's latency at 1 000 and 16 000 claims/s
    // and at its ceiling, 20 000 (calibrate's highest level is the ceiling).
    const rttMs = { kind: "empirical", quantiles: [[0, 0.036], [0.5, 0.049], [0.9, 0.098], [0.99, 0.528], [0.999, 2.43], [1, 5.41]] }
    const at16k = [[0, 0.038], [0.1, 0.062], [0.25, 0.092], [0.5, 0.152], [0.75, 0.329], [0.9, 4.06], [0.95, 6.86], [0.99, 18], [0.999, 32.1], [1, 33]] as const
    const at1k = [[0, 0.1], [0.5, 0.247], [0.9, 1.2], [0.99, 4.7], [1, 9]] as const
    const emp = (quantiles: ReadonlyArray<readonly [number, number]>) => ({ kind: "empirical" as const, quantiles: quantiles.map(([p, ms]) => [p, ms]) })
    const raw = (quantiles: ReadonlyArray<readonly [number, number]>) => ({ ...q(quantiles.find(([p]) => p === 0.5)![1]), p99: quantiles.find(([p]) => p === 0.99)![1] })
    const profile = {
      huntbenchProfile: 1,
      target: "test",
      measuredAt: "2026-12-01T00:00:00.000Z",
      redisVersion: "7.0.15",
      rttMs,
      timing: {
        claim: { kind: "empirical", quantiles: [[0, 0.004], [0.1006, 0.008], [0.8126, 0.016], [0.9352, 0.033], [0.9832, 0.066], [0.9988, 0.132], [0.9996, 0.264], [0.9998, 0.528], [1, 2.113]] },
        balance: { kind: "constant", ms: 0.001 }
      },
      clientOverheadMs: 0,
      eventLoopDelayMs: { p50: 0.01, p99: 0.1, max: 1 },
      ceilingPerSec: 60_000,
      levels: [],
      raw: { rttMs: { ...q(0.049), p99: 0.528 }, claimServerMs: q(0.012), balanceServerMs: q(0.001) },
      driver: { levels: [{ ratePerSec: 1000, claimsPerSec: 1000, latencyMs: emp(at1k), raw: raw(at1k) }, { ratePerSec: 16_000, claimsPerSec: 16_000, latencyMs: emp(at16k), raw: raw(at16k) }, { ratePerSec: 20_000, claimsPerSec: 20_000, latencyMs: emp(at16k), raw: raw(at16k) }], ceilingPerSec: 20_000 }
    }
    const run = (ratePerSec: number) => latency(profile, ratePerSec, { seed: 5, durationMs: 3000, timeoutMs: 1000 })
    for (const [rate, table] of [[1000, at1k], [16_000, at16k]] as const) {
      const got = run(rate)
      const want = raw(table)
      // Before, the round trip's tail held up the node for everyone sent after, and the
      // thread's queueing, already in the level, was added again: p50 twice the level's at 16 000/s.
      expect(got.p50 / want.p50, `p50 at ${rate}/s: ${got.p50} against ${want.p50}`).toBeGreaterThan(0.85)
      expect(got.p50 / want.p50, `p50 at ${rate}/s: ${got.p50} against ${want.p50}`).toBeLessThan(1.3)
      expect(got.p99 / want.p99, `p99 at ${rate}/s: ${got.p99} against ${want.p99}`).toBeGreaterThan(0.75)
      expect(got.p99 / want.p99, `p99 at ${rate}/s: ${got.p99} against ${want.p99}`).toBeLessThan(1.25)
    }
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
    const p = (ratePerSec: number) => latency(profile, ratePerSec, { seed: 3, durationMs: 2000, timeoutMs: 5000, poolSize: 10_000 })
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
