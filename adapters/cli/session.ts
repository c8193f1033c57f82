/**
 * What a command hands back to the entry point besides its output: its exit code (0 SLO
 * met, 1 breached) and, for a run, where a partial report goes on Ctrl-C. A service, so a
 * command file needs no reference to main.ts.
 */
import { Context, Effect } from "effect"
import { Command } from "effect/cli"
import type { Report } from "../../src/report.ts"
import type { Output } from "./outputs.ts"

export class CliSession extends Context.Service<CliSession, {
  readonly setExitCode: (code: number) => void
  /** The report so far, whenever a run has one: printed if Ctrl-C stops the run. */
  readonly onPartial: (report: Report) => void
  /** The run's outputs (--out), so a partial report on Ctrl-C is written to them too. */
  readonly onOutputs: (outs: ReadonlyArray<Output>) => void
}>()("huntbench/cli/CliSession") {}

/**
 * A huntbench command: `Command.make` whose handler resolves to the exit code, which the
 * session carries to the entry point. Example: `command("presets", {}, () => Effect.succeed(0))`.
 */
export const command = <const Name extends string, const Config extends Command.Command.Config, E, R>(
  name: Name,
  config: Config,
  handler: (input: Command.Command.Config.Infer<Config>) => Effect.Effect<number, E, R>
) =>
  Command.make(name, config, (input) =>
    Effect.flatMap(handler(input), (code) => CliSession.use((s) => Effect.sync(() => s.setExitCode(code))))
  )
