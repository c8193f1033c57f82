// Simulation.run is the Effect shell over the driver: it decodes, runs on the adapters the
// layers provide, and reports progress; interrupting it (Ctrl-C in the CLI) stops the run.
// The CLI's answer to Ctrl-C is tested in test/adapters/cli/interrupt.test.ts.
import { Cause, Effect, Exit, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/driver.ts"
import { deterministicPart } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { Simulation } from "../../sim/simulation.ts"

const input = { seed: 5, durationMs: 20_000, hunters: { count: 500 }, faults: [{ kind: "pause", atMs: 5000, durationMs: 500, target: 0 }] }

describe("Simulation.run", () => {
  it("gives the same report as the driver, and reports progress up to the end", async () => {
    const seen: Array<number> = []
    const report = await Simulation.run(input, { source: "t", chunkEvents: 5000, onProgress: (v) => seen.push(v) }).pipe(Effect.runPromise)
    const direct = buildReport(simulate(decodeScenarioSync(input)), "t", 0)
    expect(JSON.stringify(deterministicPart(report))).toBe(JSON.stringify(deterministicPart(direct)))
    expect(seen.length).toBeGreaterThan(3)
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true)
    expect(seen[seen.length - 1]).toBe(20_000)
  })

  it("fails with a ScenarioError naming the field", async () => {
    const exit = await Simulation.run({ hunters: { count: 0 } }).pipe(Effect.runPromiseExit)
    expect(Exit.isFailure(exit)).toBe(true)
    const err = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
    expect(err).toMatchObject({ _tag: "ScenarioError", field: "hunters.count" })
  })

  it("can be interrupted between chunks", async () => {
    let chunks = 0
    const fiber = Effect.runFork(
      Simulation.run({ ...input, durationMs: 3_600_000 }, { chunkEvents: 10_000, onProgress: () => chunks++ })
    )
    while (chunks < 3) await new Promise((r) => setTimeout(r, 5))
    const exit = await Effect.runPromise(Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber))))
    expect(Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)).toBe(true)
  })
})
