/**
 * Flags from outside the command line, as k6 and Locust take them: a saved set of flags
 * (`--config FILE`, a JSON object `{"seed": 4, "target": "local", "set": ["hunters.count=5000"],
 * "quiet": true}`), then environment variables `HUNTBENCH_<FLAG>` (`HUNTBENCH_SEED=4`,
 * `HUNTBENCH_TIME_SCALE=2`, `HUNTBENCH_QUIET=1`), then the flags typed — each later source
 * replaces what an earlier one gave for a flag, also for a repeatable one (`--set`, `--out`:
 * `HUNTBENCH_SET` is ignored once a `--set` is typed). They become ordinary arguments in
 * front of the typed ones, so every command checks them as it checks its own, naming the flag.
 * Which flags a command has comes from its effect/cli definition (main.ts passes them in).
 */
import { readFileSync } from "node:fs"
import { Effect } from "effect"
import { didYouMean, UsageError } from "./input.ts"

/** A flag of a command, as its definition gives it: its name and whether it takes a value. */
export interface FlagInfo {
  /** With the dashes: `--time-scale`. */
  readonly flag: string
  /** A switch takes no value (`--quiet`). */
  readonly switch: boolean
}

const REPEATABLE = new Set(["--set", "--out"])

/** `--time-scale` → `HUNTBENCH_TIME_SCALE`. */
export const envName = (flag: string): string => `HUNTBENCH_${flag.slice(2).toUpperCase().replace(/-/g, "_")}`

const truthy = (where: string, v: unknown): Effect.Effect<boolean, UsageError> =>
  v === true || v === 1 || (typeof v === "string" && /^(1|true|yes|on)$/i.test(v))
    ? Effect.succeed(true)
    : v === false || v === 0 || (typeof v === "string" && /^(0|false|no|off|)$/i.test(v))
      ? Effect.succeed(false)
      : Effect.fail(new UsageError({ message: `${where}: expected true or false (1 or 0), got ${JSON.stringify(v)}` }))

/** One flag's arguments from a value a config or the environment gave. */
const argsFor = ({ flag, switch: isSwitch }: FlagInfo, v: unknown, where: string): Effect.Effect<Array<string>, UsageError> =>
  Effect.gen(function* () {
    if (isSwitch) return (yield* truthy(where, v)) ? [flag] : []
    const values = Array.isArray(v) && REPEATABLE.has(flag) ? v : [v]
    const out: Array<string> = []
    for (const x of values) {
      if (typeof x !== "string" && typeof x !== "number") return yield* new UsageError({ message: `${where}: expected ${REPEATABLE.has(flag) ? "a text or a list of texts" : "a text or a number"}, got ${JSON.stringify(x)}` })
      out.push(flag, String(x))
    }
    return out
  })

/**
 * The arguments of `command` with its `--config FILE` and `HUNTBENCH_<FLAG>` variables put in
 * front of the typed ones, for the flags not typed. Example: with HUNTBENCH_SEED=4,
 * `withDefaults("run", ["small"], process.env, flags)` gives `["--seed", "4", "small"]`.
 */
export const withDefaults = (command: string, args: ReadonlyArray<string>, env: Record<string, string | undefined>, flags: ReadonlyArray<FlagInfo>): Effect.Effect<Array<string>, UsageError> =>
  Effect.gen(function* () {
    const typed = [...args]
    const given = new Map<string, Array<string>>()
    const c = typed.findIndex((a) => a === "--config" || a.startsWith("--config="))
    if (c >= 0) {
      const inline = typed[c].startsWith("--config=")
      const file = inline ? typed[c].slice("--config=".length) : typed[c + 1]
      if (file === undefined || file === "" || file.startsWith("--")) return yield* new UsageError({ message: "--config: expected a JSON file of flags" })
      typed.splice(c, inline ? 1 : 2)
      let config: unknown
      try {
        config = JSON.parse(readFileSync(file, "utf8"))
      } catch (e) {
        return yield* new UsageError({ message: `--config ${file}: ${e instanceof SyntaxError ? `not valid JSON: ${e.message}` : `cannot read: ${(e as Error).message}`}` })
      }
      if (config === null || typeof config !== "object" || Array.isArray(config))
        return yield* new UsageError({ message: `--config ${file}: expected a JSON object of flags, like {"seed": 4, "quiet": true}` })
      for (const [key, v] of Object.entries(config)) {
        const info = flags.find((f) => f.flag === `--${key}`)
        if (!info || info.flag === "--config") return yield* new UsageError({ message: `--config ${file}: ${command} has no option --${key}${didYouMean(`--${key}`, flags.map((f) => f.flag))}` })
        given.set(info.flag, yield* argsFor(info, v, `--config ${file}: ${key}`))
      }
    }
    for (const info of flags) {
      const v = env[envName(info.flag)]
      if (v !== undefined && info.flag !== "--config") given.set(info.flag, yield* argsFor(info, v, envName(info.flag)))
    }
    const isTyped = (flag: string) => typed.some((a) => a === flag || a.startsWith(`${flag}=`))
    return [...[...given].flatMap(([flag, a]) => (isTyped(flag) ? [] : a)), ...typed]
  })
