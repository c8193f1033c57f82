/**
 * `huntbench sweep`: a grid over scenario fields × seeds on worker threads, a table of
 * medians and spreads, a CSV, and the cheapest configuration that met the SLO in every
 * seed. Deterministic: the same sweep gives the same table, in parallel or not.
 */
import { ms, percent } from "../../src/figures.ts"
import { writeFileSync } from "node:fs"
import { Effect } from "effect"
import { aggregate, applyCell, expandGrid, parseSet, recommend, SweepArgError, type PointResult, type SweepAxis, type SweepRow } from "../../sim/sweep.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../../src/scenario.ts"
import { defaultWorkers, runPoints, type SweepJob } from "../sweep/pool.ts"
import { checkWritable, loadInput, unknownOption, UsageError } from "./input.ts"
import { COMMAND_FLAGS } from "./defaults.ts"
import { Progress } from "./progress.ts"
import { sweepHtml } from "../report/html.ts"
import { tuneJitFor } from "./jit.ts"

interface SweepArgs {
  source: string
  axes: Array<SweepAxis>
  seeds: number
  workers: number
  csv?: string
  json?: string
  html?: string
  quiet: boolean
}

const parseArgs = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const out: SweepArgs = { source: "default", axes: [], seeds: 3, workers: defaultWorkers(), quiet: false }
    let positional = 0
    const int = (name: string, v: string | undefined, min: number, max: number) =>
      v !== undefined && /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max
        ? Effect.succeed(Number(v))
        : Effect.fail(new UsageError({ message: `${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v ?? "")}` }))
    for (let i = 0; i < args.length; i++) {
      const a = args[i]
      if (a === "--set") {
        const v = args[++i]
        if (v === undefined) return yield* new UsageError({ message: "--set: expected path=value[,value…]" })
        try {
          const axis = parseSet(v)
          if (axis.path === "seed")
            return yield* new UsageError({ message: "--set seed: a seed is not a design choice to recommend; use --seeds N to run every configuration with N seeds" })
          if (out.axes.some((x) => x.path === axis.path)) return yield* new UsageError({ message: `--set ${axis.path}: given twice` })
          out.axes.push(axis)
        } catch (e) {
          return yield* new UsageError({ message: (e as Error).message })
        }
      } else if (a === "--seeds") out.seeds = yield* int("--seeds", args[++i], 1, 1000)
      else if (a === "--workers") out.workers = yield* int("--workers", args[++i], 0, 256)
      else if (a === "--csv" || a === "--json" || a === "--html") {
        const v = args[++i]
        if (!v) return yield* new UsageError({ message: `${a}: expected a file name` })
        if (a === "--csv") out.csv = v
        else if (a === "--json") out.json = v
        else out.html = v
      } else if (a === "--quiet") out.quiet = true
      else if (a.startsWith("-")) return yield* unknownOption(a, [...COMMAND_FLAGS.sweep, "--config"], "sweep")
      else if (positional++ === 0) out.source = a
      else return yield* new UsageError({ message: `unexpected argument ${JSON.stringify(a)}: sweep takes one scenario` })
    }
    if (out.axes.length === 0) return yield* new UsageError({ message: "sweep: give at least one --set path=v1,v2" })
    for (const [flag, file] of [["--csv", out.csv], ["--json", out.json], ["--html", out.html]] as const) if (file !== undefined) yield* checkWritable(flag, file)
    return out
  })


