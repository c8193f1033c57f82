/**
 * `huntbench run [preset|file.json]`: simulate a hunt — on the model (default), or in lockstep
 * or live against ioredis-mock, a Redis deployment huntbench starts, or a redis:// server —
 * print the summary, write the outputs, exit 0 when the SLO held and 1 when it did not.
 */
import { writeFileSync } from "node:fs"
import { Effect, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { deterministicPart, type Report } from "../../src/report.ts"
import { StoreError } from "../../src/ports/ClaimStore.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../../src/scenario.ts"
import { applyCell, parseOverride, SweepArgError, type SweepAxis } from "../../sim/sweep.ts"
import { Simulation } from "../../sim/simulation.ts"
import { historyLines, type HistoryEntry } from "../live/history.ts"
import { liveRun } from "../live/simulation.ts"
import { layerMockTarget } from "../mock/layers.ts"
import { normalizePrefix, redactUrl } from "../redis/keys.ts"
import { layerRedisTarget } from "../redis/layers.ts"
import { layerLocalTarget } from "../redis/local.ts"
import * as F from "./flags.ts"
import { colourVerdicts, formatSummary, useColour } from "./format.ts"
import { checkWritable, loadInput, UsageError } from "./input.ts"
import { rehearse, tuneJitFor, wantsRehearsal } from "./jit.ts"
import { checkOutputs, OUT_KINDS, parseOut, stdoutTaken, writeOutputs, type Output } from "./outputs.ts"
import { Progress } from "./progress.ts"
import { CliSession, command } from "./session.ts"

const flags = {
  scenario: Argument.String("scenario").pipe(Argument.withDescription('a preset (huntbench presets) or a scenario file; default "default"'), Argument.withDefault("default")),
  seed: F.seed(),
  set: F.parsed("set", "override one scenario field (repeatable), e.g. --set hunters.count=5000; values are JSON where they parse; the report's scenario and the replay line carry every override", (raw) =>
    Effect.try({ try: () => parseOverride(raw), catch: (e) => new UsageError({ message: (e as SweepArgError).message }) })
  ).pipe(Flag.atLeast(0)),
  target: F.checked(
    "target",
    "where claims run: model (default, simulated), mock (the Lua script on ioredis-mock), local (a Redis deployment huntbench starts and stops: per node a primary, a replica with topology.replicas, a fault proxy) or redis://[:password@]host:port[/db]; mock, local and redis run in lockstep with the model's timing unless --live",
    (raw) => (raw === "model" || raw === "mock" || raw === "local" || F.isRedisUrl(raw) ? Result.succeed(raw) : F.expected("model, mock, local or a redis:// URL", raw))
  ).pipe(Flag.withDefault("model")),
  prefix: F.prefix("key prefix on Redis (default huntbench): the run's keys are P:<run-id>:{b…}:…; a run only touches keys it created, and refuses a namespace that already holds keys"),
  runId: F.runId("names the run's keys on Redis (default: from the clock and pid)"),
  keepKeys: F.toggle("keep-keys", "leave the run's keys on Redis (default: removed at the end, also on failure and Ctrl-C); huntbench cleanup removes them later"),
  live: F.toggle("live", "run on the wall clock against the target (mock, local, redis://…): open loop, latency from each request's intended time"),
  timeScale: F.checked("time-scale", "live: virtual ms per wall ms (default 1; 2 runs twice as fast)", (raw) =>
    Number(raw) > 0 && Number(raw) <= 1000 ? Result.succeed(Number(raw)) : F.expected("a number above 0 and at most 1000", raw)
  ).pipe(Flag.withDefault(1)),
  noFaults: F.toggle("no-faults", "drop the scenario's faults (live runs inject them for real: every kind into --target local; into a redis:// server huntbench did not start only linkLatency, partition, connectionReset, poolShrink — and pause, latencySpike with --allow-destructive)"),
  allowDestructive: F.toggle("allow-destructive", "live on redis://…: also inject the faults that stall the whole server for every client (pause as CLIENT PAUSE, latencySpike as slow scripts); needs topology.nodes 1"),
  history: F.file("history", "live: write every attempt sent (what, when it left, when and how it ended) as JSON lines").pipe(Flag.optional),
  out: F.parsed("out", `write an output (repeatable): KIND=FILE with KIND one of ${OUT_KINDS.join(", ")} — json the report, csv a row per simulated second (Locust's stats_history columns), csv-buckets a row per bucket per second, html an offline page; FILE - is stdout (the summary then goes to stderr)`, parseOut).pipe(Flag.atLeast(0)),
  json: F.checked("json", "the same as --out json=FILE", (raw) => (raw === "" ? Result.fail("expected a file name (- for stdout)") : Result.succeed(raw))).pipe(Flag.optional),
  html: F.checked("html", "the same as --out html=FILE", (raw) => (raw === "" ? Result.fail("expected a file name (- for stdout)") : Result.succeed(raw))).pipe(Flag.optional),
  queue: F.checked<"heap" | "wheel">("queue", "event queue: wheel (timing wheel, default) or heap (binary heap); same results", (raw) =>
    raw === "heap" || raw === "wheel" ? Result.succeed(raw) : Result.fail(`expected heap or wheel, got ${JSON.stringify(raw)}`)
  ).pipe(Flag.withMetavar("wheel|heap"), Flag.withDefault("wheel" as const)),
  checkDeterminism: F.toggle("check-determinism", "run twice and fail (exit 2) if the reports differ"),
  quiet: F.quiet(),
  config: F.config
}

type RunArgs = Omit<Command.Command.Config.Infer<typeof flags>, "json" | "html" | "out"> & {
  /** --out kind=FILE, then --json FILE, then --html FILE. */
  readonly outs: ReadonlyArray<Output>
}

/** The checks between flags, once each flag's own value is known to be good. */
const crossCheck = (a: RunArgs): Effect.Effect<RunArgs, UsageError> =>
  Effect.gen(function* () {
    if (a.live && a.target === "model")
      return yield* new UsageError({ message: "--live: needs --target mock, local or redis://… (the model has no wall clock)" })
    if (a.timeScale !== 1 && !a.live) return yield* new UsageError({ message: "--time-scale: only applies to --live runs" })
    if (Option.isSome(a.history) && !a.live) return yield* new UsageError({ message: "--history: only applies to --live runs (a simulated run's history is its seed)" })
    if ((Option.isSome(a.prefix) || Option.isSome(a.runId) || a.keepKeys) && !a.target.startsWith("redis"))
      return yield* new UsageError({ message: `${Option.isSome(a.prefix) ? "--prefix" : Option.isSome(a.runId) ? "--run-id" : "--keep-keys"}: only applies to --target redis://…` })
    if (a.allowDestructive && !(a.live && a.target.startsWith("redis")))
      return yield* new UsageError({ message: "--allow-destructive: only applies to --live runs on --target redis://… (a deployment huntbench starts takes every fault without it)" })
    if (a.checkDeterminism && a.keepKeys) return yield* new UsageError({ message: "--check-determinism with --keep-keys would run twice on the same keys; drop one" })
    return a
  })

/** Writes a live run's history as JSON lines to `file` (a failure is told, not thrown: the report comes first). */
const writeHistory = (file: string, log: (line: string) => void) => (entries: ReadonlyArray<HistoryEntry>) => {
  try {
    writeFileSync(file, historyLines(entries))
    log(`wrote ${entries.length.toLocaleString("en-US")} attempts to ${file}`)
  } catch (e) {
    log(`--history: cannot write ${file}: ${(e as Error).message}`)
  }
}

/**
 * Resolve a preset name or a JSON file into a decoded scenario, applying each --set, --seed
 * and --no-faults; a value a --set gave that the scenario refuses is named with its --set.
 */
const loadScenario = (source: string, seed: number | undefined, noFaults: boolean, sets: ReadonlyArray<SweepAxis>): Effect.Effect<Scenario, ScenarioError | UsageError> =>
  Effect.gen(function* () {
    const loaded = yield* loadInput(source)
    const input = yield* Effect.try({ try: () => applyCell(loaded, sets, sets.map((x) => x.values[0])), catch: (e) => new UsageError({ message: (e as SweepArgError).message }) })
    if (seed !== undefined) input.seed = seed
    if (noFaults) input.faults = []
    return yield* decodeScenario(input).pipe(
      Effect.mapError((e) => {
        const set = sets.findLast((x) => e.field === x.path || e.field.startsWith(`${x.path}.`) || e.field.startsWith(`${x.path}[`))
        return set ? new ScenarioError({ field: e.field, message: `${e.message} (from --set ${set.path}=${JSON.stringify(set.values[0])})` }) : e
      })
    )
  })

/** Options besides source, seed and target that change a run's result: for its replay line. */
const replayFlags = (a: RunArgs): Array<string> => [
  ...a.set.flatMap((x) => ["--set", `${x.path}=${typeof x.values[0] === "string" ? x.values[0] : JSON.stringify(x.values[0])}`]),
  ...(a.noFaults ? ["--no-faults"] : []),
  ...(a.live ? ["--live"] : []),
  ...(a.allowDestructive ? ["--allow-destructive"] : []),
  ...(a.timeScale !== 1 ? ["--time-scale", String(a.timeScale)] : [])
]

const run = (a: RunArgs) =>
  Effect.gen(function* () {
    const session = yield* CliSession
    const scenario = yield* loadScenario(a.scenario, Option.getOrUndefined(a.seed), a.noFaults, a.set)
    // Output paths are checked before the run, not after it.
    yield* checkOutputs(a.outs)
    session.onOutputs(a.outs)
    const history = Option.getOrUndefined(a.history)
    if (history) yield* checkWritable("--history", history)
    const progress = new Progress(a.quiet ? null : process.stderr)
    tuneJitFor([scenario])
    if (a.target === "model" && wantsRehearsal(scenario)) {
      progress.phase("rehearsing the hunt's timeline in 15 simulated seconds (JIT warm-up)")
      yield* rehearse(scenario)
    }
    const runId = Option.getOrElse(a.runId, () => `${Date.now().toString(36)}-${process.pid.toString(36)}`)
    const prefix = Option.getOrUndefined(a.prefix)
    const log = (line: string) => process.stderr.write(`huntbench: ${line}\n`)
    const options = {
      source: a.scenario,
      queue: a.queue,
      replayFlags: replayFlags(a),
      onPartial: session.onPartial,
      onProgress: (v: number, total: number, events: number) => progress.update(v / total, events, { ms: v, totalMs: total })
    }
    const cleanupHint = `npx huntbench cleanup --target ${redactUrl(a.target)} --prefix ${normalizePrefix(prefix ?? "huntbench")} --run-id ${runId}`
    const once: Effect.Effect<Report, ScenarioError | StoreError> =
      a.target === "model"
        ? Simulation.run(scenario, options)
        : (a.live ? liveRun(scenario, { ...options, timeScale: a.timeScale, log, onHistory: history ? writeHistory(history, log) : undefined }) : Simulation.lockstep(scenario, options)).pipe(
            Effect.scoped,
            Effect.provide(
              a.target === "mock"
                ? layerMockTarget(runId)
                : a.target === "local"
                  ? layerLocalTarget({ runId, log })
                  : layerRedisTarget({ url: a.target, prefix, runId, keepKeys: a.keepKeys, log, cleanupHint, allowDestructive: a.allowDestructive })
            )
          )
    const what = `${scenario.name}: ${(scenario.durationMs / 1000).toLocaleString("en-US")} s simulated${a.target === "model" ? "" : ` on ${redactUrl(a.target)}${a.live ? ", live" : ", lockstep"}`}`
    progress.phase(`running ${what}`)
    const report = yield* once.pipe(Effect.ensuring(Effect.sync(() => progress.done())))
    if (a.checkDeterminism) {
      progress.phase(`running ${what} again (determinism check)`)
      const again = yield* once.pipe(Effect.ensuring(Effect.sync(() => progress.done())))
      if (JSON.stringify(deterministicPart(report)) !== JSON.stringify(deterministicPart(again)))
        return yield* new UsageError({ message: "determinism check failed: two runs of the same scenario and seed differ" })
      process.stderr.write("determinism check: two runs gave identical reports\n")
    }
    // The summary first: a report file that cannot be written must not cost it. With an
    // output on stdout the summary goes to stderr, so stdout holds only that output.
    const summary = formatSummary(report)
    const where = stdoutTaken(a.outs) ? process.stderr : process.stdout
    where.write(useColour(where) ? colourVerdicts(summary) : summary)
    if (a.outs.some((o) => o.kind === "html")) progress.phase("writing the HTML report")
    yield* writeOutputs(report, a.outs, a.quiet ? () => undefined : log)
    return report.slo.pass ? 0 : 1
  })

export const runCommand = command("run", flags, ({ out, json, html, ...rest }) =>
  crossCheck({
    ...rest,
    outs: [
      ...out,
      ...Option.toArray(json).map((file): Output => ({ kind: "json", file, flag: "--json" })),
      ...Option.toArray(html).map((file): Output => ({ kind: "html", file, flag: "--html" }))
    ]
  }).pipe(Effect.flatMap(run))
).pipe(
  Command.withDescription('simulate a hunt (default preset: "default"), print its summary and write the outputs; exit 0 when the SLO held, 1 when it did not'),
  Command.withExamples([
    { command: "huntbench run reference --seed 4", description: "the reference hunt with seed 4" },
    { command: "huntbench run small --set hunters.count=5000 --out csv=t.csv", description: "more hunters, the timeline as CSV" },
    { command: "huntbench run small --target local --live", description: "live on a Redis deployment huntbench starts" }
  ])
)
