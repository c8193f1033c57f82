/** `huntbench presets`: the built-in scenarios, one line each (name, description). */
import { Effect } from "effect"
import { Command } from "effect/cli"
import { presetNames, presets } from "../../src/presets.ts"
import { decodeScenario } from "../../src/scenario.ts"
import { command } from "./session.ts"

export const presetsCommand = command("presets", {}, () =>
  Effect.gen(function* () {
    for (const name of presetNames()) {
      const s = yield* decodeScenario(presets[name])
      process.stdout.write(`${name.padEnd(16)} ${s.description}\n`)
    }
    return 0
  })
).pipe(Command.withDescription("list the built-in scenarios (run, sweep and compare take a preset's name where they take a scenario file)"))
