/**
 * Shrinking a failing scenario, knowing what a fault timeline is: fewer faults, shorter
 * windows, smaller magnitudes, fewer hunters, artifacts, buckets and nodes, a shorter run.
 * Greedy: the first smaller candidate that decodes and still fails the same way (the same
 * invariant, the SLO, or the user's invariant) is kept, and the search starts again from it,
 * until no candidate fails or the run budget is spent.
 */
import { Effect, Exit } from "effect"
import { decodeScenario, type ScenarioInput } from "../src/scenario.ts"
import type { Failed } from "./check.ts"

type Json = Record<string, unknown>
type FaultJson = Json & { atMs: number; durationMs: number; target?: number }

const clone = (s: ScenarioInput): Json => structuredClone(s) as unknown as Json
const faultsOf = (s: Json): Array<FaultJson> => (Array.isArray(s.faults) ? (s.faults as Array<FaultJson>) : [])
const section = (s: Json, key: string): Json => (s[key] !== null && typeof s[key] === "object" ? (s[key] as Json) : ((s[key] = {}), s[key] as Json))

/** Magnitude fields of a fault, and the value that means "barely a fault". */
const MAGNITUDES: ReadonlyArray<readonly [string, number]> = [["extraMs", 0.01], ["jitterMs", 0], ["lagMs", 1], ["probability", 0.1]]

/** Every candidate one step smaller than `s`, the biggest cuts first. */
export function* candidates(s: ScenarioInput): Generator<Json> {
  const faults = faultsOf(s as unknown as Json)
  // Fewer faults: all but the first half, then each one alone removed.
  if (faults.length > 1) {
    const c = clone(s)
    c.faults = faults.slice(0, Math.floor(faults.length / 2))
    yield c
  }
  for (let i = faults.length - 1; i >= 0; i--) {
    const c = clone(s)
    ;(c.faults as Array<unknown>).splice(i, 1)
    yield c
  }
  // A shorter run: half, faults past its end dropped and the rest cut to it.
  const durationMs = typeof s.durationMs === "number" ? s.durationMs : undefined
  if (durationMs !== undefined && durationMs >= 2000) {
    const c = clone(s)
    const end = Math.floor(durationMs / 2)
    c.durationMs = end
    c.faults = faultsOf(c)
      .filter((f) => f.atMs < end)
      .map((f) => ({ ...f, durationMs: Math.max(1, Math.min(f.durationMs, end - f.atMs)) }))
    const reveal = (section(c, "artifacts").reveal ?? undefined) as Json | undefined
    if (reveal && typeof reveal.toMs === "number" && reveal.toMs > end) reveal.toMs = end
    yield c
  }
  // Smaller workload and topology.
  const halve = (path: ReadonlyArray<string>, min: number) => {
    const c = clone(s)
    let o: Json = c
    for (const k of path.slice(0, -1)) o = section(o, k)
    const key = path[path.length - 1]
    const v = o[key]
    if (typeof v !== "number" || v <= min) return undefined
    o[key] = Math.max(min, Math.floor(v / 2))
    return c
  }
  for (const [path, min] of [[["hunters", "count"], 1], [["artifacts", "count"], 1], [["topology", "buckets"], 1], [["topology", "poolSize"], 1]] as const) {
    const c = halve(path, min)
    if (c) yield c
  }
  const nodes = (s.topology as Json | undefined)?.nodes
  if (typeof nodes === "number" && nodes > 1) {
    const c = clone(s)
    section(c, "topology").nodes = nodes - 1
    c.faults = faultsOf(c).map((f) => (typeof f.target === "number" ? { ...f, target: f.target % (nodes - 1) } : f))
    yield c
  }
  // Shorter windows, earlier starts (so a shorter run can keep the fault), smaller magnitudes.
  for (let i = 0; i < faults.length; i++) {
    if (faults[i].atMs > 0) {
      const c = clone(s)
      const f = faultsOf(c)[i]
      f.atMs = Math.floor(f.atMs / 2)
      yield c
    }
    if (faults[i].durationMs > 1) {
      const c = clone(s)
      const f = faultsOf(c)[i]
      f.durationMs = Math.max(1, Math.floor(f.durationMs / 2))
      yield c
    }
    for (const [key, least] of MAGNITUDES) {
      const v = faults[i][key]
      if (typeof v !== "number" || v <= least) continue
      const c = clone(s)
      faultsOf(c)[i][key] = Math.max(least, key === "probability" ? Math.round((v / 2) * 10) / 10 : v / 2)
      yield c
    }
  }
}

const decodes = (c: Json): boolean => Exit.isSuccess(Effect.runSyncExit(decodeScenario(c)))

/**
 * The smallest scenario found that still fails as `failed` did. Example:
 * `await shrink(input, failed, { maxRuns: 200, stillFails: (c) => judge(c) })`.
 */
export const shrink = async (
  input: ScenarioInput,
  failed: Failed,
  options: {
    readonly maxRuns: number
    readonly stillFails: (candidate: ScenarioInput) => Promise<Failed | undefined>
    readonly onStep?: (step: { readonly tried: number; readonly scenario: ScenarioInput; readonly faults: number }) => void
  }
): Promise<{ scenario: ScenarioInput; failed: Failed; tried: number }> => {
  let best = input
  let bestFailed = failed
  let tried = 0
  let improved = true
  while (improved && tried < options.maxRuns) {
    improved = false
    for (const c of candidates(best)) {
      if (!decodes(c)) continue
      if (tried >= options.maxRuns) break
      tried++
      const f = await options.stillFails(c as ScenarioInput)
      if (f && f.key === failed.key) {
        best = c as ScenarioInput
        bestFailed = f
        improved = true
        options.onStep?.({ tried, scenario: best, faults: faultsOf(c).length })
        break
      }
    }
  }
  return { scenario: best, failed: bestFailed, tried }
}
