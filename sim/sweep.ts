/**
 * Sweeps: a grid over scenario fields × seeds, each point a full simulated hunt, aggregated
 * into a table (median and spread across seeds) and a recommendation — the cheapest
 * configuration that met the SLO in every seed, with its margin. Pure and browser-safe:
 * running the points (worker threads, or in-process) is the caller's business, and the
 * result does not depend on the order they finish in.
 */
import type { Report } from "../src/report.ts"

/** One `--set path=v1,v2,…` axis. */
export interface SweepAxis {
  readonly path: string
  readonly values: ReadonlyArray<unknown>
}

/** A problem with a `--set` argument, naming it. */
export class SweepArgError extends Error {}

const parseValue = (v: string): unknown => {
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}

/**
 * Parse `topology.buckets=24,48,96` into an axis. Values are JSON where they parse
 * (numbers, booleans) and strings otherwise. Example: `parseSet("engine.timeoutMs=50,100")`.
 */
export const parseSet = (arg: string): SweepAxis => {
  const [path, raw] = splitSet(arg, "path=value[,value…]")
  const values = raw.split(",").map((v) => parseValue(v.trim()))
  return { path, values }
}

/** `path=value` → the path and the raw value, its path checked (what a sweep's and a run's --set share). */
const splitSet = (arg: string, expected: string): [string, string] => {
  const eq = arg.indexOf("=")
  if (eq <= 0) throw new SweepArgError(`--set ${JSON.stringify(arg)}: expected ${expected}`)
  const path = arg.slice(0, eq).trim()
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(path)) throw new SweepArgError(`--set ${path}: not a field path like topology.buckets`)
  const raw = arg.slice(eq + 1)
  if (raw.trim() === "") throw new SweepArgError(`--set ${path}: no value`)
  return [path, raw]
}

/**
 * A run's `--set path=value`: one value, JSON where it parses (a list too: `[1,2]`), a
 * string otherwise, as an axis of one. Example: `parseOverride("engine.timeoutMs=50")`.
 */
export const parseOverride = (arg: string): SweepAxis => {
  const [path, raw] = splitSet(arg, "path=value")
  return { path, values: [parseValue(raw.trim())] }
}

/** Every combination of the axes' values, the first axis varying slowest. */
export const expandGrid = (axes: ReadonlyArray<SweepAxis>): Array<ReadonlyArray<unknown>> => {
  let cells: Array<Array<unknown>> = [[]]
  for (const a of axes) cells = cells.flatMap((c) => a.values.map((v) => [...c, v]))
  return cells
}

/** A copy of `input` (scenario JSON) with each axis' path set to the cell's value. */
export const applyCell = (input: unknown, axes: ReadonlyArray<SweepAxis>, cell: ReadonlyArray<unknown>): Record<string, unknown> => {
  const out = structuredClone((input ?? {}) as Record<string, unknown>)
  axes.forEach((a, i) => {
    const keys = a.path.split(".")
    let o: Record<string, unknown> = out
    for (const k of keys.slice(0, -1)) {
      const next = o[k]
      if (next === undefined) o[k] = {}
      else if (next === null || typeof next !== "object" || Array.isArray(next))
        throw new SweepArgError(`--set ${a.path}: ${k} is not an object in the scenario`)
      o = o[k] as Record<string, unknown>
    }
    o[keys[keys.length - 1]] = cell[i]
  })
  return out
}

/** What one point of the grid measured. */
export interface PointResult {
  readonly cell: number
  readonly seed: number
  readonly p99: number
  readonly errorRate: number
  readonly maxBacklog: number
  readonly lostAcknowledged: number
  readonly sloPass: boolean
  readonly invariantsOk: boolean
  readonly events: number
}

/** Reduce a report to the sweep's figures. */
export const pointOf = (r: Report, cell: number): PointResult => ({
  cell,
  seed: r.seed,
  p99: r.latencyMs.p99,
  errorRate: r.errors.rate,
  maxBacklog: r.buckets.reduce((m, b) => Math.max(m, b.maxBacklog), 0),
  lostAcknowledged: r.claims.lostAcknowledged,
  sloPass: r.slo.pass,
  invariantsOk: r.invariants.every((i) => i.ok),
  events: r.sim.events
})

export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
}

export interface SweepRow {
  readonly cell: number
  readonly values: ReadonlyArray<unknown>
  readonly p99: Spread
  readonly errorRate: Spread
  readonly maxBacklog: Spread
  readonly lostAcknowledged: Spread
  /** Seeds whose run met the SLO. */
  readonly passed: number
  readonly seeds: number
}

const spread = (xs: ReadonlyArray<number>): Spread => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
  return { median: Math.round(median * 1e6) / 1e6, min: s[0], max: s[s.length - 1] }
}

/** Aggregate points into one row per cell, in cell order. */
export const aggregate = (cells: ReadonlyArray<ReadonlyArray<unknown>>, points: ReadonlyArray<PointResult>): Array<SweepRow> =>
  cells.map((values, cell) => {
    const ps = points.filter((p) => p.cell === cell).sort((a, b) => a.seed - b.seed)
    return {
      cell,
      values,
      p99: spread(ps.map((p) => p.p99)),
      errorRate: spread(ps.map((p) => p.errorRate)),
      maxBacklog: spread(ps.map((p) => p.maxBacklog)),
      lostAcknowledged: spread(ps.map((p) => p.lostAcknowledged)),
      passed: ps.filter((p) => p.sloPass).length,
      seeds: ps.length
    }
  })

/** The resources a configuration costs, compared in this order (cheapest first). */
export interface Cost {
  /** Redis processes: nodes, twice that with replicas. */
  readonly processes: number
  readonly poolConnections: number
  readonly buckets: number
}

export interface Recommendation {
  readonly cell: number
  readonly values: ReadonlyArray<unknown>
  readonly cost: Cost
  /** Worst-seed headroom: 1 − p99/SLO and 1 − errorRate/maxErrorRate (0..1). */
  readonly p99Margin: number
  readonly errorMargin: number
}

/**
 * The cheapest cell whose every seed met the SLO (by processes, then pool connections, then
 * buckets, then grid order), with its worst-seed margin; undefined when none did.
 * `infoOf(cell)` gives each cell's cost and SLO from its decoded scenario.
 */
export const recommend = (
  rows: ReadonlyArray<SweepRow>,
  infoOf: (cell: number) => { readonly cost: Cost; readonly slo: { readonly p99Ms: number; readonly maxErrorRate: number } }
): Recommendation | undefined => {
  const costOf = (cell: number) => infoOf(cell).cost
  const ok = rows.filter((r) => r.seeds > 0 && r.passed === r.seeds)
  if (ok.length === 0) return undefined
  const key = (r: SweepRow) => {
    const c = costOf(r.cell)
    return [c.processes, c.poolConnections, c.buckets, r.cell]
  }
  const best = [...ok].sort((a, b) => {
    const ka = key(a), kb = key(b)
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i]
    return 0
  })[0]
  const margin = (worst: number, limit: number) => (limit > 0 ? Math.round((1 - worst / limit) * 1000) / 1000 : 0)
  return {
    cell: best.cell,
    values: best.values,
    cost: costOf(best.cell),
    p99Margin: margin(best.p99.max, infoOf(best.cell).slo.p99Ms),
    errorMargin: margin(best.errorRate.max, infoOf(best.cell).slo.maxErrorRate)
  }
}
