// The dashboard page: pick or edit a scenario (validated by the same Schema as the CLI; an
// invalid field is shown next to it and Run is disabled), run it in a Web Worker, and
// watch latency, throughput, breakers, the bucket map and the time × bucket heat map update
// as the hunt unfolds; then replay it with the scrubber, hover for exact values, and compare
// it with a run kept as "A". Every value from a scenario or report is set as text, never as
// HTML.
import { Cause, Effect, Exit } from "effect"
import { presetNames, presets } from "../src/presets.ts"
import { decodeReport, type Report, type ReportError } from "../src/report.ts"
import { compareReports, formatDelta, formatFigure, formatRelative } from "../src/compare.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../src/scenario.ts"
import type { TimelineRow } from "../src/report.ts"
import { bucketMap, bucketRunLine, errorSeries, faultBands, heatmap, lineChart, type Band, type BucketCell, type TimeAxis } from "./charts.ts"
import type { FromWorker } from "./worker.ts"

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const presetSel = $<HTMLSelectElement>("preset")
const json = $<HTMLTextAreaElement>("json")
const jsonError = $<HTMLDivElement>("json-error")
const runBtn = $<HTMLButtonElement>("run")
const status = $<HTMLSpanElement>("status")
const summary = $<HTMLDivElement>("summary")
const svgById = (id: string) => document.getElementById(id) as unknown as SVGSVGElement
const latencySvg = svgById("latency")
const throughputSvg = svgById("throughput")
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

// ---- state and drawing ---------------------------------------------------------------
type Metric = "requests" | "maxBacklog" | "hunters" | "errors" | "streamBacklog" | "breakerOpen"
type Columns = Record<Metric, Array<ArrayLike<number>>>

let rows: Array<TimelineRow> = []
let bands: Array<Band> = []
let durationS = 0
let cells: ReadonlyArray<BucketCell> = []
let everySec = 1
let columns: Columns = { requests: [], errors: [], maxBacklog: [], hunters: [], streamBacklog: [], breakerOpen: [] }
/** The finished run (or loaded report) on screen, and the one kept as "A" to compare with. */
let report: Report | undefined
let reportA: Report | undefined
/** The scrubber's second, or undefined (live view / whole run). */
let cursor: number | undefined
let running = false
let pending = false

const breakersSvg = svgById("breakers")
const mapSvg = svgById("map")
const heatSvg = svgById("heat")
const mapMetric = $<HTMLSelectElement>("map-metric")
const heatMetric = $<HTMLSelectElement>("heat-metric")
const mapWhen = $<HTMLSpanElement>("map-when")
const counters = $<HTMLDivElement>("counters")
const scrub = $<HTMLInputElement>("scrub")
const scrubReadout = $<HTMLSpanElement>("scrub-readout")
const playBtn = $<HTMLButtonElement>("play")
const keepA = $<HTMLButtonElement>("keep-a")
const clearA = $<HTMLButtonElement>("clear-a")
const aLabel = $<HTMLSpanElement>("a-label")
const compareTable = $<HTMLTableElement>("compare")
const tooltip = $<HTMLDivElement>("tooltip")

const x = (r: TimelineRow) => r.second + 0.5 // the middle of its one-second window
const axes: Record<string, TimeAxis> = {}
const rowAt = (second: number): TimelineRow | undefined => rows[Math.max(0, Math.min(rows.length - 1, Math.floor(second)))]
const columnAt = (second: number) => Math.min(columns.requests.length - 1, Math.floor(second / everySec))

/** Per-bucket values for the map: at the scrubbed second, the newest column while running, else the whole run. */
const mapValues = (metric: Metric): { values: ArrayLike<number>; when: string } => {
  const cols = columns[metric]
  if (cursor !== undefined && cols.length > 0) {
    const c = columnAt(cursor)
    return { values: cols[c], when: `at ${c * everySec}–${(c + 1) * everySec} s` }
  }
  if (running || !report) return cols.length > 0 ? { values: cols[cols.length - 1], when: "now" } : { values: [], when: "" }
  const b = report.buckets
  const values = b.map((x) =>
    metric === "requests" ? x.requests : metric === "errors" ? x.errors : metric === "maxBacklog" ? x.maxBacklog : metric === "streamBacklog" ? (x.stream?.maxBacklog ?? 0) : metric === "breakerOpen" ? x.breakerTrips : (x.hunters ?? 0)
  )
  return { values, when: metric === "hunters" ? "at the end" : metric === "breakerOpen" ? "whole run (trips)" : "whole run" }
}

