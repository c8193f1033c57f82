/**
 * JIT tuning for long simulations. V8 inlines a call only while the caller's inlined
 * bytecode stays under a budget (920 bytes by default); the event loop's path through the
 * engine, the timing model, the store and the event queue is larger than that, so V8 left
 * about a dozen calls per request in place. Raising the budget lets it compile the path as
 * one function: measured 1.2–1.3× faster on the reference hunt (bench `jit-inlining` in
 * BENCHMARKS.md), no effect on the bare event loop (already one small function), none on
 * results — inlining changes speed only. But the bigger optimized code takes longer to
 * compile: the default preset (0.2 s) took twice as long. So the CLI raises the budget only
 * for runs long enough to repay it. Flags are process-wide (sweep worker threads share
 * them); browsers keep V8's defaults.
 */
import { setFlagsFromString } from "node:v8"
import { Effect } from "effect"
import type { Scenario } from "../../src/scenario.ts"
import { Simulator } from "../../sim/driver.ts"
import { expectedEvents, rehearsal } from "../../sim/rehearsal.ts"

export { expectedEvents }

export const JIT_FLAGS = [
  "--max-inlined-bytecode-size=2000",
  "--max-inlined-bytecode-size-cumulative=20000",
  "--max-inlined-bytecode-size-absolute=20000"
] as const
// V8 12's defaults (Node 22), restored by `resetJit`.
const DEFAULT_FLAGS = ["--max-inlined-bytecode-size=460", "--max-inlined-bytecode-size-cumulative=920", "--max-inlined-bytecode-size-absolute=4600"] as const

/** Runs of at least this many events (about a second of simulation) get the larger budget. */
export const LONG_RUN_EVENTS = 10_000_000

/** Raise V8's inlining budget for code optimized from now on (HUNTBENCH_JIT_DEFAULTS=1: don't). Example: `tuneJit()`. */
export const tuneJit = (): void => {
  if (process.env.HUNTBENCH_JIT_DEFAULTS === "1") return
  for (const f of JIT_FLAGS) setFlagsFromString(f)
}

/** Back to V8's defaults for code optimized from now on. Example: `resetJit()` before short runs. */
export const resetJit = (): void => {
  for (const f of DEFAULT_FLAGS) setFlagsFromString(f)
}

/** Raise the budget if any of `scenarios` is a long run. Example: `tuneJitFor([scenario])`. */
export const tuneJitFor = (scenarios: ReadonlyArray<Scenario>): void => {
  if (scenarios.some((s) => expectedEvents(s) >= LONG_RUN_EVENTS)) tuneJit()
}

/** Whether `s` gets a rehearsal before it runs (a long run, JIT tuning not turned off). */
export const wantsRehearsal = (s: Scenario): boolean =>
  process.env.HUNTBENCH_JIT_DEFAULTS !== "1" && expectedEvents(s) >= LONG_RUN_EVENTS

/**
 * Before a long model run: rehearse it — its timeline compressed into 15 simulated seconds
 * at most, in a throwaway simulation (sim/rehearsal.ts) — so V8 has compiled every path the
 * run will take before it starts, instead of discarding and rebuilding the optimized event
 * loop each time the run first meets a timeout, a retry or a failover. Short runs and
 * HUNTBENCH_JIT_DEFAULTS=1 skip it. It runs in small chunks and yields between them, as the
 * run does, so Ctrl-C is answered during it too. Example:
 * `yield* rehearse(scenario)` (~0.4 s for `reference`).
 */
export const rehearse = (s: Scenario): Effect.Effect<void> =>
  Effect.gen(function* () {
    if (!wantsRehearsal(s)) return
    const sim = new Simulator(rehearsal(s))
    while (!sim.step(1 << 16)) yield* Effect.yieldNow
  })
