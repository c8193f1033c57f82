/**
 * The offline HTML report: one self-contained file — the report as JSON, the summary as
 * text, and the dashboard's chart code (with d3) bundled inline. No network, no server.
 */
import { fileURLToPath } from "node:url"
import { build } from "vite"
import type { Report } from "../../src/report.ts"

let bundle: Promise<string> | undefined

/** The chart script, built once per process from dashboards/report-entry.ts. */
const chartScript = (): Promise<string> =>
  (bundle ??= build({
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      minify: true,
      lib: { entry: fileURLToPath(new URL("../../dashboards/report-entry.ts", import.meta.url)), formats: ["iife"], name: "HuntbenchReport" }
    }
  }).then((out) => {
    const outputs = Array.isArray(out) ? out : [out]
    const chunk = (outputs[0] as { output: Array<{ type: string; code?: string }> }).output.find((o) => o.type === "chunk")
    if (!chunk?.code) throw new Error("building the report's chart script produced no code")
    return chunk.code
  }))

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
// Inside <script type="application/json">, only "</" (and U+2028/9 for old parsers) matter.
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")
// A script body must not contain "</script".
const scriptBody = (code: string) => code.replace(/<\/script/gi, "<\\/script")

/** Render the report as a standalone HTML page. Example: `writeFileSync(f, await reportHtml(r))`. */
export const reportHtml = async (r: Report): Promise<string> => {
  const code = await chartScript()
  const rows: Array<[string, string]> = [
    ["scenario", r.scenario.name],
    ["mode / target", `${r.mode} / ${r.target}`],
    ["requests", `${r.requests} (${r.throughputPerSec}/s)`],
    ["latency p50 / p99 / max (ms)", `${r.latencyMs.p50} / ${r.latencyMs.p99} / ${r.latencyMs.max}`],
    ["error rate", `${(r.errors.rate * 100).toFixed(3)} %`],
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
