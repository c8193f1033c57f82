// Simulation.run is the Effect shell over the driver: it decodes, runs on the adapters the
// layers provide, and reports progress; interrupting it (Ctrl-C in the CLI) stops the run.
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { Cause, Effect, Exit, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { layerModel } from "../../adapters/model/layers.ts"
import { simulate } from "../../sim/driver.ts"
import { buildReport, deterministicPart } from "../../src/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { Simulation } from "../../src/simulation.ts"

const input = { seed: 5, durationMs: 20_000, hunters: { count: 500 }, faults: [{ kind: "pause", atMs: 5000, durationMs: 500, target: 0 }] }

describe("Simulation.run", () => {
  it("gives the same report as the driver, and reports progress up to the end", async () => {
    const seen: Array<number> = []
    const report = await Simulation.run(input, { source: "t", chunkEvents: 5000, onProgress: (v) => seen.push(v) }).pipe(
      Effect.provide(layerModel),
      Effect.runPromise
    )
    const direct = buildReport(simulate(decodeScenarioSync(input)), "t", 0)
    expect(JSON.stringify(deterministicPart(report))).toBe(JSON.stringify(deterministicPart(direct)))
    expect(seen.length).toBeGreaterThan(3)
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true)
    expect(seen[seen.length - 1]).toBe(20_000)
  })

  it("fails with a ScenarioError naming the field", async () => {
    const exit = await Simulation.run({ hunters: { count: 0 } }).pipe(Effect.provide(layerModel), Effect.runPromiseExit)
    expect(Exit.isFailure(exit)).toBe(true)
    const err = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
    expect(err).toMatchObject({ _tag: "ScenarioError", field: "hunters.count" })
  })

  it("can be interrupted between chunks", async () => {
    let chunks = 0
    const fiber = Effect.runFork(
      Simulation.run({ ...input, durationMs: 3_600_000 }, { chunkEvents: 10_000, onProgress: () => chunks++ }).pipe(Effect.provide(layerModel))
    )
    while (chunks < 3) await new Promise((r) => setTimeout(r, 5))
    const exit = await Effect.runPromise(Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber))))
    expect(Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)).toBe(true)
  })
})

describe("the CLI on Ctrl-C", () => {
  it("stops a long run promptly with exit code 130", async () => {
    const child = spawn(process.execPath, ["bin/huntbench.js", "run", "reference", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (d) => (stderr += d))
    // Wait until the process catches SIGINT (Linux: SigCgt bit 2 in /proc/<pid>/status),
    // however slowly it starts on a loaded machine, then let the run get going.
    const catchesSigint = () => {
      try {
        const m = /SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))
        return m !== null && (BigInt(`0x${m[1]}`) & 2n) !== 0n
      } catch {
        return false
      }
    }
    for (let i = 0; i < 400 && !catchesSigint(); i++) await new Promise((r) => setTimeout(r, 50))
    expect(catchesSigint()).toBe(true)
    await new Promise((r) => setTimeout(r, 1500))
    const sent = Date.now()
    child.kill("SIGINT")
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)))
    expect(code).toBe(130)
    expect(Date.now() - sent).toBeLessThan(5000)
    expect(stderr).toContain("interrupted")
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})
