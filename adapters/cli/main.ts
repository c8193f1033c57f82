/**
 * The `huntbench` command line. Exit codes: 0 SLO met, 1 SLO breached, 2 bad input or
 * usage (one line naming the field and the problem, no stack trace), 3 internal error (a
 * bug: one line, please report it), 130 interrupted (Ctrl-C; see interrupt.ts).
 */
import { readFileSync, writeFileSync } from "node:fs"
import { Cause, Effect, Exit } from "effect"
import { presetNames, presets } from "../../src/presets.ts"
import { deterministicPart, type Report } from "../../src/report.ts"
import { StoreError } from "../../src/ports/ClaimStore.ts"
import { liveRun } from "../live/simulation.ts"
import { layerMockTarget } from "../mock/layers.ts"
import { normalizePrefix, prefixProblem, redactUrl, runIdProblem } from "../redis/keys.ts"
import { layerRedisTarget } from "../redis/layers.ts"
import { layerLocalTarget } from "../redis/local.ts"
import { historyLines, type HistoryEntry } from "../live/history.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../../src/scenario.ts"
import { Simulation } from "../../sim/simulation.ts"
import { colourVerdicts, formatSummary, useColour } from "./format.ts"
import { checkWritable, didYouMean, loadInput, unknownOption, UsageError } from "./input.ts"
import { dashboardCommand } from "./dashboard.ts"
import { sweepCommand } from "./sweep.ts"
import { rehearse, tuneJitFor, wantsRehearsal } from "./jit.ts"
import { compareCommand } from "./compare.ts"
import { calibrateCommand } from "./calibrate.ts"
import { cleanupCommand } from "./cleanup.ts"
import { EXIT_INTERRUPTED, interruptRequested, onInterrupt } from "./interrupt.ts"
import { Progress } from "./progress.ts"
import { COMMAND_FLAGS, withDefaults } from "./defaults.ts"
import { checkOutputs, parseOut, stdoutTaken, writeOutputs, writePartialOutputs, type Output } from "./outputs.ts"
import { applyCell, parseOverride, SweepArgError, type SweepAxis } from "../../sim/sweep.ts"


