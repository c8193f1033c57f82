// Collisions: claims that find their artifact taken within artifacts.collisionWindowMs of
// the win. Checked against an independent count from every claim the store executed.
import { describe, expect, it } from "vitest"
import { AsyncModelStore } from "../../sim/model/async.ts"
import { ModelStore } from "../../sim/model/store.ts"
import { Simulator } from "../../sim/driver.ts"
import { LockstepMode, runLockstep } from "../../sim/lockstep.ts"
import type { AsyncClaimStore } from "../../src/ports/ClaimStore.ts"
import { Reply } from "../../src/engine/protocol.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"

const run = async (collisionWindowMs: number) => {
  const s = decodeScenarioSync({
    seed: 5,
    durationMs: 20_000,
    hunters: { count: 400, behaviour: { model: "closed", pollIntervalMs: 200, jitterMs: 100 } },
    artifacts: { count: 40, collisionWindowMs, claimWindowMs: 3000, reveal: { kind: "spread", fromMs: 500, toMs: 19_000 } },
    topology: { buckets: 2, nodes: 1 }
  })
  const log: Array<{ artifact: number; reply: number; at: number }> = []
  // Every claim the store executes, seen through lockstep (proven equal to the plain run).
  const sim = new Simulator(s, { mode: new LockstepMode() })
  const model = new AsyncModelStore(new ModelStore(sim.storeConfig))
  const store: AsyncClaimStore = {
    name: "logged model",
    claim: async (bucket, artifact, hunter, key, now) => {
      const reply = await model.claim(bucket, artifact, hunter, key, now)
      log.push({ artifact, reply, at: now })
      return reply
    },
    balance: (bucket, hunter) => model.balance(bucket, hunter),
    snapshot: () => model.snapshot()
  }
  const raw = await runLockstep(sim, store)
  const wonAt = new Map<number, number>()
  let expected = 0
  for (const e of log) {
    if (e.reply === Reply.WON) wonAt.set(e.artifact, e.at)
    else if (e.reply === Reply.TAKEN && e.at - (wonAt.get(e.artifact) ?? -Infinity) <= collisionWindowMs) expected++
  }
  return { report: buildReport(raw, "t", 0), expected, taken: log.filter((e) => e.reply === Reply.TAKEN).length }
}

describe("collisions", () => {
  it("count the claims that lost a race, per bucket and in total", async () => {
    const { report, expected, taken } = await run(100)
    expect(expected).toBeGreaterThan(0)
    expect(report.claims.collisions).toBe(expected)
    expect(report.buckets.reduce((n, b) => n + b.collisions, 0)).toBe(expected)
    expect(expected).toBeLessThan(taken) // most TAKEN replies come long after the win
  })

  it("grow with the window and vanish at a zero window", async () => {
    const narrow = (await run(20)).report.claims.collisions
    const wide = (await run(1000)).report.claims.collisions
    expect(wide).toBeGreaterThan(narrow)
    expect((await run(0)).report.claims.collisions).toBe(0)
  })
})
