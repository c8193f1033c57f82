// Chaos property tests as a team writes them for its own design (hunt.json): huntbench's
// check explores fault timelines against the built-in invariants and our own rule, and
// fast-check drives whole random hunts through simulate.
import fc from "fast-check"
import { readFileSync } from "node:fs"
import { arbitraries, check, simulate, type Report, type ScenarioInput } from "huntbench"
import { describe, expect, it } from "vitest"

const ourHunt = JSON.parse(readFileSync(new URL("../hunt.json", import.meta.url), "utf8")) as ScenarioInput

/** Our rule: an acknowledged win is never lost unless a node lost its state. */
const noLostWins = (report: Report): true | string =>
  report.claims.lostAcknowledged === 0 || report.faults.some((f) => f.lostAcknowledged > 0 && ["crash", "restart", "failover"].includes(f.kind)) || `lost ${report.claims.lostAcknowledged} acknowledged win(s) without a crash`

describe("our hunt under chaos", () => {
  it("keeps its invariants under 40 random fault timelines", async () => {
    const result = await check({ scenario: ourHunt, runs: 40, seed: 2026, slo: false, invariant: noLostWins, saveTo: "failing-hunt.json" })
    // On a failure, the message says what broke and `replay` is the command that reproduces it.
    expect(result.failure?.message, result.failure?.replay).toBeUndefined()
    expect(result.runs).toBe(40)
  })

  it("every random hunt holds the built-in invariants", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraries.scenario({ maxHunters: 60, maxDurationMs: 4000, maxFaults: 2 }), async (scenario) => {
        const report = await simulate(scenario)
        expect(report.invariants.filter((i) => !i.ok).map((i) => i.name)).toEqual([])
      }),
      { numRuns: 25, seed: 7 }
    )
  })
})