const bucketDetail = (b: number): Array<string> => {
  const out: Array<string> = []
  if (cursor !== undefined && columns.requests.length > 0) {
    const c = columnAt(cursor)
    out.push(
      `at ${c * everySec} s: ${columns.requests[c][b]} requests, ${columns.errors[c][b]} errors, backlog ≤ ${columns.maxBacklog[c][b]}` +
        (columns.hunters.length > 0 ? `, ${columns.hunters[c][b]} hunters` : "") +
        (columns.breakerOpen[c]?.[b] ? ", breaker open" : "")
    )
  }
  const r = report?.buckets[b]
  if (r) out.push(bucketRunLine(r))
  return out
}

let frames = 0
const draw = () => {
  pending = false
  if (running) frames++
  const a = reportA && report !== reportA ? reportA : undefined
  const ax = (r: TimelineRow) => r.second + 0.5
  axes.latency = lineChart(latencySvg, [
    ...(a ? [{ name: "A p99", color: "#7f8c8d", dash: "4 3", points: a.timeline.map((r) => [ax(r), r.p99] as const) }] : []),
    { name: "p50", color: "#2e86c1", points: rows.map((r) => [x(r), r.p50] as const) },
    { name: "p99", color: "#c0392b", points: rows.map((r) => [x(r), r.p99] as const) }
  ], bands, "", durationS, cursor)
  axes.throughput = lineChart(throughputSvg, [
    ...(a ? [{ name: "A requests/s", color: "#7f8c8d", dash: "4 3", points: a.timeline.map((r) => [ax(r), r.requests] as const) }] : []),
    { name: "requests/s", color: "#27ae60", points: rows.map((r) => [x(r), r.requests] as const) },
    ...errorSeries(rows)
  ], bands, "", durationS, cursor)
  axes.breakers = lineChart(breakersSvg, [
    ...(a ? [{ name: "A open", color: "#7f8c8d", dash: "4 3", points: a.timeline.map((r) => [ax(r), r.breakersOpen] as const) }] : []),
    { name: "open breakers", color: "#8e44ad", points: rows.map((r) => [x(r), r.breakersOpen] as const) },
    { name: "in flight", color: "#d35400", points: rows.map((r) => [x(r), r.backlog] as const) }
  ], bands, "", durationS, cursor)
  const metric = mapMetric.value as Metric
  const mv = mapValues(metric)
  mapWhen.textContent = mv.when
  bucketMap(mapSvg, cells, mv.values, mapMetric.selectedOptions[0]?.textContent ?? metric, bucketDetail)
  const hm = heatMetric.value as Metric
  axes.heat = heatmap(heatSvg, columns[hm], cells.length, everySec, bands, durationS, heatMetric.selectedOptions[0]?.textContent ?? hm, cursor)
}
const scheduleDraw = () => {
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

const showCounters = (lost: number, double: number, collisions: number) =>
  counters.replaceChildren(item("lost after ack", String(lost), "count-lost"), item("double-awarded", String(double), "count-double"), item("collisions", String(collisions), "count-collisions"))

const showSummary = (r: Report) => {
  summary.replaceChildren(
    item("requests", String(r.requests), "sum-requests"),
    item("p50 ms", String(r.latencyMs.p50), "sum-p50"),
    item("p99 ms", String(r.latencyMs.p99), "sum-p99"),
    item("max ms", String(r.latencyMs.max), "sum-max"),
    item("error rate", String(r.errors.rate), "sum-error-rate"),
    // Reports written before unfinished requests were counted apart have no such section.
    item("unfinished", r.unfinished ? String(r.unfinished.total) : "—", "sum-unfinished"),
    item("claims won", String(r.claims.won), "sum-won"),
    item("lost after ack", String(r.claims.lostAcknowledged), "sum-lost"),
    item("double-awarded", String(r.claims.doubleAwarded), "sum-double"),
    item("breaker trips", String(r.breakers.trips), "sum-trips"),
    item("SLO", r.slo.pass ? "PASS" : "FAIL", "sum-slo"),
    item("scenario", r.scenario.name, "sum-name"),
    item("seed", String(r.seed), "sum-seed")
  )
  showCounters(r.claims.lostAcknowledged, r.claims.doubleAwarded, r.claims.collisions)
}

// ---- replay: the scrubber --------------------------------------------------------------
const readout = (second: number) => {
  const r = rowAt(second)
  scrubReadout.textContent = r
    ? `${r.second} s: p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.requests} requests, ${r.errors} errors, ${r.retries} retries, ${r.backlog} in flight, ${r.breakersOpen} breakers open`
    : ""
}
const setCursor = (second: number | undefined) => {
  cursor = second
  if (second !== undefined) {
    scrub.value = String(second)
    readout(second)
  } else scrubReadout.textContent = ""
  scheduleDraw()
}
scrub.addEventListener("input", () => setCursor(Number(scrub.value)))
let playing = 0
playBtn.addEventListener("click", () => {
  if (playing) {
    cancelAnimationFrame(playing)
    playing = 0
    playBtn.textContent = "▶"
    return
  }
  playBtn.textContent = "❚❚"
  let last = performance.now()
  let pos = cursor !== undefined && cursor < durationS - 1 ? cursor : 0
  const step = (now: number) => {
    pos += ((now - last) / 1000) * Math.max(10, durationS / 20) // a run replays in about 20 s
    last = now
    if (pos >= durationS - 1) {
      setCursor(Math.max(0, Math.ceil(durationS) - 1))
      playing = 0
      playBtn.textContent = "▶"
      return
    }
    setCursor(Math.floor(pos))
    playing = requestAnimationFrame(step)
  }
  playing = requestAnimationFrame(step)
})
const enableReplay = (on: boolean) => {
  scrub.disabled = !on
  playBtn.disabled = !on
  scrub.max = String(Math.max(0, Math.ceil(durationS) - 1))
}

// ---- hover tooltips with exact values ------------------------------------------------------
const hoverText: Record<string, (second: number, y: number) => string | undefined> = {
  latency: (t) => {
    const r = rowAt(t)
    return r && `${r.second} s\np50 ${r.p50} ms\np99 ${r.p99} ms\nmax ${r.max} ms`
  },
  throughput: (t) => {
    const r = rowAt(t)
    return r && `${r.second} s\n${r.requests} requests\n${r.ok} ok\n${r.errors} errors${Object.entries(r.errorsByKind ?? {}).filter(([, n]) => n > 0).map(([k, n]) => `\n  ${k} ${n}`).join("")}\n${r.retries} retries`
  },
  breakers: (t) => {
    const r = rowAt(t)
    return r && `${r.second} s\n${r.breakersOpen} breakers open\n${r.backlog} in flight`
  },
  heat: (t, yFrac) => {
    const hm = heatMetric.value as Metric
    const cols = columns[hm]
    if (cols.length === 0 || cells.length === 0) return undefined
    const c = columnAt(Math.max(0, t))
    const rowsPer = Math.max(1, Math.ceil(cells.length / 120))
    const b0 = Math.min(cells.length - 1, Math.floor(yFrac * Math.ceil(cells.length / rowsPer)) * rowsPer)
    const names = []
    for (let b = b0; b < Math.min(cells.length, b0 + rowsPer); b++) names.push(`${cells[b].name ?? `b${b}`}: ${cols[c][b]}`)
    return `${c * everySec}–${(c + 1) * everySec} s, ${heatMetric.selectedOptions[0]?.textContent ?? hm}\n${names.join("\n")}`
  }
}
for (const id of Object.keys(hoverText)) {
  const svg = svgById(id)
  svg.addEventListener("mousemove", (e) => {
    const axis = axes[id]
    if (!axis) return
    const box = svg.getBoundingClientRect()
    const vb = svg.viewBox.baseVal
    const px = ((e.clientX - box.left) / box.width) * (vb?.width || box.width)
    const t = axis.fromPx(px)
    // The heat map's rows span its plot area (8 px margin on top, 26 below, in viewBox units).
    const yFrac = (((e.clientY - box.top) / box.height) * (vb?.height || box.height) - 8) / ((vb?.height || box.height) - 34)
    const text = t >= 0 && t <= durationS ? hoverText[id](t, Math.max(0, Math.min(0.999, yFrac))) : undefined
    if (!text) {
      tooltip.hidden = true
      return
    }
    tooltip.textContent = text
    tooltip.dataset.chart = id
    tooltip.hidden = false
    tooltip.style.left = `${e.clientX + 12}px`
    tooltip.style.top = `${e.clientY + 12}px`
  })
  svg.addEventListener("mouseleave", () => {
    tooltip.hidden = true
  })
}

// ---- A/B compare ------------------------------------------------------------------------
const showCompare = () => {
  if (!reportA || !report || report === reportA) {
    compareTable.hidden = true
    return
  }
  const a = reportA, b = report
  const cell = (tag: "td" | "th", text: string, cls?: string) => {
    const c = document.createElement(tag)
    c.textContent = text
    if (cls) c.className = cls
    return c
  }
  const head = document.createElement("tr")
  head.append(cell("th", ""), cell("th", `A: ${a.scenario.name} (seed ${a.seed})`), cell("th", `B: ${b.scenario.name} (seed ${b.seed})`), cell("th", "B − A"), cell("th", "change"))
  const body = compareReports(a, b).map((c) => {
    const cls = c.verdict === "same" ? "" : c.verdict
    const tr = document.createElement("tr")
    tr.dataset.figure = c.label
    tr.append(cell("td", c.label), cell("td", formatFigure(c.a)), cell("td", formatFigure(c.b)), cell("td", formatDelta(c), cls), cell("td", formatRelative(c), cls))
    return tr
  })
  compareTable.replaceChildren(head, ...body)
  compareTable.hidden = false
}

keepA.addEventListener("click", () => {
  if (!report) return
  reportA = report
  aLabel.textContent = `A = ${report.scenario.name}, seed ${report.seed}: now change the design (same seed) and run B`
  clearA.disabled = false
  showCompare()
  scheduleDraw()
})
clearA.addEventListener("click", () => {
  reportA = undefined
  aLabel.textContent = ""
  clearA.disabled = true
  showCompare()
  scheduleDraw()
})

/** A report is on screen (a finished run or a loaded file): summary, replay, compare. */
const settle = (r: Report) => {
  report = r
  running = false
  showSummary(r)
  keepA.disabled = false
  enableReplay(rows.length > 0)
  setCursor(undefined)
  showCompare()
  draw()
}


// ---- running ----------------------------------------------------------------------------
// One worker for the page's life, started now so its modules are loaded before Run; a
// new run supersedes the one in progress.
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })
runBtn.addEventListener("click", () => {
  if (!decoded) return
  rows = []
  columns = { requests: [], errors: [], maxBacklog: [], hunters: [], streamBacklog: [], breakerOpen: [] }
  cells = []
  report = undefined
  running = true
  durationS = decoded.durationMs / 1000
  bands = faultBands(decoded)
  summary.replaceChildren()
  showCounters(0, 0, 0)
  enableReplay(false)
  setCursor(undefined)
  showCompare()
  keepA.disabled = true
  status.textContent = "running 0 %"
  frames = 0
  runBtn.disabled = true
  const started = performance.now()
  let firstFrameMs = -1
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data
    if (m.type === "start") {
      cells = m.cells
      everySec = m.everySec
    } else if (m.type === "progress") {
      rows.push(...(m.rows as Array<TimelineRow>))
      columns.requests.push(...m.columns.requests)
      columns.errors.push(...m.columns.errors)
      columns.maxBacklog.push(...m.columns.maxBacklog)
      columns.hunters.push(...m.columns.hunters)
      columns.streamBacklog.push(...m.columns.streamBacklog)
      columns.breakerOpen.push(...m.columns.breakerOpen)
      if (firstFrameMs < 0 && rows.length > 0) firstFrameMs = performance.now() - started
      status.textContent = `running ${Math.floor((m.virtualMs / m.durationMs) * 100)} %`
      showCounters(m.lost, 0, m.collisions)
      scheduleDraw()
    } else if (m.type === "done") {
      // The run's wall time ends when its report arrives (as the CLI's ends when the report
      // is built, before printing); drawing the finished views is timed on its own.
      const wallMs = performance.now() - started
      status.dataset.liveFrames = String(frames)
      settle(m.report as Report)
      status.dataset.wallMs = String(Math.round(wallMs))
      status.dataset.firstFrameMs = String(Math.round(firstFrameMs))
      status.dataset.finalDrawMs = String(Math.round(performance.now() - started - wallMs))
      status.dataset.workerMs = String(Math.round(m.wallMs))
      status.textContent = "done"
      runBtn.disabled = false
    } else {
      running = false
      status.textContent = `error: ${m.field}: ${m.message}`
      runBtn.disabled = false
    }
  }
  worker.onerror = (e) => {
    running = false
    status.textContent = `error: the simulation worker failed: ${e.message || "could not load"}`
    runBtn.disabled = false
  }
  worker.postMessage({ type: "run", input: JSON.parse(json.value), source: presetSel.value })
})