const HELP = `huntbench — simulate and stress-test real-time treasure-hunt backends

Usage:
  huntbench run [preset|file.json] [options]   simulate a hunt (default preset: "default")
  huntbench sweep [preset|file.json] --set path=v1,v2 [--set …] [options]
                                               a grid over scenario fields × seeds, in
                                               parallel, with a recommendation
  huntbench compare A B [--seed N] [--json F]  run two designs (presets or files; same seed)
                                               and print which figures moved, and how much;
                                               A or B may be a report saved by run --json
  huntbench compare --sim-vs-live S --target local|redis://… [--json F] [--html F]
                                               run S simulated and live (same seed and
                                               faults) and print each figure side by side
  huntbench dashboard [--port N]               serve the browser dashboard on 127.0.0.1
                                               (--port 0: any free port, printed)
  huntbench cleanup --target redis://… --run-id ID [--prefix P]
                                               remove the keys a --keep-keys run left
  huntbench calibrate --target local|redis://… [--profile FILE] [--seconds N] [--repeats N]
                                               measure a real Redis (round trip, server time
                                               per command, load levels, ceiling) and the
                                               live driver on it (latency by rate, its own
                                               ceiling; each level the median of N runs) and
                                               write a profile for "timing": {"profile": FILE}
  huntbench presets                            list the built-in scenarios
  huntbench help                               this text (also: any command with --help)
  huntbench --version                          the version

Options for run:
  --seed N            override the scenario's seed (replays are byte-identical per seed)
  --set path=value    override one scenario field (repeatable), e.g. --set hunters.count=5000
                      --set engine.retries.max=0; values are JSON where they parse; the
                      report's scenario and the replay line carry every override
  --target T          where claims run: model (default, simulated), mock (the Lua script on
                      ioredis-mock, in-process), local (a Redis deployment huntbench starts for
                      the run: per node a primary, a replica with topology.replicas, a fault
                      proxy; all stopped at the end) or redis://[:password@]host:port[/db] (the
                      Lua script on a real Redis); mock, local and redis run in lockstep with
                      the model's timing, so the outcomes equal the model's
  --prefix P          key prefix on Redis (default huntbench): the run's keys are
                      P:<run-id>:{b…}:…, and a run only reads, writes or deletes keys it
                      created there (it refuses a namespace that already holds keys)
  --run-id ID         names the run's keys (default: derived from the clock and pid)
  --keep-keys         leave the run's keys on Redis (default: removed at the end, also on
                      failure and Ctrl-C); huntbench cleanup removes them later
  --live              run on the wall clock against the target (mock, local, redis://…): open
                      loop, latency from each request's intended time (and uncorrected)
  --time-scale X      live: virtual ms per wall ms (default 1; 2 runs twice as fast)
  --no-faults         drop the scenario's faults (live runs inject them for real: every kind
                      into --target local; into a redis:// server huntbench did not start only
                      linkLatency, partition, connectionReset, poolShrink — its own proxy and
                      pool — and, with --allow-destructive, pause and latencySpike)
  --allow-destructive live on redis://…: also inject the faults that stall the whole server
                      for every client (pause as CLIENT PAUSE ALL or WRITE, latencySpike as
                      slow scripts); needs topology.nodes 1 (the server is every node)
  --history FILE      live: write every attempt sent (what, when it left, when and how it
                      ended, a reply that came too late) as JSON lines
  --out KIND=FILE     write an output (repeatable): json (the full report), csv (one row per
                      simulated second, Locust's stats_history columns where they apply),
                      csv-buckets (one row per bucket per bucket-timeline column), html (a
                      self-contained offline page with the charts); FILE - is stdout (the
                      summary then goes to stderr)
  --json FILE         the same as --out json=FILE;  --html FILE  as --out html=FILE
  --queue wheel|heap  event queue: timing wheel (default) or binary heap; same results
  --check-determinism run twice and fail (exit 2) if the reports differ
  --quiet             no progress, and no "wrote …" confirmations
  --config FILE       flags saved as JSON, e.g. {"seed": 4, "set": ["hunters.count=5000"],
                      "quiet": true} (any command)
  HUNTBENCH_<FLAG>    any flag from the environment: HUNTBENCH_SEED=4, HUNTBENCH_TIME_SCALE=2,
                      HUNTBENCH_QUIET=1; a flag typed wins over it, and it over --config

Options for sweep:
  --set path=v1,v2    a field and its values (repeat for more axes), e.g.
                      --set topology.buckets=24,48,96 --set topology.poolSize=20,100,500
  --seeds N           runs per configuration, seeds S, S+1, … (default 3)
  --workers N         worker threads (default: one per core; 0 = in this thread)
  --csv FILE          one row per run;  --json FILE  the table, points and recommendation
  --html FILE         a self-contained page with the table and a chart of p99 per
                      configuration against the SLO
  --quiet             no progress bar

Exit codes: 0 SLO met (sweep: a configuration met it in every seed; compare: both ran), 1 SLO
breached (sweep: none did), 2 bad input or usage, 3 internal error (a bug in huntbench),
130 interrupted.

Ctrl-C (or SIGTERM), at any moment: one line "huntbench: interrupted", then a run prints the
summary of what it had simulated so far (marked PARTIAL), removes its keys from a Redis target
(unless --keep-keys), stops what it started, and exits 130. A second Ctrl-C exits at once.
`

interface RunArgs {
  source: string
  target: string
  history?: string
  prefix?: string
  runId?: string
  keepKeys: boolean
  live: boolean
  timeScale: number
  noFaults: boolean
  allowDestructive: boolean
  seed?: number
  /** --out kind=FILE, --json FILE, --html FILE, in the order given. */
  outs: Array<Output>
  queue: "heap" | "wheel"
  quiet: boolean
  checkDeterminism: boolean
  /** `--set path=value`, in the order given (a later one of the same path wins). */
  sets: Array<SweepAxis>
}

