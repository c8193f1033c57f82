// A deliberately weakened engine — a retry whose idempotency key already won is applied
// again (the claim rule's ALREADY check removed, in this file only) — is found by `check`
// within its budget, and the failure shrinks to a scenario with at most 2 faults that still
// fails the same way.
import { describe, expect, it, vi } from "vitest"
import { check } from "../../api/index.ts"
import { presets } from "../../src/presets.ts"
import { decodeScenarioSync, type ScenarioInput } from "../../src/scenario.ts"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

vi.mock("../../src/engine/claim.ts", async (original) => {
  const real = await original<typeof import("../../src/engine/claim.ts")>()
  const { Reply } = await import("../../src/engine/protocol.ts")
  return {
    ...real,
    claimReply: (alreadyWon: boolean, artifact: number, now: number, revealAt: Float64Array, windowMs: number, winner: Int32Array) =>
      alreadyWon ? Reply.WON : real.claimReply(false, artifact, now, revealAt, windowMs, winner)
  }
})

describe("check against a weakened engine", () => {
  it("finds the double-applied retry within its budget and shrinks it to at most 2 faults", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huntbench-check-"))
    try {
      const base = { ...(structuredClone(presets.small) as object), faults: [] } as ScenarioInput
      const r = await check({ scenario: base, seed: 7, runs: 60, timeBudgetMs: 60_000, slo: false, saveTo: join(dir, "shrunk.json") })
      expect(r.ok, "the weakened engine went unnoticed").toBe(false)
      const f = r.failure!
      // A win applied twice: the balance counts it twice, and the request key is applied twice.
      const kind = /^invariant (balanceMatchesHoldings|idempotentRetries): /.exec(f.message)
      expect(kind, f.message).not.toBeNull()
      expect(f.shrunkMessage.startsWith(`invariant ${kind![1]}: `), f.shrunkMessage).toBe(true)
      const shrunk = decodeScenarioSync(f.shrunk)
      expect(shrunk.faults.length).toBeLessThanOrEqual(2)
      expect(shrunk.faults.length).toBeLessThanOrEqual(decodeScenarioSync(f.scenario).faults.length)
      console.log(`found in ${r.runs} run(s), ${Math.round(r.elapsedMs)} ms; shrunk to ${shrunk.faults.length} fault(s), ${shrunk.hunters.count} hunters, ${shrunk.durationMs} ms: ${JSON.stringify(shrunk.faults)}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})
