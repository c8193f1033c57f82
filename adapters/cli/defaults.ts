/**
 * Flags from outside the command line, as k6 and Locust take them: a saved set of flags
 * (`--config FILE`, a JSON object `{"seed": 4, "target": "local", "set": ["hunters.count=5000"],
 * "quiet": true}`), then environment variables `HUNTBENCH_<FLAG>` (`HUNTBENCH_SEED=4`,
 * `HUNTBENCH_TIME_SCALE=2`, `HUNTBENCH_QUIET=1`), then the flags typed — each later source
 * wins for a flag that takes one value; a repeatable one (`--set`, `--out`) takes them all, in
 * that order. They become ordinary arguments in front of the typed ones, so every command
 * checks them as it checks its own, naming the flag.
 */
import { readFileSync } from "node:fs"
import { Effect } from "effect"
import { didYouMean, UsageError } from "./input.ts"

/** Each command's flags, and which of them take no value. */
export const COMMAND_FLAGS: Readonly<Record<string, ReadonlyArray<string>>> = {
  run: ["--out", "--seed", "--set", "--target", "--prefix", "--run-id", "--keep-keys", "--live", "--time-scale", "--no-faults", "--allow-destructive", "--history", "--json", "--html", "--queue", "--check-determinism", "--quiet"],
  sweep: ["--set", "--seeds", "--workers", "--csv", "--json", "--html", "--quiet"],
  compare: ["--sim-vs-live", "--target", "--seed", "--json", "--html", "--quiet"],
  calibrate: ["--target", "--profile", "--seconds", "--repeats"],
  cleanup: ["--target", "--run-id", "--prefix"],
  dashboard: ["--port"]
}
const SWITCHES = new Set(["--keep-keys", "--live", "--no-faults", "--allow-destructive", "--check-determinism", "--quiet", "--sim-vs-live"])
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
const argsFor = (flag: string, v: unknown, where: string): Effect.Effect<Array<string>, UsageError> =>
  Effect.gen(function* () {
    if (SWITCHES.has(flag)) return (yield* truthy(where, v)) ? [flag] : []
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
 * front of the typed ones. Example: with HUNTBENCH_SEED=4, `withDefaults("run", ["small"],
 * process.env)` gives `["--seed", "4", "small"]`.
 */
export const withDefaults = (command: string, args: ReadonlyArray<string>, env: Record<string, string | undefined>): Effect.Effect<Array<string>, UsageError> =>
  Effect.gen(function* () {
    const flags = COMMAND_FLAGS[command]
    if (!flags) return [...args]
    const typed = [...args]
    const fromConfig: Array<string> = []
    const c = typed.indexOf("--config")
    if (c >= 0) {
      const file = typed[c + 1]
      if (file === undefined || file.startsWith("--")) return yield* new UsageError({ message: "--config: expected a JSON file of flags" })
      typed.splice(c, 2)
      let config: unknown
      try {
        config = JSON.parse(readFileSync(file, "utf8"))
      } catch (e) {
        return yield* new UsageError({ message: `--config ${file}: ${e instanceof SyntaxError ? `not valid JSON: ${e.message}` : `cannot read: ${(e as Error).message}`}` })
      }
      if (config === null || typeof config !== "object" || Array.isArray(config))
        return yield* new UsageError({ message: `--config ${file}: expected a JSON object of flags, like {"seed": 4, "quiet": true}` })
      for (const [key, v] of Object.entries(config)) {
        const flag = `--${key}`
        if (!flags.includes(flag)) return yield* new UsageError({ message: `--config ${file}: ${command} has no option ${flag}${didYouMean(flag, flags)}` })
        fromConfig.push(...(yield* argsFor(flag, v, `--config ${file}: ${key}`)))
      }
    }
    const fromEnv: Array<string> = []
    for (const flag of flags) {
      const v = env[envName(flag)]
      if (v !== undefined) fromEnv.push(...(yield* argsFor(flag, v, envName(flag))))
    }
    return [...fromConfig, ...fromEnv, ...typed]
  })
