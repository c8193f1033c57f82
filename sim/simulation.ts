/**
 * `Simulation.run(scenario)`: the discrete-event driver run in chunks so a long hunt reports progress and stays interruptible
 * (Ctrl-C), then shaped into a Report. Wall time comes from Effect's Clock, not from here.
 */
import { Clock, Effect } from "effect"
import { Simulator } from "./driver.ts"
import { LockstepMode, runLockstep, SnapshotStore } from "./lockstep.ts"
import { losesState } from "../src/faults.ts"
import { StoreError, StoreTarget } from "../src/ports/ClaimStore.ts"
import { type Report } from "../src/report.ts"
import { buildReport } from "./report.ts"
import { compileThresholds, judge } from "../src/thresholds.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../src/scenario.ts"

export interface RunOptions {
  /** Preset name or file the scenario came from, for the replay command. */
  readonly source?: string
  readonly queue?: "heap" | "wheel"
  /** Called between chunks with the virtual time reached and the run's duration (ms). */
  readonly onProgress?: (virtualMs: number, durationMs: number, events: number) => void
  /** Events per chunk between progress calls and yields (default 2^20). */
  readonly chunkEvents?: number
  /** Options besides source, seed and target that changed the result, for the replay line. */
  readonly replayFlags?: ReadonlyArray<string>
  /**
   * Called when the run is interrupted (Ctrl-C) with a report of what was simulated up to
   * then, marked `partial`. Example: `{ onPartial: (r) => print(formatSummary(r)) }`.
   */
  readonly onPartial?: (report: Report) => void
  /** Closed-model hunters start their next task on schedule, as a live run's do (fidelity comparisons). */
  readonly openLoop?: boolean
}

export const Simulation = {
  /**
   * Decode a scenario (JSON value or an already decoded `Scenario`) and simulate it: an
   * `Effect<Report, ScenarioError>`. Example:
   * `Simulation.run(json, { source: "default" }).pipe(Effect.runPromise)`.
   */
  run: Effect.fn("Simulation.run")(function* (input: unknown, options: RunOptions = {}) {
    const scenario: Scenario = yield* decodeScenario(input)
    const started = yield* Clock.currentTimeMillis
    const sim = new Simulator(scenario, { queue: options.queue, openLoop: options.openLoop })
    const chunk = options.chunkEvents ?? 1 << 20
    const source = options.source ?? scenario.name
    const info = { replayFlags: options.replayFlags }
    // Thresholds with abortOnFail are judged on the figures so far every 1 % of the run (at
    // least every simulated second): on virtual time, so an abort replays with its seed.
    const aborting = compileThresholds(scenario.slo.thresholds).thresholds.filter((t) => t.abortOnFail)
    const every = Math.max(1000, scenario.durationMs / 100)
    let nextCheck = aborting.length > 0 ? every : Infinity
    let abortedBy: string | undefined
    yield* Effect.gen(function* () {
      while (!sim.step(chunk, nextCheck)) {
        options.onProgress?.(sim.now, scenario.durationMs, sim.events)
        if (sim.nextEventTime() > nextCheck) {
          const due = aborting.filter((t) => t.delayAbortEvalMs <= nextCheck)
          const failed = due.length > 0 ? judge(buildReport(sim.raw(), source, 0, info), due).find((r) => !r.pass) : undefined
          if (failed) {
            abortedBy = `${failed.path} ${failed.threshold}`
            sim.stop()
            break
          }
          nextCheck += every
        }
        yield* Effect.yieldNow
      }
    }).pipe(
      Effect.onInterrupt(() =>
        Effect.gen(function* () {
          if (options.onPartial === undefined) return
          sim.stop()
          const wallMs = (yield* Clock.currentTimeMillis) - started
          options.onPartial(buildReport(sim.raw(), source, wallMs, { ...info, partial: true }))
        })
      )
    )
    options.onProgress?.(abortedBy ? sim.now : scenario.durationMs, scenario.durationMs, sim.events)
    const wallMs = (yield* Clock.currentTimeMillis) - started
    const report: Report = buildReport(sim.raw(), source, wallMs, abortedBy ? { ...info, partial: true, abortedBy } : info)
    return report
  })
,

  /**
   * Lockstep: the same hunt, with every store command run on the StoreTarget (real Redis,
   * ioredis-mock) one at a time in virtual-time order; timing still comes from the model.
   * Faults that lose state (crash, restart, failover) do so only in the model, so they are
   * refused here. Example:
   * `Simulation.lockstep(json).pipe(Effect.provide(layerMockTarget("r1")), Effect.scoped)`.
   */
  lockstep: Effect.fn("Simulation.lockstep")(function* (input: unknown, options: RunOptions = {}) {
    const scenario: Scenario = yield* decodeScenario(input)
    const lossy = scenario.faults.findIndex(losesState)
    if (lossy >= 0)
      return yield* new ScenarioError({
        field: `faults[${lossy}].kind`,
        message: `${scenario.faults[lossy].kind} faults lose state only in the model store; run this scenario with --target model`
      })
    const target = yield* StoreTarget
    const started = yield* Clock.currentTimeMillis
    const sim = new Simulator(scenario, { queue: options.queue, mode: new LockstepMode() })
    const store = yield* target.open(sim.storeConfig)
    const info = { target: target.name, replayFlags: options.replayFlags }
    const source = options.source ?? scenario.name
    const raw = yield* Effect.tryPromise({
      try: (signal) =>
        runLockstep(sim, store, {
          signal,
          chunkEvents: options.chunkEvents,
          onProgress: () => options.onProgress?.(sim.now, scenario.durationMs, sim.events)
        }),
      catch: (e) => new StoreError({ message: `${target.name}: ${e instanceof Error ? e.message : String(e)}` })
    }).pipe(
      // Before the scope closes (and the run's keys go): the store's state so far.
      Effect.onInterrupt(() =>
        Effect.gen(function* () {
          if (options.onPartial === undefined) return
          const snap = yield* Effect.promise(() => store.snapshot().catch(() => undefined))
          if (snap === undefined) return // the store is gone: no figures to show
          sim.stop()
          const wallMs = (yield* Clock.currentTimeMillis) - started
          options.onPartial(buildReport(sim.raw(new SnapshotStore(snap, sim.storeWrites)), source, wallMs, { ...info, partial: true }))
        })
      )
    )
    options.onProgress?.(scenario.durationMs, scenario.durationMs, sim.events)
    const wallMs = (yield* Clock.currentTimeMillis) - started
    return buildReport(raw, source, wallMs, info)
  })
}
