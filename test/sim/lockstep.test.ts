// Lockstep: the same seeded hunt on the synchronous model, and in lockstep on the model,
// ioredis-mock and real Redis (the Lua script), gives the same report — same winners,
// balances, stream contents, replies, latencies (timing comes from the model in all four).
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Redis } from "ioredis"
import { AsyncModelStore } from "../../sim/model/async.ts"
import { ModelStore } from "../../sim/model/store.ts"
import { makeMockStore } from "../../adapters/mock/store.ts"
import { RedisClaimStore } from "../../adapters/redis/store.ts"
import { Simulator, simulate } from "../../sim/driver.ts"
import { LockstepMode, runLockstep } from "../../sim/lockstep.ts"
import { deterministicPart } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { connect, uniquePrefix } from "../support/redis.ts"

const scenario = decodeScenarioSync({
  seed: 21,
  durationMs: 8000,
  hunters: { count: 120, behaviour: { model: "closed", pollIntervalMs: 150, jitterMs: 50, tasks: [{ name: "claim", command: "claim", weight: 4 }, { name: "balance", command: "balance", weight: 1 }] } },
  artifacts: { count: 60, claimWindowMs: 1500, reveal: { kind: "spread", fromMs: 0, toMs: 7000 } },
  topology: { buckets: 6, nodes: 2, poolSize: 8, streamCap: 4, rttMs: { kind: "exponential", meanMs: 0.5 } },
  engine: { timeoutMs: 20, retries: { max: 2, baseMs: 2, maxMs: 10 } },
  timing: { claim: { kind: "exponential", meanMs: 0.3 } },
  faults: [
    { kind: "latencySpike", atMs: 2000, durationMs: 1000, target: 0, extraMs: 25, scope: "script" },
    { kind: "pause", atMs: 5000, durationMs: 300, target: 1 }
  ]
})

const stable = (raw: Parameters<typeof buildReport>[0]) => JSON.stringify(deterministicPart(buildReport(raw, "lockstep", 0)))

describe("lockstep on every store", () => {
  let redis: Redis
  beforeAll(async () => {
    redis = await connect()
  })
  afterAll(async () => {
    await redis?.quit()
  })


  it("model, lockstep model, ioredis-mock and real Redis give identical reports", async () => {
    const reference = simulate(scenario)
    expect(reference.retries).toBeGreaterThan(0) // the spike makes timeouts, so retries reuse keys
    expect(reference.acks.length).toBeGreaterThan(20)
    const want = stable(reference)

    const sim1 = new Simulator(scenario, { mode: new LockstepMode() })
    expect(stable(await runLockstep(sim1, new AsyncModelStore(new ModelStore(sim1.storeConfig))))).toBe(want)

    const sim2 = new Simulator(scenario, { mode: new LockstepMode() })
    const mock = await makeMockStore(uniquePrefix("lockmock"), sim2.storeConfig)
    expect(stable(await runLockstep(sim2, mock))).toBe(want)

    const sim3 = new Simulator(scenario, { mode: new LockstepMode() })
    const real = new RedisClaimStore("redis", redis, uniquePrefix("lockreal"), sim3.storeConfig, true)
    await real.setup()
    try {
      const raw = await runLockstep(sim3, real)
      expect(stable(raw)).toBe(want)
      expect(raw.store.streamTrimmed.some((x) => x > 0)).toBe(true)
    } finally {
      await real.cleanup()
    }
  })
})
