// Loading a report file the CLI wrote (`huntbench run --json`, or the pair `compare
// --sim-vs-live --json` writes), by the file picker or by dropping it on the page. It is decoded through the Report Schema: a report of another
// version, or with a field out of shape, is refused with the version or field named.
import { Cause, Effect, Exit } from "effect"
import { decodeReport, type Report, type ReportError } from "../src/report.ts"
import { setA } from "./ab.ts"
import { showReport } from "./report-view.ts"
import { $ } from "./state.ts"

const loadInput = $<HTMLInputElement>("load")
const loadError = $<HTMLDivElement>("load-error")
const dropOverlay = $<HTMLDivElement>("drop")

/** A report decoded through the Report Schema, or an error naming the field (prefixed with `where`). */
const decoded = (data: unknown, where = ""): Report => {
  const exit = Effect.runSyncExit(decodeReport(data))
  if (Exit.isSuccess(exit)) return exit.value
  const e = Cause.squash(exit.cause) as ReportError
  throw new Error(`${where}${e.field === "version" || e.field === "(root)" ? e.message : `${e.field}: ${e.message}`}`)
}

const loadFile = async (file: File) => {
  loadError.textContent = ""
  try {
    const data: unknown = JSON.parse(await file.text())
    // A pair written by `huntbench compare --sim-vs-live --json`: the simulated run as A,
    // drawn dashed under the live one, and the A/B table between them.
    if (data !== null && typeof data === "object" && "sim" in data && "live" in data) {
      const sim = decoded(data.sim, "sim: "), live = decoded(data.live, "live: ")
      setA(sim, `A = ${sim.scenario.name} simulated, B = live on ${live.target} (same seed ${sim.seed}, same faults)`)
      showReport(live)
      return
    }
    showReport(decoded(data))
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
