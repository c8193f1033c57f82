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
import { deploymentFor, FaultInjector, notInjectable, type Injection } from "../chaos/injector.ts"
import { ShardedClaimStore } from "../redis/sharded.ts"
import { LiveRunner, type LiveRun } from "./driver.ts"
import type { HistoryEntry } from "./history.ts"

export interface LiveRunOptions {
  readonly source?: string
  readonly timeScale?: number
  readonly onProgress?: (virtualMs: number, durationMs: number, events: number) => void
  /** Options besides source, seed and target that changed the result, for the replay line. */
  readonly replayFlags?: ReadonlyArray<string>
  /** Called on Ctrl-C with a report of what ran so far, marked `partial`. */
  readonly onPartial?: (report: Report) => void
  /** Where to tell each fault injected and undone (one line each). */
  readonly log?: (line: string) => void
  /** Called with every attempt sent and how it ended (also for a partial run). */
  readonly onHistory?: (entries: ReadonlyArray<HistoryEntry>) => void
}

/** One line for an injection. Example: "fault 0 (partition, node 1) started at 2.000 s". */
const describeInjection = (s: Scenario, i: Injection, timeScale: number): string =>
  `fault ${i.fault} (${i.kind}, node ${i.node}) ${i.action === "start" ? "injected" : i.action === "promote" ? "failed over (replica promoted)" : "undone"} at ${(i.atMs / 1000).toFixed(3)} s${timeScale !== 1 ? " (virtual)" : ""}${i.action === "start" ? `, until ${((s.faults[i.fault].atMs + s.faults[i.fault].durationMs) / 1000).toFixed(3)} s` : ""}`

/**
 * Run a scenario on the wall clock against the provided StoreTarget. Its faults are injected
 * for real (adapters/chaos/injector.ts): every kind into a deployment huntbench started
 * (`--target local`); into a server it did not start, those the target allows (link faults
 * through its own proxy; server-wide ones with --allow-destructive); the rest are refused
 * before anything is written, naming the fault. Example:
 * `liveRun(json).pipe(Effect.provide(layerRedisTarget({ url, runId })), Effect.scoped)`.
 */
export const liveRun = Effect.fn("Simulation.live")(function* (input: unknown, options: LiveRunOptions = {}) {
  const scenario: Scenario = yield* decodeScenario(input)
  const timeScale = options.timeScale ?? 1
  const target = yield* StoreTarget
  const scope = target.faults && { ...target.faults, name: target.name }
  if (scenario.faults.length > 0) {
    if (!scope)
      return yield* new ScenarioError({
        field: "faults[0].kind",
        message: `${scenario.faults[0].kind} is injected only into real Redis — a deployment huntbench starts (--target local), or for some kinds a server given by --target redis://… — never into ${target.name}; drop the faults with --no-faults`
      })
    const bad = notInjectable(scenario, scope)
    if (bad) return yield* new ScenarioError(bad)
  }
  const live = new LiveRunner(scenario, { history: options.onHistory !== undefined })
  const store = yield* target.open({ ...live.storeConfig, ...deploymentFor(scenario, timeScale) })
  if (scenario.engine.waitReplicas && store.waitReplicas === undefined)
    return yield* new ScenarioError({ field: "engine.waitReplicas", message: `${target.name} has no replicas to WAIT for; use --target local or a Redis with a replica` })
  const sharded = store instanceof ShardedClaimStore ? store : undefined
  const deployment = sharded?.deployment
  const injector =
    scenario.faults.length > 0 && sharded !== undefined && deployment !== undefined
      ? yield* Effect.acquireRelease(
          Effect.sync(
            () =>
              new FaultInjector(scenario, deployment, {
                onInjection: (i) => options.log?.(describeInjection(scenario, i, timeScale)),
                reseed: (node) => sharded.stores[node].setup(),
                scriptDelay: (node, claimMs, balanceMs) => {
                  sharded.stores[node].spinMs = claimMs
                  sharded.stores[node].balanceSpinMs = balanceMs
                },
                timeScale,
                onError: (message) => options.log?.(`fault injection: ${message}`)
              }, scope)
          ),
          (inj) => Effect.promise(() => inj.stop())
        )
      : undefined
  const started = performance.now()
  const source = options.source ?? scenario.name
  const info = { mode: "live" as const, target: target.name, replayFlags: options.replayFlags }
  const shape = (run: LiveRun, partial: boolean): Report => {
    options.onHistory?.(run.history)
    return shapeReport(run, partial)
  }
  const shapeReport = (run: LiveRun, partial: boolean): Report => ({
    ...buildReport(run.raw, source, performance.now() - started, { ...info, partial }),
    live: { timeScale, uncorrectedLatencyMs: summarize(run.uncorrected), lateSends: run.lateSends, maxSendDelayMs: Math.round(run.maxSendDelayMs * 1000) / 1000 }
  })
  const run = yield* Effect.tryPromise({
    try: (signal) =>
      live.run(store, {
        timeScale,
        signal,
        onProgress: options.onProgress,
        onTick: injector && ((v) => injector.tick(v)),
        // Restarts and promotions under way finish before the final state is read.
        settle: injector && (() => injector.stop())
      }),
    catch: (e) => new StoreError({ message: `${target.name}: ${e instanceof Error ? e.message : String(e)}` })
  }).pipe(
    // Before the scope closes (and the run's keys go): what ran so far.
    Effect.onInterrupt(() =>
      options.onPartial === undefined
        ? Effect.void
        : Effect.promise(async () => {
            await injector?.stop() // a paused node would never answer the snapshot
            return live.stop(store).then((r) => options.onPartial?.(shape(r, true)), () => undefined)
          })
    )
  )
  return shape(run, false)
})
