/**
 * `huntbench compare A B`: run two scenarios (a design before and after a change, same
 * seed) on the model and print which figures moved, which way and by how much.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { Effect, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { compareReports, formatDelta, formatFigure, formatRelative, formatValue, type Change } from "../../src/compare.ts"
import { decodeReport, type Report } from "../../src/report.ts"
import { decodeScenario, type Scenario } from "../../src/scenario.ts"
import { Simulation } from "../../sim/simulation.ts"
import { fidelityRows, formatRatio, type FidelityRow } from "../../src/fidelity.ts"
import { liveRun } from "../live/simulation.ts"
import { fidelityHtml } from "../report/html.ts"
import { redactUrl } from "../redis/keys.ts"
import { layerRedisTarget } from "../redis/layers.ts"
import { layerLocalTarget } from "../redis/local.ts"
import * as F from "./flags.ts"
import { checkWritable, loadInput, UsageError } from "./input.ts"
import { command } from "./session.ts"
import { Progress } from "./progress.ts"
import { rehearse, tuneJitFor } from "./jit.ts"

/** Rows of cells as aligned text lines: the first column left, the others right. */
const tableLines = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join("  ").trimEnd())
}

/** The comparison as text: one row per figure, B − A, the relative change and the verdict. */
export const formatComparison = (a: Report, b: Report, changes: ReadonlyArray<Change>): string => {
  const rows = [["figure", `A: ${a.scenario.name}`, `B: ${b.scenario.name}`, "B − A", "change", ""], ...changes.map((c) => [c.label, formatValue(c, c.a), formatValue(c, c.b), formatDelta(c), formatRelative(c), c.verdict === "same" ? "" : c.verdict])]
  const moved = changes.filter((c) => c.verdict !== "same")
  return [
    `huntbench compare — A: ${a.scenario.name}, B: ${b.scenario.name} (seeds ${a.seed} / ${b.seed})`,
    "",
    ...tableLines(rows),
    "",
    `${moved.filter((c) => c.verdict === "better").length} figure(s) better, ${moved.filter((c) => c.verdict === "worse").length} worse, ${moved.filter((c) => c.verdict === "changed").length > 0 ? `${moved.filter((c) => c.verdict === "changed").length} changed (neither better nor worse), ` : ""}${changes.length - moved.length} unchanged`,
    `SLO: A ${a.slo.pass ? "PASS" : "FAIL"}, B ${b.slo.pass ? "PASS" : "FAIL"}`,
    ""
  ].join("\n")
}

/**
 * A report written by `huntbench run --json`, if `source` is such a file (a JSON object with
 * a `version` and a `timeline`); undefined for presets and scenario files. A report file of
 * another version or out of shape is a usage error naming the file and the field.
 */
const readReport = (source: string): Effect.Effect<Report | undefined, UsageError> =>
  Effect.gen(function* () {
    if (!source.endsWith(".json") || !existsSync(source) || !statSync(source).isFile()) return undefined
    let data: unknown
    try {
      data = JSON.parse(readFileSync(source, "utf8"))
    } catch {
      return undefined // not JSON: the scenario reader says so
    }
    if (data === null || typeof data !== "object" || !("version" in data) || !("timeline" in data)) return undefined
    return yield* decodeReport(data).pipe(
      Effect.mapError((e) => new UsageError({ message: `${source}: ${e.field === "version" ? "" : `${e.field}: `}${e.message}` }))
    )
  })

const flags = {
  scenarios: Argument.String("scenario").pipe(Argument.withDescription("A and B: presets, scenario files, or reports saved by run --out json=…; with --sim-vs-live one scenario"), Argument.variadic()),
  simVsLive: F.toggle("sim-vs-live", "run one scenario simulated and live on --target (same seed, same fault timeline) and print each figure side by side"),
  target: F.checked("target", "with --sim-vs-live: local (a Redis deployment huntbench starts) or a redis:// URL", (raw) =>
    raw === "local" || F.isRedisUrl(raw) ? Result.succeed(raw) : F.expected("local or a redis:// URL", raw)
  ).pipe(Flag.optional),
  seed: F.seed("the seed both sides run with (default: each scenario's own)"),
  json: F.file("json", "both reports and the comparison as JSON").pipe(Flag.optional),
  html: F.file("html", "with --sim-vs-live: a page overlaying the two timelines").pipe(Flag.optional),
  quiet: F.toggle("quiet", "no progress"),
  config: F.config
}

