// The dashboard page: pick or edit a scenario (validated by the same Schema as the CLI; an
// invalid field is shown next to it and Run is disabled), run it in a Web Worker, and
// watch latency and throughput update as the hunt unfolds. Every value from a scenario or
// report is set as text, never as HTML.
import { Cause, Effect, Exit } from "effect"
import { presetNames, presets } from "../src/presets.ts"
import type { Report } from "../src/report.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../src/scenario.ts"
import type { TimelineRow } from "../sim/driver.ts"
import { lineChart, type Band } from "./charts.ts"
import type { FromWorker } from "./worker.ts"

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const presetSel = $<HTMLSelectElement>("preset")
const json = $<HTMLTextAreaElement>("json")
const jsonError = $<HTMLDivElement>("json-error")
const runBtn = $<HTMLButtonElement>("run")
const status = $<HTMLSpanElement>("status")
const summary = $<HTMLDivElement>("summary")
const latencySvg = document.getElementById("latency") as unknown as SVGSVGElement
const throughputSvg = document.getElementById("throughput") as unknown as SVGSVGElement
const fieldInputs = [...document.querySelectorAll<HTMLInputElement>("input[data-field]")]

for (const name of presetNames()) {
  const o = document.createElement("option")
  o.value = name
  o.textContent = name
  presetSel.append(o)
}

let decoded: Scenario | undefined

const getPath = (o: unknown, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o)
const setPath = (o: Record<string, unknown>, path: string, value: unknown) => {
  const keys = path.split(".")
  let cur = o
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>
  cur[keys[keys.length - 1]] = value
}

/** Validate the editor's JSON with the scenario Schema; show the error next to its field. */
const validate = () => {
  for (const el of document.querySelectorAll("[data-error-for]")) el.textContent = ""
  for (const el of fieldInputs) el.classList.remove("invalid")
  jsonError.textContent = ""
  json.classList.remove("invalid")
  let input: unknown
  try {
    input = JSON.parse(json.value)
  } catch (e) {
    decoded = undefined
    jsonError.textContent = `(root): not valid JSON: ${(e as Error).message}`
    json.classList.add("invalid")
    runBtn.disabled = true
    return
  }
  for (const el of fieldInputs) {
    const v = getPath(input, el.dataset.field ?? "")
    if (document.activeElement !== el) el.value = v === undefined ? "" : String(v)
  }
  const exit = Effect.runSyncExit(decodeScenario(input))
  if (Exit.isSuccess(exit)) {
    decoded = exit.value
    runBtn.disabled = false
    return
  }
  decoded = undefined
  runBtn.disabled = true
  const err = Cause.squash(exit.cause)
  const field = err instanceof ScenarioError ? err.field : "(root)"
  const message = err instanceof ScenarioError ? err.message : String(err)
  const slot = document.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`)
  const input2 = fieldInputs.find((f) => f.dataset.field === field)
  if (slot && input2) {
    slot.textContent = message
    input2.classList.add("invalid")
  } else {
    jsonError.textContent = `${field}: ${message}`
    json.classList.add("invalid")
  }
}

const loadPreset = (name: string) => {
  json.value = JSON.stringify(presets[name], null, 2)
  validate()
}

presetSel.addEventListener("change", () => loadPreset(presetSel.value))
json.addEventListener("input", validate)
for (const el of fieldInputs) {
  el.addEventListener("input", () => {
    let obj: Record<string, unknown>
    try {
      obj = JSON.parse(json.value) as Record<string, unknown>
    } catch {
      return
    }
    const n = Number(el.value)
    setPath(obj, el.dataset.field ?? "", el.value.trim() === "" || Number.isNaN(n) ? el.value : n)
    json.value = JSON.stringify(obj, null, 2)
    validate()
  })
}

// ---- running and drawing -------------------------------------------------------------
let rows: Array<TimelineRow> = []
let bands: Array<Band> = []
let durationS = 0
let pending = false

const draw = () => {
  pending = false
  const x = (r: TimelineRow) => r.second + 0.5 // the middle of its one-second window
  lineChart(latencySvg, [
    { name: "p50", color: "#2e86c1", points: rows.map((r) => [x(r), r.p50] as const) },
    { name: "p99", color: "#c0392b", points: rows.map((r) => [x(r), r.p99] as const) }
  ], bands, "", durationS)
  lineChart(throughputSvg, [
    { name: "requests/s", color: "#27ae60", points: rows.map((r) => [x(r), r.requests] as const) },
    { name: "errors/s", color: "#c0392b", points: rows.map((r) => [x(r), r.errors] as const) }
  ], bands, "", durationS)
}
const scheduleDraw = () => {
  if (!pending) {
    pending = true
    requestAnimationFrame(draw)
  }
}

const item = (label: string, value: string, id: string) => {
  const d = document.createElement("div")
  d.append(`${label}: `)
  const s = document.createElement("span")
  s.dataset.testid = id
  s.textContent = value
  d.append(s)
  return d
}

const showSummary = (r: Report) => {
  summary.replaceChildren(
    item("requests", String(r.requests), "sum-requests"),
    item("p50 ms", String(r.latencyMs.p50), "sum-p50"),
    item("p99 ms", String(r.latencyMs.p99), "sum-p99"),
    item("max ms", String(r.latencyMs.max), "sum-max"),
    item("error rate", String(r.errors.rate), "sum-error-rate"),
    item("claims won", String(r.claims.won), "sum-won"),
    item("lost after ack", String(r.claims.lostAcknowledged), "sum-lost"),
    item("double-awarded", String(r.claims.doubleAwarded), "sum-double"),
    item("breaker trips", String(r.breakers.trips), "sum-trips"),
    item("SLO", r.slo.pass ? "PASS" : "FAIL", "sum-slo"),
    item("scenario", r.scenario.name, "sum-name"),
    item("seed", String(r.seed), "sum-seed")
  )
}

// One worker for the page's life, started now so its modules are loaded before Run; a
// new run supersedes the one in progress.
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })
runBtn.addEventListener("click", () => {
  if (!decoded) return
  rows = []
  durationS = decoded.durationMs / 1000
  bands = decoded.faults.map((f, i) => ({ from: f.atMs / 1000, to: (f.atMs + f.durationMs) / 1000, label: `#${i} ${f.kind} on node ${f.target}` }))
  summary.replaceChildren()
  status.textContent = "running 0 %"
  runBtn.disabled = true
  const started = performance.now()
  let firstFrameMs = -1
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data
    if (m.type === "progress") {
      rows.push(...(m.rows as Array<TimelineRow>))
      if (firstFrameMs < 0 && rows.length > 0) firstFrameMs = performance.now() - started
      status.textContent = `running ${Math.floor((m.virtualMs / m.durationMs) * 100)} %`
      scheduleDraw()
    } else if (m.type === "done") {
      showSummary(m.report as Report)
      status.textContent = "done"
      status.dataset.wallMs = String(Math.round(performance.now() - started))
      status.dataset.firstFrameMs = String(Math.round(firstFrameMs))
      runBtn.disabled = false
      draw()
    } else {
      status.textContent = `error: ${m.field}: ${m.message}`
      runBtn.disabled = false
    }
  }
  worker.onerror = (e) => {
    status.textContent = `error: the simulation worker failed: ${e.message || "could not load"}`
    runBtn.disabled = false
  }
  worker.postMessage({ type: "run", input: JSON.parse(json.value), source: presetSel.value })
})

