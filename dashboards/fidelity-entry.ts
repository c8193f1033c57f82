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
/** The figure's line for each run: simulated dashed, live solid, same colour. */
const both = (name: string, color: string, get: (row: Row) => number) =>
  ([["simulated", data.sim], ["live", data.live]] as const).map(([side, r]) => ({
    name: `${side} ${name}`,
    color,
    ...(side === "simulated" ? { dash: "5 3" } : {}),
    points: r.timeline.map((row) => [row.second + 0.5, get(row)] as const)
  }))
lineChart(svg("latency"), [...both("p50", "#2e86c1", (r) => r.p50), ...both("p99", "#c0392b", (r) => r.p99)], bands, "", xMax)
lineChart(svg("throughput"), [...both("requests/s", "#27ae60", (r) => r.requests), ...both("errors/s", "#7f8c8d", (r) => r.errors)], bands, "", xMax)
document.body.dataset.rendered = "true"
