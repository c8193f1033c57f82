// The views: the three time charts (latency, throughput with errors by kind, breakers with
// requests in flight), the bucket map and the time × bucket heat map, redrawn at most once
// a frame; the summary and the lost / double-awarded / collision counters.
import { count, ms, percent } from "../src/figures.ts"
import { losesStateKind } from "../src/faults.ts"
import type { Report, TimelineRow } from "../src/report.ts"
import { bucketMap, bucketRunLine, errorSeries, heatmap, lineChart } from "./charts.ts"
import { $, columnAt, svgById, ui, type Metric } from "./state.ts"

const latencySvg = svgById("latency")
const throughputSvg = svgById("throughput")
const breakersSvg = svgById("breakers")
const mapSvg = svgById("map")
const heatSvg = svgById("heat")
const mapMetric = $<HTMLSelectElement>("map-metric")
export const heatMetric = $<HTMLSelectElement>("heat-metric")
const mapWhen = $<HTMLSpanElement>("map-when")
const counters = $<HTMLDivElement>("counters")
const summary = $<HTMLDivElement>("summary")
const checker = $<HTMLUListElement>("checker")

const x = (r: TimelineRow) => r.second + 0.5 // the middle of its one-second window

/** Per-bucket values for the map: at the scrubbed second, the newest column while running, else the whole run. */
const mapValues = (metric: Metric): { values: ArrayLike<number>; when: string } => {
  const cols = ui.columns[metric]
  if (ui.cursor !== undefined && cols.length > 0) {
    const c = columnAt(ui.cursor)
    return { values: cols[c], when: `at ${c * ui.everySec}–${(c + 1) * ui.everySec} s` }
  }
  if (ui.running || !ui.report) return cols.length > 0 ? { values: cols[cols.length - 1], when: "now" } : { values: [], when: "" }
  const b = ui.report.buckets
  const values = b.map((x) =>
    metric === "requests" ? x.requests : metric === "errors" ? x.errors : metric === "maxBacklog" ? x.maxBacklog : metric === "streamBacklog" ? (x.stream?.maxBacklog ?? 0) : metric === "breakerOpen" ? x.breakerTrips : (x.hunters ?? 0)
  )
  return { values, when: metric === "hunters" ? "at the end" : metric === "breakerOpen" ? "whole run (trips)" : "whole run" }
}

const bucketDetail = (b: number): Array<string> => {
  const out: Array<string> = []
  const cols = ui.columns
  if (ui.cursor !== undefined && cols.requests.length > 0) {
    const c = columnAt(ui.cursor)
    out.push(
      `at ${c * ui.everySec} s: ${cols.requests[c][b]} requests, ${cols.errors[c][b]} errors, backlog ≤ ${cols.maxBacklog[c][b]}` +
        (cols.hunters.length > 0 ? `, ${cols.hunters[c][b]} hunters` : "") +
        (cols.breakerOpen[c]?.[b] ? ", breaker open" : "")
    )
  }
  const r = ui.report?.buckets[b]
  if (r) out.push(bucketRunLine(r))
  return out
}

let pending = false

/** Draw every view now. */
export const draw = () => {
  pending = false
  if (ui.running) ui.frames++
  const a = ui.reportA && ui.report !== ui.reportA ? ui.reportA : undefined
  const rows = ui.rows, bands = ui.bands, durationS = ui.durationS, cursor = ui.cursor
  ui.axes.latency = lineChart(latencySvg, [
    ...(a ? [{ name: "A p99", color: "#7f8c8d", dash: "4 3", points: a.timeline.map((r) => [x(r), r.p99] as const) }] : []),
    { name: "p50", color: "#2e86c1", points: rows.map((r) => [x(r), r.p50] as const) },
    { name: "p99", color: "#c0392b", points: rows.map((r) => [x(r), r.p99] as const) }
  ], bands, "", durationS, cursor)
  ui.axes.throughput = lineChart(throughputSvg, [
    ...(a ? [{ name: "A requests/s", color: "#7f8c8d", dash: "4 3", points: a.timeline.map((r) => [x(r), r.requests] as const) }] : []),
    { name: "requests/s", color: "#27ae60", points: rows.map((r) => [x(r), r.requests] as const) },
    ...errorSeries(rows)
  ], bands, "", durationS, cursor)
  ui.axes.breakers = lineChart(breakersSvg, [
    ...(a ? [{ name: "A open", color: "#7f8c8d", dash: "4 3", points: a.timeline.map((r) => [x(r), r.breakersOpen] as const) }] : []),
    { name: "open breakers", color: "#8e44ad", points: rows.map((r) => [x(r), r.breakersOpen] as const) },
    { name: "in flight", color: "#d35400", points: rows.map((r) => [x(r), r.backlog] as const) }
  ], bands, "", durationS, cursor)
  const metric = mapMetric.value as Metric
  const mv = mapValues(metric)
  mapWhen.textContent = mv.when
  bucketMap(mapSvg, ui.cells, mv.values, mapMetric.selectedOptions[0]?.textContent ?? metric, bucketDetail)
  const hm = heatMetric.value as Metric
  ui.axes.heat = heatmap(heatSvg, ui.columns[hm], ui.cells.length, ui.everySec, bands, durationS, heatMetric.selectedOptions[0]?.textContent ?? hm, cursor)
}

