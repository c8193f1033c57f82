// The live driver against the test run's real redis-server: a 20-second run whose
// invariants hold and whose request count matches the scenario's schedule within 1 %;
// and open-loop sending: a server stall does not thin out the load, and the stall shows
// in the latency measured from each request's intended time.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { liveRun } from "../../../adapters/live/simulation.ts"
import { layerRedisTarget } from "../../../adapters/redis/layers.ts"
import { simulate } from "../../../sim/driver.ts"
import { decodeScenarioSync } from "../../../src/scenario.ts"
import { connect, redisUrl } from "../../support/redis.ts"

const scenario = (over: Record<string, unknown>) =>
  decodeScenarioSync({
    seed: 17,
    durationMs: 20_000,
    hunters: {
      count: 200,
      start: { kind: "ramp", perSecond: 400 },
      behaviour: { model: "closed", pollIntervalMs: 400, jitterMs: 100, tasks: [{ name: "claim", command: "claim", weight: 9 }, { name: "balance", command: "balance", weight: 1 }] }
    },
    artifacts: { count: 100, claimWindowMs: 4000, reveal: { kind: "spread", fromMs: 0, toMs: 18_000 } },
    topology: { buckets: 8, nodes: 1, streamCap: 20 },
    engine: { timeoutMs: 2000 },
    ...over
  })

const run = (s: ReturnType<typeof scenario>, runId: string, onProgress?: (virtualMs: number) => void) =>
  Effect.runPromise(liveRun(s, { onProgress }).pipe(Effect.scoped, Effect.provide(layerRedisTarget({ url: redisUrl(), runId }))))

describe("live driver on real Redis", () => {
  it("a 20-second run: invariants hold, requests match the schedule within 1 %, keys cleaned", async () => {
    const s = scenario({})
    const schedule = simulate(s, { openLoop: true }).requests // the same schedule, counted in virtual time
    const started = performance.now()
    const report = await run(s, `live20-${process.pid}`)
    const wall = performance.now() - started
    expect(report.mode).toBe("live")
    expect(wall).toBeGreaterThan(19_000)
    expect(wall).toBeLessThan(30_000)
    for (const inv of report.invariants) expect(inv.ok, `${inv.name}: ${JSON.stringify(inv.examples)}`).toBe(true)
    expect(Math.abs(report.requests / schedule - 1)).toBeLessThan(0.01)
    expect(report.errors.total).toBe(0)
    expect(report.claims.won).toBeGreaterThan(50)
    expect(report.live?.uncorrectedLatencyMs.count).toBe(report.latencyMs.count)
    const redis = await connect()
    try {
      expect(await redis.keys(`huntbench:live20-${process.pid}:*`)).toEqual([])
    } finally {
      await redis.quit()
    }
  }, 60_000)

  it("keeps sending on schedule through a server stall, and measures the stall from intended time", async () => {
    const s = scenario({ durationMs: 6000 })
    const schedule = simulate(s, { openLoop: true }).requests
    const admin = await connect()
    // CLIENT PAUSE stalls every client's commands for 600 ms, once the run has reached its
    // second second (by its own progress, however long setting up took).
    let paused = false
    const onProgress = (virtualMs: number) => {
      if (paused || virtualMs < 2000) return
      paused = true
      void admin.call("CLIENT", "PAUSE", "600", "ALL")
    }
    try {
      const report = await run(s, `livepause-${process.pid}`, onProgress)
      expect(paused).toBe(true)
      expect(Math.abs(report.requests / schedule - 1)).toBeLessThan(0.01) // open loop: no thinning
      expect(report.latencyMs.max).toBeGreaterThan(450)
      // Requests sent during the stall waited for it: a visible share of slow ones.
      const slowSeconds = report.timeline.filter((row) => row.max > 300)
      expect(slowSeconds.length).toBeGreaterThanOrEqual(1)
      for (const inv of report.invariants) expect(inv.ok).toBe(true)
    } finally {
      await admin.quit()
    }
  }, 60_000)

  it("a stall longer than the client's timeout: attempts end at their deadline, as timeouts", async () => {
    const s = scenario({ durationMs: 5000, engine: { timeoutMs: 250, retries: { max: 0 }, breaker: { enabled: false } } })
    const admin = await connect()
    let paused = false
    const onProgress = (virtualMs: number) => {
      if (paused || virtualMs < 1500) return
      paused = true
      void admin.call("CLIENT", "PAUSE", "1200", "ALL")
    }
    try {
      const report = await run(s, `livetimeout-${process.pid}`, onProgress)
      expect(paused).toBe(true)
      expect(report.errors.byKind.timeout).toBeGreaterThan(10)
      // No answer after the deadline (its intended send + the timeout) counts as a success
      // (the histogram keeps 3 significant digits).
      expect(report.latencyMs.max).toBeLessThanOrEqual(250 * 1.001)
      for (const inv of report.invariants) expect(inv.ok, `${inv.name}: ${JSON.stringify(inv.examples)}`).toBe(true)
    } finally {
      await admin.quit()
    }
  }, 60_000)
})
