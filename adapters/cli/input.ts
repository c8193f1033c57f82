/**
 * Reading the user's input: a preset name or a scenario file, and the usage error every
 * command reports the same way (exit 2, one line, no stack trace).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { Data, Effect } from "effect"
import { presetNames, presets } from "../../src/presets.ts"
import { parseJson, ScenarioError } from "../../src/scenario.ts"

export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/** The scenario JSON a preset name or file holds, not yet decoded. */
export const loadInput = (source: string): Effect.Effect<Record<string, unknown>, ScenarioError | UsageError> =>
  Effect.gen(function* () {
    let input: unknown
    if (Object.hasOwn(presets, source)) input = structuredClone(presets[source])
    else if (existsSync(source)) {
      const text = yield* Effect.try({
        try: () => readFileSync(source, "utf8"),
        catch: (e) => new UsageError({ message: `${source}: cannot read: ${(e as Error).message}` })
      })
      input = yield* parseJson(text)
    } else
      return yield* new UsageError({
        message: `scenario: no preset or file named ${JSON.stringify(source)} (presets: ${presetNames().join(", ")})`
      })
    if (input === null || typeof input !== "object" || Array.isArray(input))
      return yield* new ScenarioError({ field: "(root)", message: "a scenario must be a JSON object" })
    return input as Record<string, unknown>
  })

/**
 * Fail at once, naming `flag`, when `file` could not be written — checked before a run, so
 * a bad path does not cost a long run. Nothing is created or truncated here. Example:
 * `yield* checkWritable("--json", "/nonexistent/x.json")` fails with "--json: …".
 */
export const checkWritable = (flag: string, file: string): Effect.Effect<void, UsageError> =>
  Effect.try({
    try: () => {
      const path = resolve(file)
      if (existsSync(path)) {
        if (!statSync(path).isFile()) throw new Error("it is not a regular file")
        accessSync(path, constants.W_OK)
        return
      }
      const dir = dirname(path)
      if (!existsSync(dir)) throw new Error(`the folder ${dir} does not exist`)
      if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`)
      accessSync(dir, constants.W_OK)
    },
    catch: (e) => new UsageError({ message: `${flag}: cannot write ${file}: ${(e as Error).message}` })
  })
