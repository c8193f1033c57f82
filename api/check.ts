/**
 * `check`: explore random hunts and fault timelines for a failure — a built-in invariant,
 * the SLO, or the user's own invariant over the report — and shrink the first one found to
 * the smallest scenario that still fails the same way, with a one-line replay. Swarm-style:
 * each run derives its configuration and its faults from its own seed (a random subset of
 * fault kinds per run, so rare combinations are not drowned out by the common ones).
 */
import { writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { Effect } from "effect"
import fc from "fast-check"
import type { Report } from "../src/report.ts"
import { decodeScenario, type Scenario, type ScenarioInput } from "../src/scenario.ts"
import { Simulation } from "../sim/simulation.ts"
import { FAULT_KINDS, faultTimeline, scenario as scenarioArbitrary, type FaultKind } from "./arbitraries.ts"
import { shrink } from "./shrink.ts"

/** The user's invariant: `true` when the report is fine, else what is wrong. */
export type Invariant = (report: Report) => true | string | Promise<true | string>

export interface CheckOptions {
  /** A base scenario (JSON or a preset's object): each run keeps it and adds a fault timeline of its own, with its own seed. */
  readonly scenario?: ScenarioInput
  /** Where runs come from instead (default: `arbitraries.scenario()` with a swarm of fault kinds). */
  readonly arbitrary?: fc.Arbitrary<ScenarioInput>
  /** Runs at most (default 100). */
  readonly runs?: number
  /** The exploration's seed (default: from the clock); the same seed explores the same runs. */
  readonly seed?: number
  /** Stop exploring after this much wall time (the shrinking that follows a failure has its own limit). */
  readonly timeBudgetMs?: number
  readonly invariant?: Invariant
  /** Judge the SLO too (default: when a base scenario is given — its SLO is the user's). */
  readonly slo?: boolean
  /** At most this many faults per generated timeline (default 3). */
  readonly maxFaults?: number
  /** Where the shrunk scenario is written (default ./huntbench-check-<seed>.json). */
  readonly saveTo?: string
  /** Simulations the shrinking may spend at most (default 400). */
  readonly maxShrinkRuns?: number
  /** Called after each exploring run. */
  readonly onRun?: (run: RunInfo) => void
  /** Called after each shrinking step that kept failing. */
  readonly onShrink?: (step: { readonly tried: number; readonly scenario: ScenarioInput; readonly faults: number }) => void
}

export interface RunInfo {
  readonly run: number
  readonly seed: number
  readonly scenario: ScenarioInput
  /** The failure, if this run failed. */
  readonly failure?: string
}

export interface CheckFailure {
  /** The failing run's seed (`scenario.seed`). */
  readonly seed: number
  /** What failed: `invariant idempotentRetries: request 12 applied twice`, `SLO: …`, or the user's message. */
  readonly message: string
  /** The scenario that failed first. */
  readonly scenario: ScenarioInput
  /** The smallest failing scenario found, failing the same way; it decodes. */
  readonly shrunk: ScenarioInput
  /** The shrunk scenario's message. */
  readonly shrunkMessage: string
  /** Where the shrunk scenario was written. */
  readonly file: string
  /** The one-line command that reproduces it. */
  readonly replay: string
}

export interface CheckResult {
  readonly ok: boolean
  /** Exploring runs done. */
  readonly runs: number
  readonly failure?: CheckFailure
  /** The exploration's seed, for a rerun. */
  readonly seed: number
  readonly elapsedMs: number
}

/** A run's failure: which check (so a shrunk run can be held to the same one) and the message. */
export interface Failed {
  readonly key: string
  readonly message: string
}

/** The kinds a run may use: a random non-empty subset (swarm testing). */
const swarmKinds = fc.subarray([...FAULT_KINDS], { minLength: 1 })

/** The scenario of run `run`: its seed from the exploration's, then everything from that seed. */
const generate = (options: CheckOptions, base: Scenario | undefined, runSeed: number): ScenarioInput => {
  const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed: runSeed, numRuns: 1 })[0]
  if (options.arbitrary) return sample(options.arbitrary)
  const kinds: ReadonlyArray<FaultKind> = sample(swarmKinds)
  if (!base) return { ...sample(scenarioArbitrary({ kinds, maxFaults: options.maxFaults })), seed: runSeed }
  const input = structuredClone(options.scenario) as Record<string, unknown>
  const faults = sample(faultTimeline({ durationMs: base.durationMs, nodes: base.topology.nodes, replicas: base.topology.replicas, kinds, maxFaults: options.maxFaults }))
  return { ...input, seed: runSeed, faults: [...((input.faults as Array<unknown>) ?? []), ...faults] } as ScenarioInput
}

