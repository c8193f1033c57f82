/**
 * `huntbench check [preset|file.json] --runs N --seed S --time-budget 60s [--invariant FILE]`:
 * swarm-style exploration of random fault timelines (or, without a scenario, random hunts)
 * against the built-in invariants, the scenario's SLO and the user's invariant module; the
 * first failure is shrunk to the smallest scenario that fails the same way, written to a
 * file, with its replay line — exit 1. No failure: exit 0 with runs/s.
 */
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { check, type Invariant } from "../../api/check.ts"
import type { ScenarioInput } from "../../src/scenario.ts"
import { count, ms } from "../../src/figures.ts"
import * as F from "./flags.ts"
import { checkWritable, loadInput, UsageError } from "./input.ts"
import { command } from "./session.ts"

/** `60s`, `2m`, `500ms` or a number of seconds → ms. */
export const parseDuration = (raw: string): Result.Result<number, string> => {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(raw.trim())
  if (!m || Number(m[1]) <= 0) return F.expected("a duration such as 60s, 2m or 500ms", raw)
  return Result.succeed(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"])
}

const flags = {
  scenario: Argument.String("scenario").pipe(Argument.withDescription("a preset or scenario file whose runs each add a fault timeline of their own (default: random hunts)"), Argument.optional),
  runs: F.checked("runs", "runs at most (default 100)", F.wholeNumber("a whole number from 1 to 1000000", 1, 1_000_000)).pipe(Flag.withDefault(100)),
  seed: F.seed("the exploration's seed (default: from the clock; printed, so a run can be repeated)"),
  timeBudget: F.checked("time-budget", "stop exploring after this long (60s, 2m, 500ms); shrinking a failure comes after it", parseDuration).pipe(Flag.withMetavar("DURATION"), Flag.optional),
  invariant: F.file("invariant", "a module whose default export (or `invariant`) takes the report and returns true or what is wrong").pipe(Flag.optional),
  maxFaults: F.checked("max-faults", "faults per generated timeline at most (default 3)", F.wholeNumber("a whole number from 1 to 20", 1, 20)).pipe(Flag.withDefault(3)),
  save: F.file("save", "where the smallest failing scenario goes (default ./huntbench-check-<seed>.json)").pipe(Flag.optional),
  noSlo: F.toggle("no-slo", "judge only the invariants, not the scenario's SLO"),
  quiet: F.toggle("quiet", "print only the result, not each run"),
  config: F.config
}

/** The user's invariant from a module: its default export or its `invariant`. */
const loadInvariant = (file: string): Effect.Effect<Invariant, UsageError> =>
  Effect.gen(function* () {
    const mod = yield* Effect.tryPromise({
      try: () => import(pathToFileURL(resolve(file)).href) as Promise<Record<string, unknown>>,
      catch: (e) => new UsageError({ message: `--invariant: cannot load ${file}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}` })
    })
    const f = mod.default ?? mod.invariant
    if (typeof f !== "function") return yield* new UsageError({ message: `--invariant: ${file} exports no function (export default (report) => true or a message)` })
    return f as Invariant
  })

/** One line describing a generated run: its shape and its faults. */
export const describeRun = (s: ScenarioInput): string => {
  const t = s.topology ?? {}
  const faults = (s.faults ?? []).map((f) => `${f.kind} n${f.target ?? 0} @${ms((f.atMs ?? 0) / 1000)} s+${ms((f.durationMs ?? 0) / 1000)} s`)
  return `${t.nodes ?? 1} node(s), ${t.buckets ?? "?"} buckets, ${count(s.hunters?.count ?? 0)} hunters, ${ms((s.durationMs ?? 0) / 1000)} s; ${faults.length === 0 ? "no faults" : faults.join(", ")}`
}

const run = (i: Command.Command.Config.Infer<typeof flags>) =>
  Effect.gen(function* () {
    const scenario = Option.isSome(i.scenario) ? ((yield* loadInput(i.scenario.value)) as ScenarioInput) : undefined
    const invariant = Option.isSome(i.invariant) ? yield* loadInvariant(i.invariant.value) : undefined
    const save = Option.getOrUndefined(i.save)
    if (save) yield* checkWritable("--save", save)
    const say = (line: string) => process.stdout.write(`${line}\n`)
    let lastShrunk = ""
    const seed = Option.getOrElse(i.seed, () => Date.now() % 2 ** 31)
    say(`huntbench check — ${Option.getOrElse(i.scenario, () => "random hunts")}: up to ${count(i.runs)} runs${Option.isSome(i.timeBudget) ? ` or ${ms(i.timeBudget.value / 1000)} s` : ""}, seed ${seed}; invariants${invariant ? ", your invariant" : ""}${scenario && !i.noSlo ? ", the SLO" : ""}`)
    const result = yield* Effect.tryPromise({
      try: () =>
        check({
          scenario,
          runs: i.runs,
          seed,
          timeBudgetMs: Option.getOrUndefined(i.timeBudget),
          invariant,
          slo: scenario !== undefined && !i.noSlo,
          maxFaults: i.maxFaults,
          saveTo: save,
          onRun: (r) => {
            if (!i.quiet || r.failure) say(`run ${r.run} seed ${r.seed}: ${describeRun(r.scenario)} — ${r.failure ? `FAIL: ${r.failure}` : "ok"}`)
            if (r.failure) say("shrinking…")
          },
          onShrink: (s) => {
            const what = describeRun(s.scenario)
            if (!i.quiet && what !== lastShrunk) say(`  still fails with ${what} (${s.tried} tried)`)
            lastShrunk = what
          }
        }),
      catch: (e) => new UsageError({ message: `check: ${e instanceof Error ? e.message : String(e)}` })
    })
    if (result.ok) {
      say(`ok: ${count(result.runs)} runs in ${ms(result.elapsedMs / 1000)} s (${ms(result.runs / (result.elapsedMs / 1000))} runs/s), no failure; seed ${result.seed}`)
      return 0
    }
    const f = result.failure!
    say(`FAIL after ${count(result.runs)} run(s): ${f.message}`)
    say(`smallest failing scenario (${(f.shrunk.faults ?? []).length} fault(s); ${describeRun(f.shrunk)}): ${f.file}`)
    say(`  it fails with ${f.shrunkMessage}`)
    say(`replay: ${f.replay}`)
    return 1
  })

export const checkCommand = command("check", flags, run).pipe(
  Command.withDescription("explore random fault timelines (swarm-style: each run's faults and kinds from its own seed) for a broken invariant, a breached SLO or a failure of your invariant; shrink the first to the smallest failing scenario, write it and print its replay; exit 1 on a failure, 0 otherwise"),
  Command.withExamples([
    { command: "huntbench check small --runs 200 --time-budget 60s", description: "200 fault timelines on the small hunt, at most a minute" },
    { command: "huntbench check reference --invariant no-lost-claims.js --no-slo", description: "your own invariant over each report" }
  ])
)
