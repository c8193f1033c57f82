/**
 * `liveRun(scenario)`: the live driver as an Effect program on a StoreTarget — scoped (the
 * store's keys are cleaned up when it ends, also on failure and Ctrl-C) and interruptible.
 */
import { Effect } from "effect"
import { summarize } from "../../src/metrics/histogram.ts"
import { StoreError, StoreTarget } from "../../src/ports/ClaimStore.ts"
import { type Report } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../../src/scenario.ts"
import { LiveRunner, type LiveRun } from "./driver.ts"

export interface LiveRunOptions {
  readonly source?: string
  readonly timeScale?: number
  readonly onProgress?: (virtualMs: number, durationMs: number, events: number) => void
  /** Options besides source, seed and target that changed the result, for the replay line. */
  readonly replayFlags?: ReadonlyArray<string>
  /** Called on Ctrl-C with a report of what ran so far, marked `partial`. */
  readonly onPartial?: (report: Report) => void
}

/**
 * Run a scenario on the wall clock against the provided StoreTarget. Faults cannot be
 * injected into real processes yet, so a scenario with faults is refused. Example:
 * `liveRun(json).pipe(Effect.provide(layerRedisTarget({ url, runId })), Effect.scoped)`.
 */
export const liveRun = Effect.fn("Simulation.live")(function* (input: unknown, options: LiveRunOptions = {}) {
  const scenario: Scenario = yield* decodeScenario(input)
  if (scenario.faults.length > 0)
    return yield* new ScenarioError({
      field: "faults",
      message: "live runs cannot inject faults into real processes yet; drop them (--no-faults) or run in simulation"
    })
  const timeScale = options.timeScale ?? 1
  const target = yield* StoreTarget
  const live = new LiveRunner(scenario)
  const store = yield* target.open(live.storeConfig)
  const started = performance.now()
  const source = options.source ?? scenario.name
  const info = { mode: "live" as const, target: target.name, replayFlags: options.replayFlags }
  const shape = (run: LiveRun, partial: boolean): Report => ({
    ...buildReport(run.raw, source, performance.now() - started, { ...info, partial }),
    live: { timeScale, uncorrectedLatencyMs: summarize(run.uncorrected), lateSends: run.lateSends, maxSendDelayMs: Math.round(run.maxSendDelayMs * 1000) / 1000 }
  })
  const run = yield* Effect.tryPromise({
    try: (signal) => live.run(store, { timeScale, signal, onProgress: options.onProgress }),
    catch: (e) => new StoreError({ message: `${target.name}: ${e instanceof Error ? e.message : String(e)}` })
  }).pipe(
    // Before the scope closes (and the run's keys go): what ran so far.
    Effect.onInterrupt(() =>
      options.onPartial === undefined
        ? Effect.void
        : Effect.promise(() => live.stop(store).then((r) => options.onPartial?.(shape(r, true)), () => undefined))
    )
  )
  return shape(run, false)
})