/** Run `input` as `huntbench run` would and judge it; undefined when it passes. */
export const judgeRun = async (input: ScenarioInput, source: string, slo: boolean, invariant: Invariant | undefined): Promise<{ report: Report; failed?: Failed }> => {
  const report = await Effect.runPromise(Simulation.run(input, { source }))
  const broken = report.invariants.find((i) => !i.ok)
  if (broken) return { report, failed: { key: `invariant:${broken.name}`, message: `invariant ${broken.name}: ${broken.examples[0]?.detail ?? `${broken.violations} violation(s)`}` } }
  if (invariant) {
    let verdict: true | string
    try {
      verdict = await invariant(report)
    } catch (e) {
      verdict = `threw ${e instanceof Error ? e.message : String(e)}`
    }
    if (verdict !== true) return { report, failed: { key: "user", message: `invariant: ${verdict}` } }
  }
  if (slo && !report.slo.pass) return { report, failed: { key: "slo", message: `SLO: ${report.slo.breaches.join("; ")}` } }
  return { report }
}

/** A 32-bit seed for run `i` of an exploration seeded `seed` (splitmix-style, so neighbours differ). */
const runSeedOf = (seed: number, i: number): number => {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0
  return (x ^ (x >>> 16)) >>> 1
}

/**
 * Explore up to `runs` random hunts for a failure and shrink the first one. Example:
 * `const r = await check({ scenario: mine, runs: 200, invariant: (rep) => rep.claims.lostAcknowledged === 0 || "lost claims" })`
 * — then `r.ok`, or `r.failure.shrunk` and `r.failure.replay`.
 */
export const check = async (options: CheckOptions = {}): Promise<CheckResult> => {
  const started = performance.now()
  const seed = options.seed ?? Date.now() % 2 ** 31
  const base = options.scenario !== undefined ? await Effect.runPromise(decodeScenario(options.scenario)) : undefined
  const slo = options.slo ?? base !== undefined
  const runs = options.runs ?? 100
  let done = 0
  for (let i = 0; i < runs; i++) {
    if (options.timeBudgetMs !== undefined && i > 0 && performance.now() - started >= options.timeBudgetMs) break
    const runSeed = runSeedOf(seed, i)
    const input = generate(options, base, runSeed)
    const { failed } = await judgeRun(input, "check", slo, options.invariant)
    done++
    options.onRun?.({ run: i + 1, seed: runSeed, scenario: input, failure: failed?.message })
    if (!failed) continue
    const file = resolve(options.saveTo ?? `huntbench-check-${seed}.json`)
    const small = await shrink(input, failed, {
      maxRuns: options.maxShrinkRuns ?? 400,
      stillFails: async (candidate) => (await judgeRun(candidate, file, slo, options.invariant)).failed,
      onStep: options.onShrink
    })
    writeFileSync(file, JSON.stringify(small.scenario, null, 2) + "\n")
    return {
      ok: false,
      runs: done,
      seed,
      elapsedMs: performance.now() - started,
      failure: { seed: runSeed, message: failed.message, scenario: input, shrunk: small.scenario, shrunkMessage: small.failed.message, file, replay: `npx huntbench run ${file}` }
    }
  }
  return { ok: true, runs: done, seed, elapsedMs: performance.now() - started }
}
