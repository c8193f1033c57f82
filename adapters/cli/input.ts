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

/** Edit distance (insert, delete, substitute, swap two neighbours). */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  return d[a.length][b.length]
}

/**
 * " (did you mean X?)" for the candidate closest to `word` — within a third of its length,
 * at least 2 edits — or "". Example: `didYouMean("--sed", ["--seed", "--set"])` is
 * ' (did you mean --seed?)'.
 */
export const didYouMean = (word: string, candidates: ReadonlyArray<string>): string => {
  let best: string | undefined, bestD = Math.max(2, Math.floor(word.length / 3)) + 1
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestD) (best = c), (bestD = d)
  }
  return best === undefined ? "" : ` (did you mean ${best}?)`
}

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
        message: `scenario: no preset or file named ${JSON.stringify(source)}${didYouMean(source, presetNames())} (presets: ${presetNames().join(", ")})`
      })
    if (input === null || typeof input !== "object" || Array.isArray(input))
      return yield* new ScenarioError({ field: "(root)", message: "a scenario must be a JSON object" })
    yield* inlineProfile(input as Record<string, unknown>, Object.hasOwn(presets, source) ? process.cwd() : dirname(resolve(source)))
    return input as Record<string, unknown>
  })

/**
 * A `timing.profile` given as a file path (relative to the scenario's file) is read and put
 * in its place, so the decoded scenario — and the report — carry the profile itself.
 */
const inlineProfile = (input: Record<string, unknown>, dir: string): Effect.Effect<void, ScenarioError> =>
  Effect.gen(function* () {
    const timing = input.timing
    if (timing === null || typeof timing !== "object" || Array.isArray(timing)) return
    const t = timing as Record<string, unknown>
    if (typeof t.profile !== "string") return
    const file = resolve(dir, t.profile)
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (e) => new ScenarioError({ field: "timing.profile", message: `cannot read the profile ${JSON.stringify(t.profile)}: ${(e as Error).message}` })
    })
    t.profile = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (e) => new ScenarioError({ field: "timing.profile", message: `${JSON.stringify(t.profile)} is not valid JSON: ${(e as Error).message}` })
    })
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
