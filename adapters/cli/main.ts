/**
 * The `huntbench` command line, on effect's CLI module: one file per command (run.ts,
 * sweep.ts, compare.ts, dashboard.ts, cleanup.ts, calibrate.ts, presets.ts), help, --version
 * and shell completions generated from their definitions, run by NodeRuntime.runMain. Exit
 * codes: 0 SLO met, 1 SLO breached, 2 bad input or usage (one line naming the flag or field
 * and the problem, no stack trace), 3 internal error (a bug: one line, please report it),
 * 130 interrupted (Ctrl-C; see interrupt.ts).
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Cause, Effect, Exit, Layer } from "effect"
import { CliConfig, CliError, CliOutput, Command, Completions, GlobalFlag, HelpDoc } from "effect/cli"
import type { StoreError } from "../../src/ports/ClaimStore.ts"
import type { Report } from "../../src/report.ts"
import type { ScenarioError } from "../../src/scenario.ts"
import { calibrateCommand } from "./calibrate.ts"
import { checkCommand } from "./check.ts"
import { cleanupCommand } from "./cleanup.ts"
import { compareCommand } from "./compare.ts"
import { dashboardCommand } from "./dashboard.ts"
import { withDefaults, type FlagInfo } from "./defaults.ts"
import { formatSummary, useColour } from "./format.ts"
import { didYouMean, type UsageError } from "./input.ts"
import { EXIT_INTERRUPTED, interruptRequested, onInterrupt } from "./interrupt.ts"
import { stdoutTaken, writePartialOutputs, type Output } from "./outputs.ts"
import { huntbenchVersion } from "../package-files.ts"
import { presetsCommand } from "./presets.ts"
import { runCommand } from "./run.ts"
import { CliSession } from "./session.ts"
import { sweepCommand } from "./sweep.ts"
import { workerCommand } from "./worker.ts"

const ABOUT = `simulate and stress-test real-time treasure-hunt backends

  Exit codes: 0 SLO met (sweep: a configuration met it in every seed; compare: both ran), 1 SLO
  breached (sweep: none did), 2 bad input or usage, 3 internal error (a bug in huntbench), 130
  interrupted.

  Any flag also comes from the environment as HUNTBENCH_<FLAG> (HUNTBENCH_SEED=4,
  HUNTBENCH_TIME_SCALE=2, HUNTBENCH_QUIET=1) or from --config FILE (a JSON object of flags); a flag
  typed wins over the environment, and the environment over the file.

  Ctrl-C (or SIGTERM), at any moment: one line "huntbench: interrupted", then a run prints the
  summary of what it had simulated so far (marked PARTIAL), removes its keys from a Redis target
  (unless --keep-keys), stops what it started, and exits 130. A second Ctrl-C exits at once.`

/** The whole command tree. */
export const huntbench = Command.make("huntbench").pipe(
  Command.withDescription(ABOUT),
  Command.withSubcommands([runCommand, sweepCommand, compareCommand, dashboardCommand, cleanupCommand, calibrateCommand, checkCommand, workerCommand, presetsCommand])
)


const descriptor = Completions.fromCommand(huntbench)
const COMMANDS = descriptor.subcommands.map((c) => c.name)

/** Each command's flags, from its definition: for HUNTBENCH_* and --config. */
const flagsOf = (cmd: string): ReadonlyArray<FlagInfo> =>
  (descriptor.subcommands.find((c) => c.name === cmd)?.flags ?? []).map((f) => ({ flag: `--${f.name}`, switch: f.type._tag === "Boolean" }))

/** The one line a parse error gets, naming the flag or argument (effect's own wording otherwise). */
const usageLine = (e: CliError.NonShowHelpErrors, command: string): string => {
  const see = `(see huntbench ${command === "huntbench" ? "help" : `${command} --help`})`
  switch (e._tag) {
    case "UnrecognizedOption":
      return `${command === "huntbench" ? "" : `${command}: `}unknown option ${e.option}${didYouMean(e.option, flagsOf(command).map((f) => f.flag))} ${see}`
    case "UnknownSubcommand":
      return `unknown command ${JSON.stringify(e.subcommand)}${didYouMean(e.subcommand, COMMANDS)} (see huntbench help)`
    case "InvalidValue":
      return e.value === "" ? `--${e.option}: expected a value` : `--${e.option}: expected ${e.expected}, got ${JSON.stringify(e.value)}`
    case "DuplicateOption":
      return `--${e.option}: given twice`
    case "MissingOption":
      return `--${e.option}: is required`
    case "MissingArgument":
      return `${e.argument}: is required ${see}`
    case "UnexpectedArgument":
      return `unexpected argument ${JSON.stringify(e.arguments[0])}: ${command} takes ${command === "run" || command === "sweep" ? "one scenario" : "no arguments"} ${see}`
    case "ValidationError":
      return e.message
    default:
      return e.message
  }
}

/** What the entry point hands a command: where a partial report goes on Ctrl-C. */
export interface CliContext {
  readonly onPartial?: (report: Report) => void
  readonly onOutputs?: (outs: ReadonlyArray<Output>) => void
}

