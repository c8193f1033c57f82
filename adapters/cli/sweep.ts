/**
 * `huntbench sweep`: a grid over scenario fields × seeds on worker threads, a table of
 * medians and spreads, a CSV, and the cheapest configuration that met the SLO in every
 * seed. Deterministic: the same sweep gives the same table, in parallel or not.
 */
import { ms, percent } from "../../src/figures.ts"
import { writeFileSync } from "node:fs"
import { Effect, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { aggregate, applyCell, expandGrid, parseSet, recommend, SweepArgError, type PointResult, type SweepAxis, type SweepRow } from "../../sim/sweep.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../../src/scenario.ts"
import { defaultWorkers, runPoints, type SweepJob } from "../sweep/pool.ts"
import * as F from "./flags.ts"
import { checkWritable, loadInput, UsageError } from "./input.ts"
import { command } from "./session.ts"
import type { Redis } from "ioredis"
import { huntbenchVersion } from "../package-files.ts"
import { normalizePrefix, redactUrl } from "../redis/keys.ts"
import { collect, connect as connectQueue, enqueue, loadSpec, PointFailed, removeSweep, type SweepSpec } from "../sweep/queue.ts"
import { Progress } from "./progress.ts"
import { sweepHtml } from "../report/html.ts"
import { tuneJitFor } from "./jit.ts"

const flags = {
  scenario: Argument.String("scenario").pipe(Argument.withDescription('a preset or a scenario file; default "default"'), Argument.withDefault("default")),
  set: F.parsed("set", "a field and its values, path=v1,v2,… (repeat for more axes), e.g. --set topology.buckets=24,48,96 --set topology.poolSize=20,100,500", (raw) =>
    Effect.gen(function* () {
      const axis = yield* Effect.try({ try: () => parseSet(raw), catch: (e) => new UsageError({ message: (e as Error).message }) })
      if (axis.path === "seed")
        return yield* new UsageError({ message: "--set seed: a seed is not a design choice to recommend; use --seeds N to run every configuration with N seeds" })
      return axis
    })
  ).pipe(Flag.withMetavar("PATH=V1,V2"), Flag.atLeast(0)),
  seeds: F.checked("seeds", "runs per configuration, seeds S, S+1, … (default 3)", F.wholeNumber("an integer from 1 to 1000", 1, 1000)).pipe(Flag.withDefault(3)),
  workers: F.checked("workers", "worker threads (default: one per core; 0 = in this thread)", F.wholeNumber("an integer from 0 to 256", 0, 256)).pipe(Flag.optional),
  csv: F.file("csv", "one row per run").pipe(Flag.optional),
  json: F.file("json", "the table, the points and the recommendation").pipe(Flag.optional),
  html: F.file("html", "a self-contained page with the table and a chart of p99 per configuration against the SLO").pipe(Flag.optional),
  queue: F.checked("queue", "spread the runs over `huntbench worker` processes on any machines, through BullMQ jobs on this Redis (redis://host:port[/db])", (raw) =>
    F.isRedisUrl(raw) ? Result.succeed(raw) : F.expected("a redis:// URL", raw)
  ).pipe(Flag.withMetavar("URL"), Flag.optional),
  resume: F.checked("resume", "with --queue: collect sweep ID again (its coordinator died); the grid and seeds are the sweep's own", (raw) =>
    /^[a-z0-9-]{1,64}$/.test(raw) ? Result.succeed(raw) : F.expected("a sweep id as printed (letters, digits, -)", raw)
  ).pipe(Flag.withMetavar("ID"), Flag.optional),
  keep: F.toggle("keep", "with --queue: leave the sweep's jobs and results on Redis after collecting them"),
  prefix: F.prefix("with --queue: the key prefix on Redis (default huntbench); workers must use the same"),
  quiet: F.toggle("quiet", "no progress"),
  config: F.config
}

/** The sweep's arguments, checked across flags; every output path writable. */
const checkArgs = (i: Command.Command.Config.Infer<typeof flags>) =>
  Effect.gen(function* () {
    const queue = Option.getOrUndefined(i.queue)
    const resume = Option.getOrUndefined(i.resume)
    if (resume !== undefined && queue === undefined) return yield* new UsageError({ message: "--resume: needs --queue redis://… (where the sweep's jobs are)" })
    if (resume !== undefined && i.set.length > 0) return yield* new UsageError({ message: "--resume: the sweep's grid is its own; drop --set" })
    if (queue === undefined && (i.keep || Option.isSome(i.prefix))) return yield* new UsageError({ message: `${i.keep ? "--keep" : "--prefix"}: only applies with --queue redis://…` })
    if (resume === undefined && i.set.length === 0) return yield* new UsageError({ message: "sweep: give at least one --set path=v1,v2" })
    const twice = i.set.find((x, k) => i.set.findIndex((y) => y.path === x.path) !== k)
    if (twice) return yield* new UsageError({ message: `--set ${twice.path}: given twice` })
    const a = {
      source: i.scenario,
      axes: i.set,
      seeds: i.seeds,
      workers: Option.getOrElse(i.workers, defaultWorkers),
      csv: Option.getOrUndefined(i.csv),
      json: Option.getOrUndefined(i.json),
      html: Option.getOrUndefined(i.html),
      quiet: i.quiet,
      queue,
      resume,
      keep: i.keep,
      prefix: normalizePrefix(Option.getOrElse(i.prefix, () => "huntbench"))
    }
    for (const [flag, file] of [["--csv", a.csv], ["--json", a.json], ["--html", a.html]] as const) if (file !== undefined) yield* checkWritable(flag, file)
    return a
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

type SweepArgs = Effect.Success<ReturnType<typeof checkArgs>>

/** Every configuration decoded first: a bad value fails before any run, naming its --set. */
const decodeGrid = (a: SweepArgs) =>
  Effect.gen(function* () {
    const base = yield* loadInput(a.source)
    const scenarios: Array<Scenario> = []
    for (const cell of expandGrid(a.axes)) {
      const where = a.axes.map((x, i) => `${x.path}=${JSON.stringify(cell[i])}`).join(" ")
      const input = yield* Effect.try({ try: () => applyCell(base, a.axes, cell), catch: (e) => new UsageError({ message: (e as SweepArgError).message }) })
      const s = yield* decodeScenario(input).pipe(
        Effect.mapError((e) => new ScenarioError({ field: e.field, message: `${e.message} (with --set ${where})` }))
      )
      scenarios.push(s)
    }
    return scenarios
  })

/** A connection to a sweep's queue (checked with a PING), closed with the scope — also on failure and Ctrl-C. */
export const queueConnection = (url: string) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const redis = connectQueue(url)
        await redis.ping()
        return redis
      },
      catch: (e) => new UsageError({ message: `--queue: cannot reach ${redactUrl(url)}: ${e instanceof Error ? e.message : String(e)}` })
    }),
    (redis) => Effect.promise(() => redis.quit().catch(() => undefined))
  )