const compare = (i: Command.Command.Config.Infer<typeof flags>) =>
  Effect.gen(function* () {
    const sources = i.scenarios
    const seed = Option.getOrUndefined(i.seed)
    const json = Option.getOrUndefined(i.json)
    const html = Option.getOrUndefined(i.html)
    const target = Option.getOrUndefined(i.target)
    const quiet = i.quiet
    const simVsLive = i.simVsLive
    if (simVsLive) {
      if (sources.length !== 1) return yield* new UsageError({ message: `compare --sim-vs-live: expected one scenario, got ${sources.length}` })
      if (target === undefined) return yield* new UsageError({ message: "--target: compare --sim-vs-live needs local or the redis:// URL to run live on" })
      return yield* simulatedBesideLive(sources[0], target, seed, json, html, quiet)
    }
    if (target !== undefined) return yield* new UsageError({ message: "--target: only applies to compare --sim-vs-live" })
    if (html !== undefined) return yield* new UsageError({ message: "--html: only applies to compare --sim-vs-live" })
    if (sources.length !== 2) return yield* new UsageError({ message: `compare: expected two scenarios (A and B), got ${sources.length}` })
    if (json) yield* checkWritable("--json", json)
    // Both sides are read and checked before either runs: a report file (run --json) is
    // compared as it is; a preset or scenario file is run first (same seed).
    const sides: Array<Report | Scenario> = []
    for (const source of sources) {
      const saved = yield* readReport(source)
      if (saved !== undefined) {
        sides.push(saved)
        continue
      }
      const input = yield* loadInput(source)
      if (seed !== undefined) input.seed = seed
      sides.push(yield* decodeScenario(input))
    }
    const reports: Array<Report> = []
    for (const [i, side] of sides.entries()) {
      if ("latencyMs" in side) {
        reports.push(side)
        continue
      }
      const scenario = side
      tuneJitFor([scenario])
      yield* rehearse(scenario)
      const progress = new Progress(quiet ? null : process.stderr)
      const label = i === 0 ? "A" : "B"
      progress.phase(`running ${label}: ${scenario.name}`)
      const run = Simulation.run(scenario, { source: sources[i], onProgress: (v: number, total: number, events: number) => progress.update(v / total, `${label}: ${(events / 1e6).toFixed(1)} M events`, { ms: v, totalMs: total }) })
      reports.push(yield* run.pipe(Effect.ensuring(Effect.sync(() => progress.done()))))
    }
    const [a, b] = reports
    const changes = compareReports(a, b)
    if (json) {
      const file = json
      yield* Effect.try({
        try: () => writeFileSync(file, JSON.stringify({ a: { source: sources[0], report: a }, b: { source: sources[1], report: b }, changes }, null, 2) + "\n"),
        catch: (e) => new UsageError({ message: `--json: cannot write ${file}: ${(e as Error).message}` })
      })
    }
    process.stdout.write(formatComparison(a, b, changes))
    return 0
  })

/** The side-by-side table: each figure simulated and live, and live ÷ simulated. */
export const formatFidelity = (sim: Report, live: Report, rows: ReadonlyArray<FidelityRow>): string => {
  const table = [["figure", "simulated", "live", "live ÷ sim"], ...rows.map((r) => [r.label, formatFigure(r.sim), formatFigure(r.live), formatRatio(r)])]
  return [`huntbench compare --sim-vs-live — ${sim.scenario.name}, seed ${sim.seed}, live on ${live.target}`, "", ...tableLines(table), ""].join("\n")
}

/** Run `source` simulated and live on `target` (same seed, same fault timeline) and print them side by side. */
const simulatedBesideLive = (source: string, target: string, seed: number | undefined, json: string | undefined, html: string | undefined, quiet: boolean) =>
  Effect.gen(function* () {
    if (json) yield* checkWritable("--json", json)
    if (html) yield* checkWritable("--html", html)
    const input = yield* loadInput(source)
    if (seed !== undefined) input.seed = seed
    const scenario = yield* decodeScenario(input)
    const log = (line: string) => process.stderr.write(`huntbench: ${line}\n`)
    const progress = new Progress(quiet ? null : process.stderr)
    progress.phase(`simulating ${scenario.name}`)
    // Open loop, as the live run sends: each hunter's next task on schedule, not after its last reply.
    const sim = yield* Simulation.run(scenario, { source, openLoop: true }).pipe(Effect.ensuring(Effect.sync(() => progress.done())))
    progress.phase(`running ${scenario.name} live on ${target === "local" ? "local" : redactUrl(target)}`)
    const runId = `fidelity-${Date.now().toString(36)}-${process.pid.toString(36)}`
    const live = yield* liveRun(scenario, { source, log, onProgress: (v, total) => progress.update(v / total, "live", { ms: v, totalMs: total }) }).pipe(
      Effect.scoped,
      Effect.provide(target === "local" ? layerLocalTarget({ runId, log }) : layerRedisTarget({ url: target, runId, log })),
      Effect.ensuring(Effect.sync(() => progress.done()))
    )
    const rows = fidelityRows(sim, live)
    if (json) {
      const file = json
      yield* Effect.try({
        try: () => writeFileSync(file, JSON.stringify({ source, sim, live, rows }, null, 2) + "\n"),
        catch: (e) => new UsageError({ message: `--json: cannot write ${file}: ${(e as Error).message}` })
      })
      log(`wrote both reports and the rows to ${file}`)
    }
    process.stdout.write(formatFidelity(sim, live, rows))
    if (html) {
      const file = html
      const page = yield* Effect.promise(() => fidelityHtml({ sim, live, rows }))
      yield* Effect.try({
        try: () => writeFileSync(file, page),
        catch: (e) => new UsageError({ message: `--html: cannot write ${file}: ${(e as Error).message}` })
      })
      log(`wrote the overlay page to ${file}`)
    }
    return 0
  })

export const compareCommand = command("compare", flags, compare).pipe(
  Command.withDescription("run two designs (presets or files, same seed) on the model and print which figures moved, which way and how much — A or B may be a saved report; or, with --sim-vs-live, one scenario simulated beside live"),
  Command.withExamples([
    { command: "huntbench compare contest-before contest-after --seed 5", description: "a design before and after a change, seed 5" },
    { command: "huntbench compare --sim-vs-live small --target local --html fidelity.html", description: "the model against a live deployment" }
  ])
)
