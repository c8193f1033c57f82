// Loading a report file the CLI wrote (`huntbench run --json`), by the file picker or by
// dropping it on the page. It is decoded through the Report Schema: a report of another
// version, or with a field out of shape, is refused with the version or field named.
import { Cause, Effect, Exit } from "effect"
import { decodeReport, type ReportError } from "../src/report.ts"
import { showReport } from "./report-view.ts"
import { $ } from "./state.ts"

const loadInput = $<HTMLInputElement>("load")
const loadError = $<HTMLDivElement>("load-error")
const dropOverlay = $<HTMLDivElement>("drop")

const loadFile = async (file: File) => {
  loadError.textContent = ""
  try {
    const data: unknown = JSON.parse(await file.text())
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