/** The sweep's spec: made here, or — with --resume — read back from the queue's Redis. */
const specOf = (a: SweepArgs, redis: Redis | undefined) =>
  Effect.gen(function* () {
    const version = huntbenchVersion()
    if (a.resume !== undefined && redis !== undefined) {
      const id = a.resume
      const spec = yield* Effect.promise(() => loadSpec(redis, a.prefix, id))
      if (!spec) return yield* new UsageError({ message: `--resume: no sweep ${id} under ${a.prefix}: on ${redactUrl(a.queue ?? "")} (finished and removed, or another --prefix?)` })
      if (spec.version !== version) return yield* new UsageError({ message: `--resume: sweep ${id} was made by huntbench ${spec.version}, this is ${version}; resume it with that version` })
      const scenarios: Array<Scenario> = []
      for (const s of spec.scenarios) scenarios.push(yield* decodeScenario(s))
      return { spec, scenarios }
    }
    const scenarios = yield* decodeGrid(a)
    const id = `${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, "0")}`
    return { spec: { id, version, source: a.source, axes: a.axes, seeds: a.seeds, scenarios } as SweepSpec, scenarios }
  })

const sweep = (a0: SweepArgs) =>
  Effect.gen(function* () {
    const redis = a0.queue !== undefined ? yield* queueConnection(a0.queue) : undefined
    const { spec, scenarios } = yield* specOf(a0, redis)
    const a = { ...a0, source: spec.source, axes: spec.axes as Array<SweepAxis>, seeds: spec.seeds }
    const cells = expandGrid(a.axes)
    tuneJitFor(scenarios)
    const jobs: Array<SweepJob> = []
    scenarios.forEach((s, cell) => {
      for (let k = 0; k < a.seeds; k++) jobs.push({ cell, input: { ...s, seed: (s.seed + k) >>> 0 } })
    })
    const progress = new Progress(a.quiet ? null : process.stderr)
    const onProgress = (done: number, total: number) => progress.update(done / total, `${done}/${total} runs`)
    const log = (line: string) => process.stderr.write(`huntbench: ${line}\n`)
    let points: Array<PointResult>
    if (redis !== undefined && a.queue !== undefined) {
      const url = redactUrl(a.queue)
      const added = yield* Effect.promise(() => enqueue(redis, a.prefix, spec))
      log(`sweep ${spec.id}: ${added} runs on the queue at ${url} (prefix ${a.prefix}); start workers with: npx huntbench worker --queue ${url}${a.prefix === "huntbench" ? "" : ` --prefix ${a.prefix}`}`)
      log(`if this process dies: npx huntbench sweep --queue ${url} --resume ${spec.id}`)
      progress.phase(`sweeping ${cells.length} configuration(s) × ${a.seeds} seed(s) = ${jobs.length} runs on the workers of ${url}`)
      const collected = yield* Effect.tryPromise({
        try: (signal) => collect(redis, a.prefix, spec, { signal, onProgress }),
        catch: (e) => (e instanceof Error ? e : new Error(String(e)))
      }).pipe(Effect.ensuring(Effect.sync(() => progress.done())), Effect.result)
      if (Result.isFailure(collected)) {
        const e = collected.failure
        // A point that failed fails on every worker: the sweep's other points are not worth running.
        if (e instanceof PointFailed && !a.keep) {
          log(`sweep ${spec.id} failed: removing its runs from the queue`)
          yield* Effect.tryPromise({
            try: (signal) => removeSweep(redis, a.prefix, spec, { signal, onWait: (n) => log(`waiting for ${n} run(s) still on workers to finish, to remove them`) }),
            catch: (e) => e
          }).pipe(Effect.ignore)
        }
        return yield* new UsageError({ message: `sweep ${spec.id} failed: ${e.message}` })
      }
      points = collected.success
    } else {
      progress.phase(`sweeping ${cells.length} configuration(s) × ${a.seeds} seed(s) = ${jobs.length} runs on ${a.workers === 0 ? "this thread" : `${Math.min(a.workers, jobs.length)} worker thread(s)`}`)
      points = yield* Effect.tryPromise({
        try: (signal) => runPoints(jobs, { workers: a.workers, signal, onProgress }),
        catch: (e) => new UsageError({ message: `sweep failed: ${e instanceof Error ? e.message : String(e)}` })
      }).pipe(Effect.ensuring(Effect.sync(() => progress.done())))
    }
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
    if (redis !== undefined && !a.keep) {
      yield* Effect.promise(() => removeSweep(redis, a.prefix, spec))
      if (!a.quiet) log(`removed sweep ${spec.id}'s jobs and results from the queue`)
    }
    return rec ? 0 : 1
  }).pipe(Effect.scoped)

export const sweepCommand = command("sweep", flags, (i) => Effect.flatMap(checkArgs(i), sweep)).pipe(
  Command.withDescription("a grid over scenario fields × seeds, in parallel on worker threads: a table of medians and spreads, and the cheapest configuration that met the SLO in every seed; exit 0 when one did, 1 when none did"),
  Command.withExamples([{ command: "huntbench sweep reference --set topology.buckets=24,48,96 --set topology.poolSize=20,100 --seeds 5", description: "6 configurations × 5 seeds" }])
)
