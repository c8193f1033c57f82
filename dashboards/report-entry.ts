// The offline HTML report's script: reads the report embedded in the page and draws the
// same charts as the dashboard. Bundled (with d3) into the single HTML file; no network.
import { lineChart } from "./charts.ts"

interface Row { second: number; p50: number; p99: number; requests: number; errors: number }
interface Fault { kind: string; atMs: number; durationMs: number; target: number }

const data = JSON.parse(document.getElementById("report-data")?.textContent ?? "{}") as {
  timeline: Array<Row>
  scenario: { durationMs: number; faults: Array<Fault> }
}
const x = (r: Row) => r.second + 0.5
const bands = data.scenario.faults.map((f, i) => ({ from: f.atMs / 1000, to: (f.atMs + f.durationMs) / 1000, label: `#${i} ${f.kind} on node ${f.target}` }))
const xMax = data.scenario.durationMs / 1000
lineChart(document.getElementById("latency") as unknown as SVGSVGElement, [
  { name: "p50", color: "#2e86c1", points: data.timeline.map((r) => [x(r), r.p50] as const) },
  { name: "p99", color: "#c0392b", points: data.timeline.map((r) => [x(r), r.p99] as const) }
], bands, "", xMax)
lineChart(document.getElementById("throughput") as unknown as SVGSVGElement, [
  { name: "requests/s", color: "#27ae60", points: data.timeline.map((r) => [x(r), r.requests] as const) },
  { name: "errors/s", color: "#c0392b", points: data.timeline.map((r) => [x(r), r.errors] as const) }
], bands, "", xMax)
document.body.dataset.rendered = "true"
