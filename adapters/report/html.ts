/**
 * The offline HTML report: one self-contained file — the report as JSON, the summary as
 * text, and the dashboard's chart code (with d3) bundled inline. No network, no server.
 */
import { fileURLToPath } from "node:url"
import { packageFile } from "../package-files.ts"
import { formatFigure } from "../../src/compare.ts"
import { ms, num, percent } from "../../src/figures.ts"
import { formatRatio, type FidelityRow } from "../../src/fidelity.ts"
import type { Report } from "../../src/report.ts"

const bundles = new Map<string, Promise<string>>()

/** A page script bundled (with d3) from a dashboards/ entry, built once per process. */
const pageScript = (entry: string): Promise<string> => {
  let b = bundles.get(entry)
  if (b === undefined) {
    b = import("vite").then(({ build }) => build({
      configFile: false,
      logLevel: "silent",
      build: {
        write: false,
        minify: true,
        lib: { entry: fileURLToPath(packageFile(`dashboards/${entry}`)), formats: ["iife"], name: "HuntbenchReport" }
      }
    })).then((out) => {
      const outputs = Array.isArray(out) ? out : [out]
      const chunk = (outputs[0] as { output: Array<{ type: string; code?: string }> }).output.find((o) => o.type === "chunk")
      if (!chunk?.code) throw new Error(`building ${entry} produced no code`)
      return chunk.code
    })
    bundles.set(entry, b)
  }
  return b
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
// Inside <script type="application/json">, only "</" (and U+2028/9 for old parsers) matter.
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")
// A script body must not contain "</script".
const scriptBody = (code: string) => code.replace(/<\/script/gi, "<\\/script")

/** Render the report as a standalone HTML page. Example: `writeFileSync(f, await reportHtml(r))`. */
export const reportHtml = async (r: Report): Promise<string> => {
  const code = await pageScript("report-entry.ts")
  const rows: Array<[string, string]> = [
    ["scenario", r.scenario.name],
    ["mode / target", `${r.mode} / ${r.target}`],
    ["requests", `${num(r.requests)} (${num(r.throughputPerSec)}/s)`],
    ["latency p50 / p99 / max (ms)", `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p99)} / ${ms(r.latencyMs.max)}`],
    ["error rate", percent(r.errors.rate)],
    ["claims won / lost after ack / double-awarded", `${r.claims.won} / ${r.claims.lostAcknowledged} / ${r.claims.doubleAwarded}`],
    ["breaker trips", String(r.breakers.trips)],
    ["invariants", r.invariants.map((i) => `${i.name} ${i.ok ? "ok" : "VIOLATED"}`).join(", ")],
    ["SLO", r.slo.pass ? "PASS" : `FAIL: ${r.slo.breaches.join("; ")}`],
    ["replay", r.replay]
  ]
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>huntbench report — ${esc(r.scenario.name)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>body{font:14px system-ui,sans-serif;margin:1rem 2rem;color:#222}table{border-collapse:collapse}td{padding:.15rem .8rem .15rem 0;vertical-align:top}svg{width:100%;max-width:1000px;height:220px;display:block}</style>
</head><body>
<h1>huntbench report — ${esc(r.scenario.name)}</h1>
<table>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join("")}</table>
<h2>Latency (ms)</h2><svg id="latency"></svg>
<h2>Throughput (requests/s) and errors</h2><svg id="throughput"></svg>
<h2>Open breakers and requests in flight</h2><svg id="breakers" style="height:140px"></svg>
<h2>Bucket map (requests over the run)</h2><svg id="map" style="height:320px"></svg>
<h2>Time × bucket (max backlog)</h2><svg id="heat" style="height:320px"></svg>
<script type="application/json" id="report-data">${jsonForScript(r)}</script>
<script>${scriptBody(code)}</script>
</body></html>
`
}

/** One configuration of a sweep as its HTML page shows it. */
export interface SweepPageRow {
  readonly label: string
  readonly p99: { readonly median: number; readonly min: number; readonly max: number }
  readonly errorRate: { readonly median: number; readonly max: number }
  readonly maxBacklog: number
  readonly passed: number
  readonly seeds: number
  readonly recommended: boolean
}

/**
 * A sweep as a standalone HTML page: the table and a chart of p99 per configuration (median,
 * min–max over seeds) against the SLO, the recommended configuration marked. Same rules as
 * `reportHtml`: data in a JSON script block, labels as text, no network.
 */
export const sweepHtml = async (doc: { readonly title: string; readonly sloP99Ms: number; readonly recommendation: string; readonly rows: ReadonlyArray<SweepPageRow> }): Promise<string> => {
  const code = await pageScript("sweep-entry.ts")
  const head = ["configuration", "p99 ms median (min–max)", "errors (max)", "max backlog", "SLO met", ""]
  const body = doc.rows.map((r) => [
    r.label,
    `${ms(r.p99.median)} (${ms(r.p99.min)}–${ms(r.p99.max)})`,
    `${percent(r.errorRate.median)} (${percent(r.errorRate.max)})`,
    String(r.maxBacklog),
    `${r.passed}/${r.seeds}`,
    r.recommended ? "recommended" : ""
  ])
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>huntbench sweep — ${esc(doc.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:1rem 2rem;color:#222}table{border-collapse:collapse}td,th{padding:.15rem .8rem .15rem 0;text-align:left}svg{width:100%;max-width:1000px;height:320px;display:block}</style>
</head><body>
<h1>huntbench sweep — ${esc(doc.title)}</h1>
<p>${esc(doc.recommendation)}</p>
<h2>p99 per configuration (median, min–max over seeds) and the SLO</h2><svg id="sweep"></svg>
<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>${body.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</table>
<script type="application/json" id="sweep-data">${jsonForScript(doc)}</script>
<script>${scriptBody(code)}</script>
</body></html>
`
}

/**
 * A simulated run beside a live one (`compare --sim-vs-live --html`): the side-by-side
 * rows as a table and the two timelines overlaid (dashed: simulated). Same rules as
 * `reportHtml`: data in a JSON script block, labels as text, no network.
 */
export const fidelityHtml = async (doc: { readonly sim: Report; readonly live: Report; readonly rows: ReadonlyArray<FidelityRow> }): Promise<string> => {
  const code = await pageScript("fidelity-entry.ts")
  const title = `${doc.sim.scenario.name}: simulated beside live on ${doc.live.target}`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>huntbench — ${esc(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:1rem 2rem;color:#222}table{border-collapse:collapse}td,th{padding:.15rem .8rem .15rem 0;text-align:right}td:first-child,th:first-child{text-align:left}svg{width:100%;max-width:1000px;height:240px;display:block}</style>
</head><body>
<h1>huntbench — ${esc(title)}</h1>
<p>Seed ${doc.sim.seed}, the same fault timeline in both; dashed lines are the simulation.</p>
<h2>Latency (ms)</h2><svg id="latency"></svg>
<h2>Requests and errors per second</h2><svg id="throughput"></svg>
<h2>Figures</h2>
<table id="rows"><tr><th>figure</th><th>simulated</th><th>live</th><th>live ÷ sim</th></tr>${doc.rows
    .map((r) => `<tr><td>${esc(r.label)}</td><td>${formatFigure(r.sim)}</td><td>${formatFigure(r.live)}</td><td>${formatRatio(r)}</td></tr>`)
    .join("")}</table>
<script type="application/json" id="fidelity-data">${jsonForScript({ sim: doc.sim, live: doc.live })}</script>
<script>${scriptBody(code)}</script>
</body></html>
`
}
