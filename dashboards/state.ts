// The dashboard's state in one object — what is on screen (a run streaming in, a finished
// run or a loaded report), the run kept as "A", the scrubber's second — and the page's
// element lookups. Every other dashboard module reads and writes this, nothing else.
import type { Report, TimelineRow } from "../src/report.ts"
import type { Band, BucketCell, TimeAxis } from "./charts.ts"

export type Metric = "requests" | "maxBacklog" | "hunters" | "errors" | "streamBacklog" | "breakerOpen"
export type Columns = Record<Metric, Array<ArrayLike<number>>>

/** No per-bucket columns yet. Example: `ui.columns = emptyColumns()` when a run starts. */
export const emptyColumns = (): Columns => ({ requests: [], errors: [], maxBacklog: [], hunters: [], streamBacklog: [], breakerOpen: [] })

export const ui = {
  /** Timeline rows on screen, and the fault windows drawn as bands over every time axis. */
  rows: [] as Array<TimelineRow>,
  bands: [] as Array<Band>,
  durationS: 0,
  /** Buckets (map cells) and their per-column figures for the map and heat map. */
  cells: [] as ReadonlyArray<BucketCell>,
  everySec: 1,
  columns: emptyColumns(),
  /** The finished run (or loaded report) on screen, and the one kept as "A" to compare with. */
  report: undefined as Report | undefined,
  reportA: undefined as Report | undefined,
  /** The scrubber's second, or undefined (live view / whole run). */
  cursor: undefined as number | undefined,
  running: false,
  /** Frames drawn while a run streamed in (the browser test counts them). */
  frames: 0,
  /** Each time chart's axis as last drawn, for hover look-ups. */
  axes: {} as Record<string, TimeAxis>
}

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
export const svgById = (id: string) => document.getElementById(id) as unknown as SVGSVGElement
export const status = $<HTMLSpanElement>("status")

/** The timeline row of `second` (clamped to the run). */
export const rowAt = (second: number): TimelineRow | undefined => ui.rows[Math.max(0, Math.min(ui.rows.length - 1, Math.floor(second)))]
/** The per-bucket column holding `second`. */
export const columnAt = (second: number) => Math.min(ui.columns.requests.length - 1, Math.floor(second / ui.everySec))
