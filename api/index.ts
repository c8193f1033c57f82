/**
 * huntbench as a library: `simulate` a scenario into the same report `huntbench run` prints,
 * fast-check `arbitraries` for scenarios and fault timelines, and `check`, which explores
 * random hunts for a broken invariant and shrinks the first failure to a few faults.
 *
 * ```ts
 * import { arbitraries, check, simulate } from "huntbench"
 * const report = await simulate({ hunters: { count: 200 }, faults: [{ kind: "pause", atMs: 2000, durationMs: 500 }] })
 * const result = await check({ scenario: mine, runs: 50, invariant: (r) => r.claims.lostAcknowledged === 0 || "lost a claim" })
 * ```
 */
import { Effect } from "effect"
import { presets } from "../src/presets.ts"
import type { Report } from "../src/report.ts"
import { ScenarioError, type ScenarioInput } from "../src/scenario.ts"
import { Simulation } from "../sim/simulation.ts"
import * as arbitraries from "./arbitraries.ts"

export { arbitraries }
export { check } from "./check.ts"
export type { CheckFailure, CheckOptions, CheckResult, Invariant, RunInfo } from "./check.ts"
export type { Report } from "../src/report.ts"
export type { Scenario, ScenarioInput } from "../src/scenario.ts"
export { ScenarioError, decodeScenario } from "../src/scenario.ts"

export interface SimulateOptions {
  /** Names the scenario in the report's replay line (default: the scenario's name). */
  readonly source?: string
  /** Overrides the scenario's seed. */
  readonly seed?: number
}

/** A preset's name → its scenario JSON; anything else is the scenario itself. */
const resolveInput = (scenario: ScenarioInput | string, seed: number | undefined): unknown => {
  const input = typeof scenario === "string" ? (Object.hasOwn(presets, scenario) ? structuredClone(presets[scenario]) : scenario) : structuredClone(scenario)
  return seed !== undefined && input !== null && typeof input === "object" ? { ...input, seed } : input
}

/**
 * The Effect flavour of `simulate`: fails with a `ScenarioError` naming the field on a bad
 * scenario. Example: `yield* simulateEffect("small", { seed: 4 })`.
 */
export const simulateEffect = (scenario: ScenarioInput | string, options: SimulateOptions = {}): Effect.Effect<Report, ScenarioError> =>
  Simulation.run(resolveInput(scenario, options.seed), { source: options.source ?? (typeof scenario === "string" ? scenario : undefined) })

/**
 * Simulate a scenario (its JSON, or a preset's name) on the model: the report `huntbench run`
 * prints and writes with `--out json=…`. A bad scenario rejects with a `ScenarioError` whose
 * message starts with the field (`hunters.count: Expected …`). Example:
 * `(await simulate("small", { seed: 4 })).latencyMs.p99`.
 */
export const simulate = (scenario: ScenarioInput | string, options: SimulateOptions = {}): Promise<Report> =>
  Effect.runPromise(simulateEffect(scenario, options).pipe(Effect.mapError((e) => new ScenarioError({ field: e.field, message: `${e.field}: ${e.message}` }))))
