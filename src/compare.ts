/**
 * Comparing two reports (A and B: the same hunt and seed, two designs): the headline
 * figures, which way each moved and by how much. Used by `huntbench compare` and the
 * dashboard's A/B view, so both speak of the same figures in the same words.
 */
import { count, ms, num, percent } from "./figures.ts"
import type { Report } from "./report.ts"
import { tiers } from "./tiers/index.ts"

export interface Figure {
  readonly key: string
  readonly label: string
  readonly get: (r: Report) => number | undefined
  /** Which direction is an improvement; "neither" for a figure that only says what happened (a shard split). */
  readonly better: "lower" | "higher" | "neither"
  /** How it prints: a share as a percentage, a count whole; by default ms when the label says so, else a number. */
  readonly unit?: "share" | "count"
}

const maxOf = (xs: ReadonlyArray<number>) => xs.reduce((m, x) => Math.max(m, x), 0)

/** The most requests in flight in any bucket while some fault was active (undefined: no faults). */
const faultBacklog = (r: Report): number | undefined => {
  if (r.scenario.faults.length === 0) return undefined
  const bt = r.bucketTimeline, per = bt.everySec * 1000
  let m = 0
  for (const f of r.scenario.faults)
    for (let c = Math.floor(f.atMs / per); c < Math.min(bt.maxBacklog.length, Math.ceil((f.atMs + f.durationMs) / per)); c++) m = Math.max(m, maxOf(bt.maxBacklog[c]))
  return m
}

export const figures: ReadonlyArray<Figure> = [
  { key: "p50", label: "p50 ms", get: (r) => r.latencyMs.p50, better: "lower" },
  { key: "p99", label: "p99 ms", get: (r) => r.latencyMs.p99, better: "lower" },
  { key: "p999", label: "p99.9 ms", get: (r) => r.latencyMs.p999, better: "lower" },
  { key: "max", label: "max ms", get: (r) => r.latencyMs.max, better: "lower" },
  { key: "throughput", label: "throughput /s", get: (r) => r.throughputPerSec, better: "higher", unit: "count" },
  { key: "errorRate", label: "error rate", get: (r) => r.errors.rate, better: "lower", unit: "share" },
  { key: "queueWaitP99", label: "node queue wait p99 ms", get: (r) => r.queueWaitMs.p99, better: "lower" },
  { key: "won", label: "claims won", get: (r) => r.claims.won, better: "higher" },
  { key: "lost", label: "lost after ack", get: (r) => r.claims.lostAcknowledged, better: "lower" },
  { key: "double", label: "double-awarded", get: (r) => r.claims.doubleAwarded, better: "lower" },
  { key: "collisions", label: "collisions", get: (r) => r.claims.collisions, better: "lower" },
  { key: "trips", label: "breaker trips", get: (r) => r.breakers.trips, better: "lower" },
  { key: "maxBacklog", label: "max bucket backlog", get: (r) => maxOf(r.buckets.map((b) => b.maxBacklog)), better: "lower" },
  { key: "faultBacklog", label: "max bucket backlog in faults", get: faultBacklog, better: "lower" },
  // Then each tier's own (src/tiers/).
  ...tiers.flatMap((t) => t.figures)
]

export interface Change {
  readonly key: string
  readonly label: string
  readonly a: number
  readonly b: number
  readonly delta: number
  /** B − A relative to A (null when A is 0). */
  readonly relative: number | null
  /** "changed": it moved, and neither way is better (Figure.better "neither"). */
  readonly verdict: "better" | "worse" | "same" | "changed"
  readonly unit: "share" | "ms" | "count" | "number"
}

/**
 * The figures both reports have, with B − A and whether B is better. Example:
 * `compareReports(before, after).find((c) => c.key === "p99")?.verdict === "better"`.
 */
export const compareReports = (a: Report, b: Report): Array<Change> =>
  figures.flatMap((f) => {
    const va = f.get(a), vb = f.get(b)
    if (va === undefined || vb === undefined) return []
    const delta = vb - va
    const verdict = delta === 0 ? "same" : f.better === "neither" ? "changed" : (delta < 0) === (f.better === "lower") ? "better" : "worse"
    const unit = f.unit ?? (/ ms$/.test(f.label) ? "ms" : "number")
    return [{ key: f.key, label: f.label, a: va, b: vb, delta, relative: va !== 0 ? delta / va : null, verdict, unit }]
  })

/** A figure of a change in its unit: "1.29 %", "0.275" (ms), "12,345". */
export const formatValue = (c: Change, x: number): string => (c.unit === "share" ? percent(x) : c.unit === "ms" ? ms(x) : c.unit === "count" ? count(x) : num(x))

const sign = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "")

/** "+12.5 %", "−3 %", "0 %" or "new" (from 0); three significant digits, so a real change never shows as 0. */
export const formatRelative = (c: Change): string =>
  c.relative === null ? (c.delta === 0 ? "0 %" : "new") : `${sign(c.delta)}${percent(Math.abs(c.relative))}`

/** B − A with its sign, in the figure's unit (a share's in percentage points). */
export const formatDelta = (c: Change): string =>
  `${sign(c.delta)}${c.unit === "share" ? percent(Math.abs(c.delta)).replace(" %", " pp") : formatValue(c, Math.abs(c.delta))}`

/** Any figure without a unit, as src/figures.ts prints a number. */
export { num as formatFigure }
