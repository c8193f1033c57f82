// The offline HTML report's script: reads the report embedded in the page and draws the
// same charts as the dashboard (latency, throughput, breakers, bucket map, time × bucket
// heat map). Bundled (with d3) into the single HTML file; no network.
import type { Report } from "../src/report.ts"
import { bucketMap, bucketRunLine, errorSeries, faultBands, heatmap, lineChart } from "./charts.ts"

const data = JSON.parse(document.getElementById("report-data")?.textContent ?? "{}") as Report
const svg = (id: string) => document.getElementById(id) as unknown as SVGSVGElement
const rows = data.timeline
const x = (r: (typeof rows)[number]) => r.second + 0.5
const bands = faultBands(data.scenario)
const xMax = data.scenario.durationMs / 1000
lineChart(svg("latency"), [
  { name: "p50", color: "#2e86c1", points: rows.map((r) => [x(r), r.p50] as const) },
  { name: "p99", color: "#c0392b", points: rows.map((r) => [x(r), r.p99] as const) }
], bands, "", xMax)
lineChart(svg("throughput"), [
  { name: "requests/s", color: "#27ae60", points: rows.map((r) => [x(r), r.requests] as const) },
  ...errorSeries(rows)
], bands, "", xMax)
lineChart(svg("breakers"), [
  { name: "open breakers", color: "#8e44ad", points: rows.map((r) => [x(r), r.breakersOpen] as const) },
  { name: "in flight", color: "#d35400", points: rows.map((r) => [x(r), r.backlog] as const) }
], bands, "", xMax)
const buckets = data.buckets
bucketMap(svg("map"), buckets, buckets.map((b) => b.requests), "requests", (b) => [bucketRunLine(buckets[b])])
const bt = data.bucketTimeline
heatmap(svg("heat"), bt.maxBacklog, buckets.length, bt.everySec, bands, xMax, "max backlog")
document.body.dataset.rendered = "true"