/** Draw at the next frame (at most once per frame however often it is asked). */
export const scheduleDraw = () => {
  if (!pending) {
    pending = true
    requestAnimationFrame(draw)
  }
}
mapMetric.addEventListener("change", scheduleDraw)
heatMetric.addEventListener("change", scheduleDraw)

const item = (label: string, value: string, id: string) => {
  const d = document.createElement("div")
  d.append(`${label}: `)
  const s = document.createElement("span")
  s.dataset.testid = id
  s.textContent = value
  d.append(s)
  return d
}

export const showCounters = (lost: number, double: number, collisions: number) =>
  counters.replaceChildren(item("lost after ack", String(lost), "count-lost"), item("double-awarded", String(double), "count-double"), item("collisions", String(collisions), "count-collisions"))

/** The headline figures of a finished run or loaded report, printed as the CLI prints them (src/figures.ts). */
export const showSummary = (r: Report) => {
  summary.replaceChildren(
    item("requests", count(r.requests), "sum-requests"),
    item("p50 ms", ms(r.latencyMs.p50), "sum-p50"),
    item("p99 ms", ms(r.latencyMs.p99), "sum-p99"),
    item("max ms", ms(r.latencyMs.max), "sum-max"),
    item("error rate", percent(r.errors.rate), "sum-error-rate"),
    item("unfinished", count(r.unfinished.total), "sum-unfinished"),
    item("claims won", count(r.claims.won), "sum-won"),
    item("lost after ack", count(r.claims.lostAcknowledged), "sum-lost"),
    item("double-awarded", count(r.claims.doubleAwarded), "sum-double"),
    item("breaker trips", count(r.breakers.trips), "sum-trips"),
    item("SLO", r.slo.pass ? "PASS" : "FAIL", "sum-slo"),
    item("scenario", r.scenario.name, "sum-name"),
    item("seed", String(r.seed), "sum-seed")
  )
  showCounters(r.claims.lostAcknowledged, r.claims.doubleAwarded, r.claims.collisions)
  showChecker(r)
}

const line = (text: string, id: string, violated = false) => {
  const li = document.createElement("li")
  li.dataset.testid = id
  li.textContent = text
  if (violated) li.className = "violated"
  return li
}

/**
 * What the checker found (the CLI's Faults and Invariants sections): each fault's window and,
 * for the kinds that lose state, the writes it lost; each invariant, ok or violated, with
 * how many of its findings a fault window explains.
 */
export const showChecker = (r: Report) =>
  checker.replaceChildren(
    line(`applied, not acknowledged: ${r.claims.appliedUnacknowledged}`, "checker-applied"),
    ...r.faults.map((f) =>
      line(
        `fault #${f.index} ${f.kind} on node ${f.target}, ${f.atMs / 1000}–${(f.atMs + f.durationMs) / 1000} s` +
          (losesStateKind(f.kind) ? `: ${f.lostWrites} writes lost (${f.lostAcknowledged} acknowledged)` : ""),
        `checker-fault-${f.index}`
      )
    ),
    ...r.invariants.map((i) =>
      line(
        `${i.name}: ${i.ok ? `ok${i.attributed > 0 ? ` (${i.attributed} attributed to faults)` : ""}` : `VIOLATED ×${i.violations}: ${i.examples[0]?.detail ?? ""}`}`,
        `checker-invariant-${i.name}`,
        !i.ok
      )
    )
  )

/** Clear the summary while a run streams in. */
export const clearSummary = () => {
  summary.replaceChildren()
  checker.replaceChildren()
}
