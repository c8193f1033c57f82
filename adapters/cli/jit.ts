/**
 * JIT tuning for the simulation's hot loop, applied once at process start by the CLI and the
 * benchmarks. V8 inlines a call only while the caller's inlined bytecode stays under a
 * budget (920 bytes by default); the event loop's path through the engine, the timing
 * model, the store and the event queue is larger than that, so V8 left about a dozen calls
 * per request in place. Raising the budget lets it compile the whole path as one function:
 * measured 1.2–1.3× faster on the reference hunt (see BENCHMARKS.md), no effect on the bare
 * event loop (already one small function) and none on results — inlining changes speed only.
 * Flags are process-wide, so sweep worker threads get them too. Browsers keep V8's defaults.
 */
import { setFlagsFromString } from "node:v8"

export const JIT_FLAGS = [
  "--max-inlined-bytecode-size=2000",
  "--max-inlined-bytecode-size-cumulative=20000",
  "--max-inlined-bytecode-size-absolute=20000"
] as const

let tuned = false

/** Raise V8's inlining budget for code compiled from now on. Example: `tuneJit()` first thing in `main`. */
export const tuneJit = (): void => {
  if (tuned || process.env.HUNTBENCH_JIT_DEFAULTS === "1") return
  for (const f of JIT_FLAGS) setFlagsFromString(f)
  tuned = true
}