/**
 * `help [command]`, `version` and `-V` are the built-in flags by other names, as users of
 * other CLIs type them.
 */
const aliases = (argv: ReadonlyArray<string>): Array<string> => {
  const [first, ...rest] = argv
  if (first === "help") return rest.length > 0 ? [...rest, "--help"] : ["--help"]
  if (first === "version" || first === "-V") return ["--version"]
  return [...argv]
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export const main = (argv: ReadonlyArray<string>, ctx: CliContext = {}): Effect.Effect<number> => {
  let code = 0
  let implicitHelp: HelpDoc.HelpDoc | undefined
  const colours = useColour(process.stdout)
  const formatter = CliOutput.defaultFormatter({ colors: colours, globalFlags: "summary" })
  // Help and --version to stdout; a parse error's help is kept back: main prints one line instead.
  const presenter: CliOutput.Presenter = {
    present: (event) =>
      Effect.sync(() => {
        if (event._tag === "Version") process.stdout.write(`huntbench ${event.version}\n`)
        else if (event._tag === "Help" && event.reason === "Requested") process.stdout.write(formatter.formatHelpDoc(event.helpDoc) + "\n")
        else implicitHelp = event.helpDoc
      })
  }
  const args = aliases(argv)
  const cmd = args[0]
  const fail = (message: string) =>
    Effect.sync(() => {
      process.stderr.write(`huntbench: ${message}\n`)
      return 2
    })
  const program: Effect.Effect<void, UsageError | ScenarioError | StoreError | CliError.CliError> = Effect.gen(function* () {
    const full = COMMANDS.includes(cmd) && !args.includes("--help") && !args.includes("-h") ? [cmd, ...(yield* withDefaults(cmd, args.slice(1), process.env, flagsOf(cmd)))] : args
    yield* Command.runWith(huntbench, { version: huntbenchVersion(), renderErrors: false })(full)
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        NodeServices.layer,
        CliOutput.layerPresenter(presenter),
        CliConfig.layer({ builtIns: [GlobalFlag.Help, GlobalFlag.Version, GlobalFlag.Completions] }),
        Layer.succeed(CliSession, CliSession.of({ setExitCode: (c) => (code = c), onPartial: ctx.onPartial ?? (() => undefined), onOutputs: ctx.onOutputs ?? (() => undefined) }))
      )
    )
  )
  return program.pipe(
    Effect.as(0),
    Effect.map(() => code),
    Effect.catchTag("ShowHelp", (e) => {
      if (e.errors.length > 0) return fail(usageLine(e.errors[0], e.commandPath.slice(1).join(" ") || "huntbench"))
      // No command: the help, and exit 2 — a script that forgot its command must not pass.
      return Effect.sync(() => (process.stdout.write(implicitHelp ? formatter.formatHelpDoc(implicitHelp) + "\n" : ""), 2))
    }),
    Effect.catchTag("ScenarioError", (e) => fail(`invalid scenario: ${e.field}: ${e.message}`)),
    Effect.catchTag("StoreError", (e) => fail(e.message)),
    Effect.catchTag("UsageError", (e) => fail(e.message)),
    Effect.catch((e) => fail(CliError.isCliError(e) ? e.message : String(e)))
  )
}

/** The one line an unexpected failure gets: its message, never a stack trace. */
const internalError = (cause: Cause.Cause<unknown>): string => {
  const e = Cause.squash(cause)
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  return `huntbench: internal error (a bug in huntbench; please report it): ${what.split("\n")[0]}\n`
}

/**
 * Entry point: NodeRuntime.runMain runs the command (its SIGINT/SIGTERM handlers interrupt the
 * fiber, so finalizers run: keys removed, processes stopped); the teardown prints a partial
 * summary when a run left one, and exits with the code — 130 whatever the fiber ended with,
 * once a signal came. The process exits explicitly, so no stray handle (a server, a socket)
 * can keep a finished command alive.
 */
export const runMain = (argv: ReadonlyArray<string>): void => {
  let partial: Report | undefined
  let outs: ReadonlyArray<Output> = []
  // interrupt.ts prints the line and keeps the watchdog; runMain's own handler interrupts.
  onInterrupt(() => undefined)
  NodeRuntime.runMain(main(argv, { onPartial: (r) => (partial = r), onOutputs: (o) => (outs = o) }), {
    disableErrorReporting: true,
    teardown: (exit) => {
      let code: number
      if (interruptRequested()) {
        if (partial) {
          const summary = formatSummary(partial)
          if (stdoutTaken(outs)) process.stderr.write(summary)
          else process.stdout.write(summary)
          writePartialOutputs(partial, outs, (line) => process.stderr.write(`huntbench: ${line}\n`))
        }
        code = EXIT_INTERRUPTED
      } else if (Exit.isSuccess(exit)) code = exit.value as number
      else if (Cause.hasInterruptsOnly(exit.cause)) code = EXIT_INTERRUPTED
      else {
        process.stderr.write(internalError(exit.cause))
        code = 3
      }
      process.exitCode = code
      process.stdout.write("", () => process.stderr.write("", () => process.exit(code)))
    }
  })
}