const parseRunArgs = (args: ReadonlyArray<string>): Effect.Effect<RunArgs, UsageError> =>
  Effect.gen(function* () {
    const out: RunArgs = { source: "default", target: "model", keepKeys: false, live: false, timeScale: 1, noFaults: false, allowDestructive: false, queue: "wheel", quiet: false, checkDeterminism: false, sets: [], outs: [] }
    let positional = 0
    for (let i = 0; i < args.length; i++) {
      const a = args[i]
      const value = (): string | undefined => args[++i]
      if (a === "--seed") {
        const v = value()
        if (v === undefined || !/^\d+$/.test(v) || Number(v) > 4294967295)
          return yield* new UsageError({ message: `--seed: expected an integer from 0 to 4294967295, got ${v === undefined ? "nothing" : JSON.stringify(v)}` })
        out.seed = Number(v)
      } else if (a === "--json") {
        const v = value()
        if (!v) return yield* new UsageError({ message: "--json: expected a file name (- for stdout)" })
        out.outs.push({ kind: "json", file: v, flag: "--json" })
      } else if (a === "--out") {
        out.outs.push(yield* parseOut(value()))
      } else if (a === "--history") {
        const v = value()
        if (!v) return yield* new UsageError({ message: "--history: expected a file name" })
        out.history = v
      } else if (a === "--html") {
        const v = value()
        if (!v) return yield* new UsageError({ message: "--html: expected a file name (- for stdout)" })
        out.outs.push({ kind: "html", file: v, flag: "--html" })
      } else if (a === "--queue") {
        const v = value()
        if (v !== "heap" && v !== "wheel") return yield* new UsageError({ message: `--queue: expected heap or wheel, got ${JSON.stringify(v ?? "")}` })
        out.queue = v
      } else if (a === "--target") {
        const v = value()
        if (v === undefined || !(v === "model" || v === "mock" || v === "local" || /^rediss?:\/\/./.test(v)))
          return yield* new UsageError({ message: `--target: expected model, mock, local or a redis:// URL, got ${JSON.stringify(v ?? "")}` })
        out.target = v
      } else if (a === "--prefix") {
        const v = value()
        const problem = v === undefined ? "is missing" : prefixProblem(v)
        if (problem || v === undefined) return yield* new UsageError({ message: `--prefix: ${problem}` })
        out.prefix = v
      } else if (a === "--run-id") {
        const v = value()
        const problem = runIdProblem(v)
        if (problem || v === undefined) return yield* new UsageError({ message: `--run-id: ${problem}` })
        out.runId = v
      } else if (a === "--time-scale") {
        const v = value()
        const x = Number(v)
        if (v === undefined || !(x > 0 && x <= 1000)) return yield* new UsageError({ message: `--time-scale: expected a number above 0 and at most 1000, got ${JSON.stringify(v ?? "")}` })
        out.timeScale = x
      } else if (a === "--set") {
        const v = value()
        if (v === undefined) return yield* new UsageError({ message: "--set: expected path=value, e.g. --set hunters.count=5000" })
        const set = yield* Effect.try({ try: () => parseOverride(v), catch: (e) => new UsageError({ message: (e as SweepArgError).message }) })
        out.sets.push(set)
      } else if (a === "--keep-keys") out.keepKeys = true
      else if (a === "--live") out.live = true
      else if (a === "--no-faults") out.noFaults = true
      else if (a === "--allow-destructive") out.allowDestructive = true
      else if (a === "--quiet") out.quiet = true
      else if (a === "--check-determinism") out.checkDeterminism = true
      else if (a.startsWith("-")) return yield* unknownOption(a, [...COMMAND_FLAGS.run, "--config"])
      else if (positional++ === 0) out.source = a
      else return yield* new UsageError({ message: `unexpected argument ${JSON.stringify(a)}: run takes one scenario` })
    }
    if (out.live && out.target === "model")
      return yield* new UsageError({ message: "--live: needs --target mock, local or redis://… (the model has no wall clock)" })
    if (out.timeScale !== 1 && !out.live) return yield* new UsageError({ message: "--time-scale: only applies to --live runs" })
    if (out.history !== undefined && !out.live) return yield* new UsageError({ message: "--history: only applies to --live runs (a simulated run's history is its seed)" })
    if ((out.prefix !== undefined || out.runId !== undefined || out.keepKeys) && !out.target.startsWith("redis"))
      return yield* new UsageError({ message: `${out.prefix !== undefined ? "--prefix" : out.runId !== undefined ? "--run-id" : "--keep-keys"}: only applies to --target redis://…` })
    if (out.allowDestructive && !(out.live && out.target.startsWith("redis")))
      return yield* new UsageError({ message: "--allow-destructive: only applies to --live runs on --target redis://… (a deployment huntbench starts takes every fault without it)" })
    if (out.checkDeterminism && out.keepKeys)
      return yield* new UsageError({ message: "--check-determinism with --keep-keys would run twice on the same keys; drop one" })
    return out
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
const loadScenario = (source: string, seed: number | undefined, noFaults = false, sets: ReadonlyArray<SweepAxis> = []): Effect.Effect<Scenario, ScenarioError | UsageError> =>
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

/** What the entry point hands a command: where a partial report goes on Ctrl-C. */
export interface CliContext {
  readonly onPartial?: (report: Report) => void
  /** The run's outputs (--out), so a partial report on Ctrl-C is written to them too. */
  readonly onOutputs?: (outs: ReadonlyArray<Output>) => void
}

/** Options besides source, seed and target that change a run's result: for its replay line. */
const replayFlags = (a: RunArgs): Array<string> => [
  ...a.sets.flatMap((x) => ["--set", `${x.path}=${typeof x.values[0] === "string" ? x.values[0] : JSON.stringify(x.values[0])}`]),
  ...(a.noFaults ? ["--no-faults"] : []),
  ...(a.live ? ["--live"] : []),
  ...(a.allowDestructive ? ["--allow-destructive"] : []),
  ...(a.timeScale !== 1 ? ["--time-scale", String(a.timeScale)] : [])
]

const runCommand = (args: ReadonlyArray<string>, ctx: CliContext) =>
  Effect.gen(function* () {
    const a = yield* parseRunArgs(args)
    const scenario = yield* loadScenario(a.source, a.seed, a.noFaults, a.sets)
    // Output paths are checked before the run, not after it.
    yield* checkOutputs(a.outs)
    ctx.onOutputs?.(a.outs)
    if (a.history) yield* checkWritable("--history", a.history)
    const progress = new Progress(a.quiet ? null : process.stderr)
    tuneJitFor([scenario])
    if (a.target === "model" && wantsRehearsal(scenario)) {
      progress.phase("rehearsing the hunt's timeline in 15 simulated seconds (JIT warm-up)")
      yield* rehearse(scenario)
    }
    const runId = a.runId ?? `${Date.now().toString(36)}-${process.pid.toString(36)}`
    const log = (line: string) => process.stderr.write(`huntbench: ${line}\n`)
    const options = {
      source: a.source,
      queue: a.queue,
      replayFlags: replayFlags(a),
      onPartial: ctx.onPartial,
      onProgress: (v: number, total: number, events: number) => progress.update(v / total, events, { ms: v, totalMs: total })
    }
    const cleanupHint = `npx huntbench cleanup --target ${redactUrl(a.target)} --prefix ${normalizePrefix(a.prefix ?? "huntbench")} --run-id ${runId}`
    const once: Effect.Effect<Report, ScenarioError | StoreError> =
      a.target === "model"
        ? Simulation.run(scenario, options)
        : (a.live ? liveRun(scenario, { ...options, timeScale: a.timeScale, log, onHistory: a.history ? writeHistory(a.history, log) : undefined }) : Simulation.lockstep(scenario, options)).pipe(
            Effect.scoped,
            Effect.provide(
              a.target === "mock"
                ? layerMockTarget(runId)
                : a.target === "local"
                  ? layerLocalTarget({ runId, log })
                  : layerRedisTarget({ url: a.target, prefix: a.prefix, runId, keepKeys: a.keepKeys, log, cleanupHint, allowDestructive: a.allowDestructive })
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

const presetsCommand = Effect.gen(function* () {
  for (const name of presetNames()) {
    const s = yield* decodeScenario(presets[name])
    process.stdout.write(`${name.padEnd(16)} ${s.description}\n`)
  }
  return 0
})

const COMMANDS = ["run", "sweep", "compare", "dashboard", "cleanup", "calibrate", "presets", "help", "version"]

/** The version in huntbench's package.json. */
const version = (): string => (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version

/** The command `cmd` on its arguments (--config and HUNTBENCH_* already in front of them). */
const command = (cmd: string, args: ReadonlyArray<string>, ctx: CliContext): Effect.Effect<number, ScenarioError | UsageError | StoreError> =>
  cmd === "run"
    ? runCommand(args, ctx)
    : cmd === "presets"
      ? presetsCommand
      : cmd === "sweep"
        ? sweepCommand(args)
        : cmd === "compare"
          ? compareCommand(args)
          : cmd === "dashboard"
            ? dashboardCommand(args)
            : cmd === "cleanup"
              ? cleanupCommand(args)
              : cmd === "calibrate"
                ? calibrateCommand(args)
                : Effect.fail(new UsageError({ message: `unknown command ${JSON.stringify(cmd)}${didYouMean(cmd, COMMANDS)} (see huntbench help)` }))

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export const main = (argv: ReadonlyArray<string>, ctx: CliContext = {}): Effect.Effect<number> => {
  // --flag=value is --flag value, for every flag of every command.
  const [cmd, ...rest] = argv.flatMap((a) => (/^--[A-Za-z][\w-]*=/.test(a) ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a]))
  const program: Effect.Effect<number, ScenarioError | UsageError | StoreError> =
    cmd === "--version" || cmd === "-V" || cmd === "version"
      ? Effect.sync(() => (process.stdout.write(`huntbench ${version()}\n`), 0))
      : cmd === undefined || cmd === "help" || cmd === "--help" || cmd === "-h" || (COMMANDS.includes(cmd) && (rest.includes("--help") || rest.includes("-h")))
      ? Effect.sync(() => (process.stdout.write(HELP), cmd === undefined ? 2 : 0))
      : withDefaults(cmd, rest, process.env).pipe(Effect.flatMap((args) => command(cmd, args, ctx)))
  return program.pipe(
    Effect.catchTag("ScenarioError", (e) =>
      Effect.sync(() => {
        process.stderr.write(`huntbench: invalid scenario: ${e.field}: ${e.message}\n`)
        return 2
      })
    ),
    Effect.catchTag("StoreError", (e) =>
      Effect.sync(() => {
        process.stderr.write(`huntbench: ${e.message}\n`)
        return 2
      })
    ),
    Effect.catchTag("UsageError", (e) =>
      Effect.sync(() => {
        process.stderr.write(`huntbench: ${e.message}\n`)
        return 2
      })
    )
  )
}

/** The one line an unexpected failure gets: its message, never a stack trace. */
const internalError = (cause: Cause.Cause<unknown>): string => {
  const e = Cause.squash(cause)
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  return `huntbench: internal error (a bug in huntbench; please report it): ${what.split("\n")[0]}\n`
}

/**
 * Entry point: run, then exit with the code. Ctrl-C interrupts the command's fiber (its
 * finalizers run: keys removed, processes stopped), prints a partial summary when a run
 * left one, and exits 130 — whatever the fiber ended with, once a signal came. The process
 * exits explicitly, so no stray handle (a server, a socket) can keep a finished command alive.
 */
export const runMain = (argv: ReadonlyArray<string>): void => {
  let partial: Report | undefined
  let outs: ReadonlyArray<Output> = []
  const abort = new AbortController()
  onInterrupt(() => abort.abort())
  const fiber = Effect.runFork(main(argv, { onPartial: (r) => (partial = r), onOutputs: (o) => (outs = o) }), { signal: abort.signal })
  fiber.addObserver((exit) => {
    let code: number
    if (interruptRequested()) {
      if (partial) {
        const summary = formatSummary(partial)
        if (stdoutTaken(outs)) process.stderr.write(summary)
        else process.stdout.write(summary)
        writePartialOutputs(partial, outs, (line) => process.stderr.write(`huntbench: ${line}\n`))
      }
      code = EXIT_INTERRUPTED
    } else if (Exit.isSuccess(exit)) code = exit.value
    else if (Cause.hasInterruptsOnly(exit.cause)) code = EXIT_INTERRUPTED
    else {
      process.stderr.write(internalError(exit.cause))
      code = 3
    }
    process.exitCode = code
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)))
  })
}
