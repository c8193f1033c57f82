// The sim-vs-live page's script (huntbench compare --sim-vs-live --html): the simulated and
// the live run's timelines overlaid — latency p50/p99, requests/s and errors — on the same
// fault bands. Bundled (with d3) into the single HTML file; no network.
import type { Report } from "../src/report.ts"
import { faultBands, lineChart } from "./charts.ts"

const data = JSON.parse(document.getElementById("fidelity-data")?.textContent ?? "{}") as { sim: Report; live: Report }
const svg = (id: string) => document.getElementById(id) as unknown as SVGSVGElement
const bands = faultBands(data.sim.scenario)
const xMax = data.sim.scenario.durationMs / 1000
type Row = Report["timeline"][number]
const series = (r: Report, side: string, name: string, color: string, dash: boolean, get: (row: Row) => number) => ({
  name: `${side} ${name}`,
  color,
  ...(dash ? { dash: "5 3" } : {}),
  points: r.timeline.map((row) => [row.second + 0.5, get(row)] as const)
})
lineChart(svg("latency"), [
  series(data.sim, "simulated", "p50", "#2e86c1", true, (r) => r.p50),
  series(data.live, "live", "p50", "#2e86c1", false, (r) => r.p50),
  series(data.sim, "simulated", "p99", "#c0392b", true, (r) => r.p99),
  series(data.live, "live", "p99", "#c0392b", false, (r) => r.p99)
], bands, "", xMax)
lineChart(svg("throughput"), [
  series(data.sim, "simulated", "requests/s", "#27ae60", true, (r) => r.requests),
  series(data.live, "live", "requests/s", "#27ae60", false, (r) => r.requests),
  series(data.sim, "simulated", "errors/s", "#7f8c8d", true, (r) => r.errors),
  series(data.live, "live", "errors/s", "#7f8c8d", false, (r) => r.errors)
], bands, "", xMax)
document.body.dataset.rendered = "true"