const renderTable = (axes: ReadonlyArray<SweepAxis>, rows: ReadonlyArray<SweepRow>, best: number | undefined): string => {
  const head = [...axes.map((a) => a.path), "p99 ms (min–max)", "errors", "max backlog", "lost acked", "SLO met", ""]
  const body = rows.map((r) => [
    ...r.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
    `${ms(r.p99.median)} (${ms(r.p99.min)}–${ms(r.p99.max)})`,
    `${percent(r.errorRate.median)} (≤${percent(r.errorRate.max)})`,
    ms(r.maxBacklog.median),
    ms(r.lostAcknowledged.median),
    `${r.passed}/${r.seeds}`,
    r.cell === best ? "← recommended" : ""
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cols: ReadonlyArray<string>) => cols.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n") + "\n"
}

const csvOf = (axes: ReadonlyArray<SweepAxis>, cells: ReadonlyArray<ReadonlyArray<unknown>>, points: ReadonlyArray<PointResult>): string => {
  const q = (v: unknown) => {
    const s = typeof v === "string" ? v : JSON.stringify(v)
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  const head = [...axes.map((a) => a.path), "seed", "p99Ms", "errorRate", "maxBacklog", "lostAcknowledged", "sloPass", "invariantsOk", "events"]
  const rows = points.map((p) => [...cells[p.cell].map(q), p.seed, p.p99, p.errorRate, p.maxBacklog, p.lostAcknowledged, p.sloPass, p.invariantsOk, p.events].join(","))
  return [head.map(q).join(","), ...rows].join("\n") + "\n"
}

export const sweepCommand = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const a = yield* parseArgs(args)
    const base = yield* loadInput(a.source)
    const cells = expandGrid(a.axes)
    // Decode every configuration first: a bad value fails before any run, naming its --set.
    const scenarios: Array<Scenario> = []
    for (const cell of cells) {
      const where = a.axes.map((x, i) => `${x.path}=${JSON.stringify(cell[i])}`).join(" ")
      const input = yield* Effect.try({ try: () => applyCell(base, a.axes, cell), catch: (e) => new UsageError({ message: (e as SweepArgError).message }) })
      const s = yield* decodeScenario(input).pipe(
        Effect.mapError((e) => new ScenarioError({ field: e.field, message: `${e.message} (with --set ${where})` }))
      )
      scenarios.push(s)
    }
    tuneJitFor(scenarios)
    const jobs: Array<SweepJob> = []
    scenarios.forEach((s, cell) => {
      for (let k = 0; k < a.seeds; k++) jobs.push({ cell, input: { ...s, seed: (s.seed + k) >>> 0 } })
    })
    const progress = new Progress(a.quiet ? null : process.stderr)
    progress.phase(`sweeping ${cells.length} configuration(s) × ${a.seeds} seed(s) = ${jobs.length} runs on ${a.workers === 0 ? "this thread" : `${Math.min(a.workers, jobs.length)} worker thread(s)`}`)
    const points = yield* Effect.tryPromise({
      try: (signal) => runPoints(jobs, { workers: a.workers, signal, onProgress: (done, total) => progress.update(done / total, `${done}/${total} runs`) }),
      catch: (e) => new UsageError({ message: `sweep failed: ${e instanceof Error ? e.message : String(e)}` })
    }).pipe(Effect.ensuring(Effect.sync(() => progress.done())))
    const rows = aggregate(cells, points)
    const rec = recommend(rows, (cell) => {
      const t = scenarios[cell].topology
      return {
        cost: { processes: t.nodes * (t.replicas ? 2 : 1), poolConnections: t.nodes * t.poolSize, buckets: t.buckets },
        slo: scenarios[cell].slo
      }
    })
    // The table first: a file that cannot be written must not cost it.
    process.stdout.write(`huntbench sweep — ${a.source}: ${cells.length} configuration(s) × ${a.seeds} seed(s) = ${jobs.length} runs\n\n`)
    process.stdout.write(renderTable(a.axes, rows, rec?.cell))
    if (rec) {
      const what = a.axes.map((x, i) => `${x.path}=${JSON.stringify(rec.values[i])}`).join(" ")
      process.stdout.write(
        `\nrecommendation: ${what} — the cheapest configuration meeting the SLO in all ${a.seeds} seeds ` +
          `(${rec.cost.processes} Redis processes, ${rec.cost.poolConnections} pool connections, ${rec.cost.buckets} buckets); ` +
          `margin: p99 ${percent(rec.p99Margin)} under the SLO, errors ${percent(rec.errorMargin)} under it (worst seed)\n`
      )
    } else process.stdout.write("\nrecommendation: none — no configuration met the SLO in every seed\n")
    if (a.csv) {
      const file = a.csv
      yield* Effect.try({ try: () => writeFileSync(file, csvOf(a.axes, cells, points)), catch: (e) => new UsageError({ message: `--csv: cannot write ${file}: ${(e as Error).message}` }) })
    }
    if (a.json) {
      const file = a.json
      const doc = { source: a.source, axes: a.axes, seeds: a.seeds, rows, recommendation: rec ?? null, points }
      yield* Effect.try({ try: () => writeFileSync(file, JSON.stringify(doc, null, 2) + "\n"), catch: (e) => new UsageError({ message: `--json: cannot write ${file}: ${(e as Error).message}` }) })
    }
    if (a.html) {
      const file = a.html
      const label = (values: ReadonlyArray<unknown>) => a.axes.map((x, i) => `${x.path.split(".").pop()}=${typeof values[i] === "string" ? values[i] : JSON.stringify(values[i])}`).join(" ")
      const html = yield* Effect.tryPromise({
        try: () =>
          sweepHtml({
            title: `${a.source}: ${cells.length} configuration(s) × ${a.seeds} seed(s)`,
            sloP99Ms: scenarios[0].slo.p99Ms,
            recommendation: rec ? `Recommended: ${label(rec.values)} — the cheapest configuration meeting the SLO in every seed.` : "No configuration met the SLO in every seed.",
            rows: rows.map((r) => ({ label: label(r.values), p99: r.p99, errorRate: r.errorRate, maxBacklog: r.maxBacklog.median, passed: r.passed, seeds: r.seeds, recommended: r.cell === rec?.cell }))
          }),
        catch: (e) => new UsageError({ message: `--html: ${(e as Error).message}` })
      })
      yield* Effect.try({ try: () => writeFileSync(file, html), catch: (e) => new UsageError({ message: `--html: cannot write ${file}: ${(e as Error).message}` }) })
    }
    return rec ? 0 : 1
  })
