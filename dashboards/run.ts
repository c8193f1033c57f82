// Running: the simulation runs in one Web Worker for the page's life (started at once, so
// its modules are loaded before Run); the worker streams timeline rows and per-bucket
// columns, and the views redraw several times a second. A new run supersedes the last.
import type { Report, TimelineRow } from "../src/report.ts"
import { keepA, showCompare } from "./ab.ts"
import { faultBands } from "./charts.ts"
import { currentScenario, editorInput, presetSel, runBtn } from "./editor.ts"
import { settle } from "./report-view.ts"
import { enableReplay, setCursor } from "./scrubber.ts"
import { emptyColumns, status, ui } from "./state.ts"
import { clearSummary, scheduleDraw, showCounters } from "./views.ts"
import type { FromWorker } from "./worker.ts"

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })

runBtn.addEventListener("click", () => {
  const decoded = currentScenario()
  if (!decoded) return
  ui.rows = []
  ui.columns = emptyColumns()
  ui.cells = []
  ui.report = undefined
  ui.running = true
  ui.durationS = decoded.durationMs / 1000
  ui.bands = faultBands(decoded)
  clearSummary()
  showCounters(0, 0, 0)
  enableReplay(false)
  setCursor(undefined)
  showCompare()
  keepA.disabled = true
  status.textContent = "running 0 %"
  ui.frames = 0
  runBtn.disabled = true
  const started = performance.now()
  let firstFrameMs = -1
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data
    if (m.type === "start") {
      ui.cells = m.cells
      ui.everySec = m.everySec
    } else if (m.type === "progress") {
      ui.rows.push(...(m.rows as Array<TimelineRow>))
      const cols = ui.columns
      cols.requests.push(...m.columns.requests)
      cols.errors.push(...m.columns.errors)
      cols.maxBacklog.push(...m.columns.maxBacklog)
      cols.hunters.push(...m.columns.hunters)
      cols.streamBacklog.push(...m.columns.streamBacklog)
      cols.breakerOpen.push(...m.columns.breakerOpen)
      if (firstFrameMs < 0 && ui.rows.length > 0) firstFrameMs = performance.now() - started
      status.textContent = `running ${Math.floor((m.virtualMs / m.durationMs) * 100)} %`
      showCounters(m.lost, 0, m.collisions)
      scheduleDraw()
    } else if (m.type === "done") {
      // The run's wall time ends when its report arrives (as the CLI's ends when the report
      // is built, before printing); drawing the finished views is timed on its own.
      const wallMs = performance.now() - started
      status.dataset.liveFrames = String(ui.frames)
      settle(m.report as Report)
      status.dataset.wallMs = String(Math.round(wallMs))
      status.dataset.firstFrameMs = String(Math.round(firstFrameMs))
      status.dataset.finalDrawMs = String(Math.round(performance.now() - started - wallMs))
      status.dataset.workerMs = String(Math.round(m.wallMs))
      status.textContent = "done"
      runBtn.disabled = false
    } else {
      ui.running = false
      status.textContent = `error: ${m.field}: ${m.message}`
      runBtn.disabled = false
    }
  }
  worker.onerror = (e) => {
    ui.running = false
    status.textContent = `error: the simulation worker failed: ${e.message || "could not load"}`
    runBtn.disabled = false
  }
  worker.postMessage({ type: "run", input: editorInput(), source: presetSel.value })
})
