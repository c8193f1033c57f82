/**
 * The `huntbench` command line. Exit codes: 0 SLO met, 1 SLO breached, 2 bad input or
 * usage (one line naming the field and the problem, no stack trace), 130 interrupted.
 */
import { writeFileSync } from "node:fs"
import { Effect, Exit, Fiber } from "effect"
import { layerModel } from "../model/layers.ts"
import { presetNames, presets } from "../../src/presets.ts"
import { deterministicPart, type Report } from "../../src/report.ts"
import { StoreError } from "../../src/ports/ClaimStore.ts"
import { liveRun } from "../live/simulation.ts"
import { layerMockTarget } from "../mock/layers.ts"
import { prefixProblem } from "../redis/keys.ts"
import { layerRedisTarget } from "../redis/layers.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../../src/scenario.ts"
import { Simulation } from "../../src/simulation.ts"
import { reportHtml } from "../report/html.ts"
import { formatSummary } from "./format.ts"
import { loadInput, UsageError } from "./input.ts"
import { dashboardCommand } from "./dashboard.ts"
import { sweepCommand } from "./sweep.ts"
import { rehearseFor, tuneJitFor } from "./jit.ts"
import { compareCommand } from "./compare.ts"
import { Progress } from "./progress.ts"


const HELP = `huntbench — simulate and stress-test real-time treasure-hunt backends

Usage:
  huntbench run [preset|file.json] [options]   simulate a hunt (default preset: "default")
  huntbench sweep [preset|file.json] --set path=v1,v2 [--set …] [options]
                                               a grid over scenario fields × seeds, in
                                               parallel, with a recommendation
  huntbench compare A B [--seed N] [--json F]  run two designs (presets or files; same seed)
                                               and print which figures moved, and how much
  huntbench dashboard [--port N]               serve the browser dashboard on 127.0.0.1
  huntbench presets                            list the built-in scenarios
  huntbench help                               this text

Options for run:
  --seed N            override the scenario's seed (replays are byte-identical per seed)
  --target T          where claims run: model (default, simulated), mock (the Lua script on
                      ioredis-mock, in-process) or redis://[:password@]host:port[/db] (the Lua
                      script on a real Redis); mock and redis run in lockstep with the model's
                      timing, so the outcomes equal the model's
  --prefix P          key prefix on Redis (default huntbench:<run-id>:); nothing outside it
                      is read, written or deleted
  --run-id ID         names the run's keys (default: derived from the clock and pid)
  --keep-keys         leave the run's keys on Redis (default: removed at the end)
  --live              run on the wall clock against the target (mock or redis://…): open
                      loop, latency from each request's intended time (and uncorrected)
  --time-scale X      live: virtual ms per wall ms (default 1; 2 runs twice as fast)
  --no-faults         drop the scenario's faults (live runs cannot inject them yet)
  --json FILE         write the full report as JSON
  --html FILE         write a self-contained offline HTML report with the charts
  --queue wheel|heap  event queue: timing wheel (default) or binary heap; same results
  --check-determinism run twice and fail (exit 2) if the reports differ
  --quiet             no progress bar

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
breached (sweep: none did), 2 bad input or usage, 130 interrupted.
`

interface RunArgs {
  source: string
  target: string
  prefix?: string
  runId?: string
  keepKeys: boolean
  live: boolean
  timeScale: number
  noFaults: boolean
  seed?: number
  json?: string
  html?: string
  queue: "heap" | "wheel"
  quiet: boolean
  checkDeterminism: boolean
}

const parseRunArgs = (args: ReadonlyArray<string>): Effect.Effect<RunArgs, UsageError> =>
  Effect.gen(function* () {
    const out: RunArgs = { source: "default", target: "model", keepKeys: false, live: false, timeScale: 1, noFaults: false, queue: "wheel", quiet: false, checkDeterminism: false }
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
        if (!v) return yield* new UsageError({ message: "--json: expected a file name" })
        out.json = v
      } else if (a === "--html") {
        const v = value()
        if (!v) return yield* new UsageError({ message: "--html: expected a file name" })
        out.html = v
      } else if (a === "--queue") {
        const v = value()
        if (v !== "heap" && v !== "wheel") return yield* new UsageError({ message: `--queue: expected heap or wheel, got ${JSON.stringify(v ?? "")}` })
        out.queue = v
      } else if (a === "--target") {
        const v = value()
        if (v === undefined || !(v === "model" || v === "mock" || /^rediss?:\/\/./.test(v)))
          return yield* new UsageError({ message: `--target: expected model, mock or a redis:// URL, got ${JSON.stringify(v ?? "")}` })
        out.target = v
      } else if (a === "--prefix") {
        const v = value()
        const problem = v === undefined ? "is missing" : prefixProblem(v)
        if (problem || v === undefined) return yield* new UsageError({ message: `--prefix: ${problem}` })
        out.prefix = v
      } else if (a === "--run-id") {
        const v = value()
        if (v === undefined || !/^[A-Za-z0-9._-]{1,64}$/.test(v))
          return yield* new UsageError({ message: `--run-id: expected 1–64 letters, digits, . _ or -, got ${JSON.stringify(v ?? "")}` })
        out.runId = v
      } else if (a === "--time-scale") {
        const v = value()
        const x = Number(v)
        if (v === undefined || !(x > 0 && x <= 1000)) return yield* new UsageError({ message: `--time-scale: expected a number above 0 and at most 1000, got ${JSON.stringify(v ?? "")}` })
        out.timeScale = x
      } else if (a === "--keep-keys") out.keepKeys = true
      else if (a === "--live") out.live = true
      else if (a === "--no-faults") out.noFaults = true
      else if (a === "--quiet") out.quiet = true
      else if (a === "--check-determinism") out.checkDeterminism = true
      else if (a.startsWith("-")) return yield* new UsageError({ message: `unknown option ${a} (see huntbench help)` })
      else if (positional++ === 0) out.source = a
      else return yield* new UsageError({ message: `unexpected argument ${JSON.stringify(a)}: run takes one scenario` })
    }
    if (out.live && out.target === "model")
      return yield* new UsageError({ message: "--live: needs --target mock or --target redis://… (the model has no wall clock)" })
    if (out.timeScale !== 1 && !out.live) return yield* new UsageError({ message: "--time-scale: only applies to --live runs" })
    return out
  })