// ---- loading a report file -------------------------------------------------------------
const loadInput = $<HTMLInputElement>("load")
const loadError = $<HTMLDivElement>("load-error")

/** Show a report produced by the CLI: its summary and charts; every value as text. */
const showReport = (r: Report) => {
  rows = [...r.timeline]
  durationS = r.scenario.durationMs / 1000
  bands = r.scenario.faults.map((f, i) => ({ from: f.atMs / 1000, to: (f.atMs + f.durationMs) / 1000, label: `#${i} ${f.kind} on node ${f.target}` }))
  showSummary(r)
  status.textContent = `report: ${r.scenario.name}`
  draw()
}

const isReport = (x: unknown): x is Report => {
  const r = x as Partial<Report> | null
  return !!r && typeof r === "object" && Array.isArray(r.timeline) && !!r.scenario && !!r.latencyMs && !!r.claims && Array.isArray(r.scenario.faults)
}

loadInput.addEventListener("change", async () => {
  loadError.textContent = ""
  const file = loadInput.files?.[0]
  if (!file) return
  try {
    const data: unknown = JSON.parse(await file.text())
    if (!isReport(data)) throw new Error("not a huntbench report (expected timeline, scenario, latencyMs, claims)")
    showReport(data)
  } catch (e) {
    loadError.textContent = `${file.name}: ${(e as Error).message}`
  }
})

// ---- exporting charts --------------------------------------------------------------------
const download = (name: string, blob: Blob) => {
  const a = document.createElement("a")
  a.href = URL.createObjectURL(blob)
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

/** The chart as a standalone SVG document (dimensions and font inlined). */
const svgText = (svg: SVGSVGElement): string => {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const { width, height } = svg.getBoundingClientRect()
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg")
  copy.setAttribute("width", String(Math.round(width)))
  copy.setAttribute("height", String(Math.round(height)))
  copy.setAttribute("font-family", "sans-serif")
  return new XMLSerializer().serializeToString(copy)
}

for (const btn of document.querySelectorAll<HTMLButtonElement>("button.export")) {
  btn.addEventListener("click", () => {
    const id = btn.dataset.chart ?? ""
    const svg = document.getElementById(id) as unknown as SVGSVGElement
    const text = svgText(svg)
    if (btn.dataset.format === "svg") return download(`huntbench-${id}.svg`, new Blob([text], { type: "image/svg+xml" }))
    const img = new Image()
    img.onload = () => {
      const canvas = document.createElement("canvas")
      canvas.width = img.width * 2
      canvas.height = img.height * 2
      const ctx = canvas.getContext("2d")
      if (!ctx) return
      ctx.fillStyle = "#fff"
      ctx.fillRect(0, 0, canvas.width, canvas.height)
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
      canvas.toBlob((b) => b && download(`huntbench-${id}.png`, b), "image/png")
    }
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`
  })
}

loadPreset("small")
presetSel.value = "small"
