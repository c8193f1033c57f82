// A report on screen — a run that finished in the worker, or a file the CLI wrote: summary,
// charts, map and heat map, the scrubber and the A/B table. Every value as text.
import type { Report } from "../src/report.ts"
import { keepA, showCompare } from "./ab.ts"
import { faultBands } from "./charts.ts"
import { enableReplay, setCursor } from "./scrubber.ts"
import { status, ui } from "./state.ts"
import { draw, showSummary } from "./views.ts"

/** A finished run's report is on screen: summary, replay, compare. */
export const settle = (r: Report) => {
  ui.report = r
  ui.running = false
  showSummary(r)
  keepA.disabled = false
  enableReplay(ui.rows.length > 0)
  setCursor(undefined)
  showCompare()
  draw()
}

/** Show a report read from a file (already decoded through the Report Schema). */
export const showReport = (r: Report) => {
  ui.rows = [...r.timeline]
  ui.durationS = r.scenario.durationMs / 1000
  ui.bands = faultBands(r.scenario)
  ui.cells = r.buckets.map((b) => ({ bucket: b.bucket, node: b.node, ...(b.name !== undefined ? { name: String(b.name) } : {}), ...(b.bounds ? { bounds: b.bounds } : {}) }))
  const bt = r.bucketTimeline
  ui.everySec = bt.everySec
  ui.columns = { requests: [...bt.requests], errors: [...bt.errors], maxBacklog: [...bt.maxBacklog], hunters: [...bt.hunters], streamBacklog: [...(bt.streamBacklog ?? [])], breakerOpen: [...bt.breakerOpen] }
  status.textContent = `report: ${r.scenario.name}`
  settle(r)
}