/** Resolve a preset name or a JSON file into a decoded scenario, applying --seed. */
const loadScenario = (source: string, seed: number | undefined, noFaults = false): Effect.Effect<Scenario, ScenarioError | UsageError> =>
  Effect.gen(function* () {
    const input = yield* loadInput(source)
    if (seed !== undefined) input.seed = seed
    if (noFaults) input.faults = []
    return yield* decodeScenario(input)
  })

const runCommand = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const a = yield* parseRunArgs(args)
    const scenario = yield* loadScenario(a.source, a.seed, a.noFaults)
    tuneJitFor([scenario])
    if (a.target === "model") rehearseFor(scenario)
    const progress = new Progress(a.quiet || !process.stderr.isTTY ? null : process.stderr)
    const options = { source: a.source, queue: a.queue, onProgress: (v: number, total: number, events: number) => progress.update(v / total, events) }
    const runId = a.runId ?? `${Date.now().toString(36)}-${process.pid.toString(36)}`
    const log = (line: string) => {
      if (!a.quiet) process.stderr.write(`huntbench: ${line}\n`)
    }
    const once: Effect.Effect<Report, ScenarioError | StoreError> =
      a.target === "model"
        ? Simulation.run(scenario, options).pipe(Effect.provide(layerModel))
        : (a.live ? liveRun(scenario, { ...options, timeScale: a.timeScale }) : Simulation.lockstep(scenario, options)).pipe(
            Effect.scoped,
            Effect.provide(
              a.target === "mock"
                ? layerMockTarget(runId)
                : layerRedisTarget({ url: a.target, prefix: a.prefix, runId, keepKeys: a.keepKeys, log })
            )
          )
    const report = yield* once.pipe(Effect.ensuring(Effect.sync(() => progress.done())))
    if (a.checkDeterminism) {
      if (a.keepKeys && a.target !== "model" && a.target !== "mock")
        return yield* new UsageError({ message: "--check-determinism with --keep-keys would run twice on the same keys; drop one" })
      const again = yield* once
      if (JSON.stringify(deterministicPart(report)) !== JSON.stringify(deterministicPart(again)))
        return yield* new UsageError({ message: "determinism check failed: two runs of the same scenario and seed differ" })
      process.stderr.write("determinism check: two runs gave identical reports\n")
    }
    if (a.json) {
      const file = a.json
      yield* Effect.try({
        try: () => writeFileSync(file, JSON.stringify(report, null, 2) + "\n"),
        catch: (e) => new UsageError({ message: `--json: cannot write ${file}: ${(e as Error).message}` })
      })
    }
    if (a.html) {
      const file = a.html
      const html = yield* Effect.tryPromise({ try: () => reportHtml(report), catch: (e) => new UsageError({ message: `--html: ${(e as Error).message}` }) })
      yield* Effect.try({
        try: () => writeFileSync(file, html),
        catch: (e) => new UsageError({ message: `--html: cannot write ${file}: ${(e as Error).message}` })
      })
    }
    process.stdout.write(formatSummary(report))
    return report.slo.pass ? 0 : 1
  })

const presetsCommand = Effect.gen(function* () {
  for (const name of presetNames()) {
    const s = yield* decodeScenario(presets[name])
    process.stdout.write(`${name.padEnd(16)} ${s.description}\n`)
  }
  return 0
})

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<number> => {
  const [cmd, ...rest] = argv
  const program: Effect.Effect<number, ScenarioError | UsageError | StoreError> =
    cmd === undefined || cmd === "help" || cmd === "--help" || cmd === "-h"
      ? Effect.sync(() => (process.stdout.write(HELP), cmd === undefined ? 2 : 0))
      : cmd === "run"
        ? runCommand(rest)
        : cmd === "presets"
          ? presetsCommand
          : cmd === "sweep"
            ? sweepCommand(rest)
            : cmd === "compare"
              ? compareCommand(rest)
            : cmd === "dashboard"
              ? dashboardCommand(rest)
          : Effect.fail(new UsageError({ message: `unknown command ${JSON.stringify(cmd)} (see huntbench help)` }))
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

/** Entry point: run, exit with the code; Ctrl-C interrupts the run and exits 130. */
export const runMain = (argv: ReadonlyArray<string>): void => {
  const fiber = Effect.runFork(main(argv))
  const onSignal = () => {
    process.stderr.write("\nhuntbench: interrupted\n")
    Effect.runFork(Fiber.interrupt(fiber))
    process.exitCode = 130
  }
  process.once("SIGINT", onSignal)
  process.once("SIGTERM", onSignal)
  fiber.addObserver((exit) => {
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
    if (Exit.isSuccess(exit)) process.exitCode = exit.value
    else if (process.exitCode !== 130) {
      process.stderr.write(`huntbench: internal error: ${String(Exit.isFailure(exit) ? exit.cause : exit)}\n`)
      process.exitCode = 3
    }
  })
}
