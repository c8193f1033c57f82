/**
 * The flags several commands share, on effect's CLI module, and the one way a flag's value is
 * checked: a problem becomes a `ValidationError` whose message names the flag
 * (`--seed: expected an integer from 0 to 4294967295, got "x"`), which main.ts prints as one
 * line and exit 2. Values are checked as they are parsed, so a bad one costs no run.
 */
import { Effect, Result } from "effect"
import { CliError, Flag } from "effect/cli"
import { prefixProblem, runIdProblem } from "../redis/keys.ts"

/** What help shows for a flag's value, by the flag's name ("VALUE" for the rest). */
const METAVARS: Record<string, string> = {
  seed: "N", seeds: "N", workers: "N", repeats: "N", port: "N", runs: "N", "max-faults": "N", threads: "N", resume: "ID", seconds: "SECONDS", "time-scale": "X",
  set: "PATH=VALUE", out: "KIND=FILE", target: "TARGET", prefix: "PREFIX", "run-id": "ID",
  json: "FILE", html: "FILE", csv: "FILE", history: "FILE", profile: "FILE", config: "FILE", save: "FILE", invariant: "FILE"
}
const value = (name: string) => Flag.String(name).pipe(Flag.withMetavar(METAVARS[name] ?? "VALUE"))

/** The error for a flag's bad value: `message` already names the flag. */
export const invalid = (message: string): CliError.ValidationError => new CliError.ValidationError({ message })

/**
 * A flag taking one value that `parse` checks: it gives the value, or the problem in words,
 * which the error puts after the flag's name. Example: `checked("port", "…", (s) =>
 * /^\d+$/.test(s) ? Result.succeed(Number(s)) : Result.fail("expected 0–65535"))`.
 */
export const checked = <A>(name: string, description: string, parse: (raw: string) => Result.Result<A, string>): Flag.Flag<A> =>
  value(name).pipe(
    Flag.withDescription(description),
    Flag.mapEffect((raw) => {
      const r = parse(raw)
      return Result.isSuccess(r) ? Effect.succeed(r.success) : Effect.fail(invalid(`--${name}: ${r.failure}`))
    })
  )

/** `expected …, got "raw"` as a failed parse: the shape of most value errors. */
export const expected = (what: string, raw: string): Result.Result<never, string> => Result.fail(`expected ${what}, got ${JSON.stringify(raw)}`)

/** A whole number from `min` to `max`, else `expected <what>, got "raw"`. */
export const wholeNumber = (what: string, min: number, max: number) => (raw: string): Result.Result<number, string> =>
  /^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? Result.succeed(Number(raw)) : expected(what, raw)

/** A file name (not empty); `-` is left to the command (stdout where it allows it). */
export const file = (name: string, description: string): Flag.Flag<string> =>
  checked(name, description, (raw) => (raw === "" ? Result.fail("expected a file name") : Result.succeed(raw)))

/** A switch: absent is false. */
export const toggle = (name: string, description: string): Flag.Flag<boolean> =>
  Flag.Boolean(name).pipe(Flag.withDescription(description), Flag.withDefault(false))

/** --seed N, optional. */
export const seed = (description = "override the scenario's seed (replays are byte-identical per seed)") =>
  checked("seed", description, wholeNumber("an integer from 0 to 4294967295", 0, 4294967295)).pipe(Flag.optional)

/** --quiet. */
export const quiet = (description = "no progress, and no \"wrote …\" confirmations") => toggle("quiet", description)

/** --prefix P for a run's keys on Redis, optional. */
export const prefix = (description: string) =>
  checked<string>("prefix", description, (raw) => {
    const problem = prefixProblem(raw)
    return problem ? Result.fail(problem) : Result.succeed(raw)
  }).pipe(Flag.optional)

/** --run-id ID naming a run's keys, optional. */
export const runId = (description: string) =>
  checked<string>("run-id", description, (raw) => {
    const problem = runIdProblem(raw)
    return problem ? Result.fail(problem) : Result.succeed(raw)
  }).pipe(Flag.optional)

/**
 * --config FILE: declared on every command so help and completions show it; main.ts reads the
 * file and takes it out of the arguments before they are parsed (adapters/cli/defaults.ts).
 */
export const config = value("config").pipe(
  Flag.withDescription("flags saved as JSON, e.g. {\"seed\": 4, \"set\": [\"hunters.count=5000\"], \"quiet\": true}; HUNTBENCH_<FLAG> variables give any flag too (a typed flag wins over them, and they over the file)"),
  Flag.optional
)

/** Where a target is allowed: the redis:// URL test every command uses. */
export const isRedisUrl = (raw: string): boolean => /^rediss?:\/\/./.test(raw)

/**
 * A flag whose value a command's own parser checks, failing with a UsageError that already
 * names the flag. Example: `parsed("out", "…", parseOut)`.
 */
export const parsed = <A>(name: string, description: string, parse: (raw: string) => Effect.Effect<A, { readonly message: string }>): Flag.Flag<A> =>
  value(name).pipe(
    Flag.withDescription(description),
    Flag.mapEffect((raw) => Effect.mapError(parse(raw), (e) => invalid(e.message)))
  )
