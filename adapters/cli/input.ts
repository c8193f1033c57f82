/**
 * Reading the user's input: a preset name or a scenario file, and the usage error every
 * command reports the same way (exit 2, one line, no stack trace).
 */
import { existsSync, readFileSync } from "node:fs"
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
