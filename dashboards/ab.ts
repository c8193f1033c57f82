// A/B: keep the run on screen as "A", change the design (same seed) and run or load B; a
// table of the headline figures with B − A highlighted better or worse, and A's lines drawn
// dashed under B's (views.ts).
import { compareReports, formatDelta, formatRelative, formatValue } from "../src/compare.ts"
import type { Report } from "../src/report.ts"
import { $, ui } from "./state.ts"
import { scheduleDraw } from "./views.ts"

export const keepA = $<HTMLButtonElement>("keep-a")
const clearA = $<HTMLButtonElement>("clear-a")
const aLabel = $<HTMLSpanElement>("a-label")
const compareTable = $<HTMLTableElement>("compare")

/** The A/B table for what is on screen, or nothing when there is no A or B. */
export const showCompare = () => {
  const a = ui.reportA, b = ui.report
  if (!a || !b || b === a) {
    compareTable.hidden = true
    return
  }
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
    tr.append(cell("td", c.label), cell("td", formatValue(c, c.a)), cell("td", formatValue(c, c.b)), cell("td", formatDelta(c), cls), cell("td", formatRelative(c), cls))
    return tr
  })
  compareTable.replaceChildren(head, ...body)
  compareTable.hidden = false
}

/** Put `r` on screen as A, with a label saying what it is. */
export const setA = (r: Report | undefined, label: string) => {
  ui.reportA = r
  aLabel.textContent = label
  clearA.disabled = r === undefined
}

keepA.addEventListener("click", () => {
  const r = ui.report
  if (!r) return
  setA(r, `A = ${r.scenario.name}, seed ${r.seed}: now change the design (same seed) and run B`)
  showCompare()
  scheduleDraw()
})
clearA.addEventListener("click", () => {
  setA(undefined, "")
  showCompare()
  scheduleDraw()
})
