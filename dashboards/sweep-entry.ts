// The sweep HTML page's script: reads the sweep embedded in the page and draws its chart
// with the dashboard's chart code. Bundled (with d3) into the single file; no network.
import { sweepChart, type SweepPoint } from "./charts.ts"

const data = JSON.parse(document.getElementById("sweep-data")?.textContent ?? "{}") as { sloP99Ms: number; rows: Array<SweepPoint> }
sweepChart(document.getElementById("sweep") as unknown as SVGSVGElement, data.rows, data.sloP99Ms)
document.body.dataset.rendered = "true"
