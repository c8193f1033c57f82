/**
 * `huntbench compare A B`: run two scenarios (a design before and after a change, same
 * seed) on the model and print which figures moved, which way and by how much.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { Effect } from "effect"
import { compareReports, formatDelta, formatFigure, formatRelative, type Change } from "../../src/compare.ts"
import { decodeReport, type Report } from "../../src/report.ts"
import { decodeScenario, type Scenario } from "../../src/scenario.ts"
import { Simulation } from "../../sim/simulation.ts"
import { checkWritable, loadInput, UsageError } from "./input.ts"
import { Progress } from "./progress.ts"
import { rehearse, tuneJitFor } from "./jit.ts"

/** The comparison as text: one row per figure, B − A, the relative change and the verdict. */
export const formatComparison = (a: Report, b: Report, changes: ReadonlyArray<Change>): string => {
  const rows = [["figure", `A: ${a.scenario.name}`, `B: ${b.scenario.name}`, "B − A", "change", ""], ...changes.map((c) => [c.label, formatFigure(c.a), formatFigure(c.b), formatDelta(c), formatRelative(c), c.verdict === "same" ? "" : c.verdict])]
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const line = (r: Array<string>) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join("  ").trimEnd()
  const moved = changes.filter((c) => c.verdict !== "same")
  return [
    `huntbench compare — A: ${a.scenario.name}, B: ${b.scenario.name} (seeds ${a.seed} / ${b.seed})`,
    "",
    ...rows.map(line),
    "",
    `${moved.filter((c) => c.verdict === "better").length} figure(s) better, ${moved.filter((c) => c.verdict === "worse").length} worse, ${changes.length - moved.length} unchanged`,
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

export const compareCommand = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sources: Array<string> = []
    let seed: number | undefined
    let json: string | undefined
    let quiet = false
    for (let i = 0; i < args.length; i++) {
      const a = args[i]
      if (a === "--seed") {
        const v = args[++i]
        if (v === undefined || !/^\d+$/.test(v) || Number(v) > 4294967295)
          return yield* new UsageError({ message: `--seed: expected an integer from 0 to 4294967295, got ${v === undefined ? "nothing" : JSON.stringify(v)}` })
        seed = Number(v)
      } else if (a === "--json") {
        json = args[++i]
        if (!json) return yield* new UsageError({ message: "--json: expected a file name" })
      } else if (a === "--quiet") quiet = true
      else if (a.startsWith("-")) return yield* new UsageError({ message: `unknown option ${a} (see huntbench help)` })
      else sources.push(a)
    }
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
      const run = Simulation.run(scenario, { source: sources[i], onProgress: (v: number, total: number, events: number) => progress.update(v / total, `${label}: ${(events / 1e6).toFixed(1)} M events`) })
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