// ---- loading a report file (picker or drag and drop) --------------------------------------
const loadInput = $<HTMLInputElement>("load")
const loadError = $<HTMLDivElement>("load-error")
const dropOverlay = $<HTMLDivElement>("drop")

/** Show a report produced by the CLI: summary, charts, map and heat map; every value as text. */
const showReport = (r: Report) => {
  rows = [...r.timeline]
  durationS = r.scenario.durationMs / 1000
  bands = faultBands(r.scenario)
  cells = r.buckets.map((b) => ({ bucket: b.bucket, node: b.node, ...(b.name !== undefined ? { name: String(b.name) } : {}), ...(b.bounds ? { bounds: b.bounds } : {}) }))
  const bt = r.bucketTimeline
  everySec = bt?.everySec ?? 1
  columns = { requests: [...(bt?.requests ?? [])], errors: [...(bt?.errors ?? [])], maxBacklog: [...(bt?.maxBacklog ?? [])], hunters: [...(bt?.hunters ?? [])], streamBacklog: [...(bt?.streamBacklog ?? [])], breakerOpen: [...(bt?.breakerOpen ?? [])] }
  status.textContent = `report: ${r.scenario.name}`
  settle(r)
}

const loadFile = async (file: File) => {
  loadError.textContent = ""
  try {
    const data: unknown = JSON.parse(await file.text())
    // Through the Report Schema: another version or a field out of shape is named, not drawn.
    const exit = Effect.runSyncExit(decodeReport(data))
    if (Exit.isFailure(exit)) {
      const e = Cause.squash(exit.cause) as ReportError
      throw new Error(e.field === "version" || e.field === "(root)" ? e.message : `${e.field}: ${e.message}`)
    }
    showReport(exit.value)
  } catch (e) {
    loadError.textContent = `${file.name}: ${(e as Error).message}`
  }
}

loadInput.addEventListener("change", () => {
  const file = loadInput.files?.[0]
  if (file) void loadFile(file)
})
let dragDepth = 0
document.addEventListener("dragenter", (e) => {
  if (!e.dataTransfer?.types.includes("Files")) return
  dragDepth++
  dropOverlay.hidden = false
})
document.addEventListener("dragleave", () => {
  if (--dragDepth <= 0) {
    dragDepth = 0
    dropOverlay.hidden = true
  }
})
document.addEventListener("dragover", (e) => e.preventDefault())
document.addEventListener("drop", (e) => {
  e.preventDefault()
  dragDepth = 0
  dropOverlay.hidden = true
  const file = e.dataTransfer?.files[0]
  if (file) void loadFile(file)
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
