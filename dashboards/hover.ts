// Hover tooltips with exact values: a time chart's row at the second under the pointer, the
// heat map's buckets at that column.
import { $, columnAt, rowAt, svgById, ui, type Metric } from "./state.ts"
import { heatMetric } from "./views.ts"

const tooltip = $<HTMLDivElement>("tooltip")

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
    const cols = ui.columns[hm]
    const cells = ui.cells
    if (cols.length === 0 || cells.length === 0) return undefined
    const c = columnAt(Math.max(0, t))
    const rowsPer = Math.max(1, Math.ceil(cells.length / 120))
    const b0 = Math.min(cells.length - 1, Math.floor(yFrac * Math.ceil(cells.length / rowsPer)) * rowsPer)
    const names = []
    for (let b = b0; b < Math.min(cells.length, b0 + rowsPer); b++) names.push(`${cells[b].name ?? `b${b}`}: ${cols[c][b]}`)
    return `${c * ui.everySec}–${(c + 1) * ui.everySec} s, ${heatMetric.selectedOptions[0]?.textContent ?? hm}\n${names.join("\n")}`
  }
}

for (const id of Object.keys(hoverText)) {
  const svg = svgById(id)
  svg.addEventListener("mousemove", (e) => {
    const axis = ui.axes[id]
    if (!axis) return
    const box = svg.getBoundingClientRect()
    const vb = svg.viewBox.baseVal
    const px = ((e.clientX - box.left) / box.width) * (vb?.width || box.width)
    const t = axis.fromPx(px)
    // The heat map's rows span its plot area (8 px margin on top, 26 below, in viewBox units).
    const yFrac = (((e.clientY - box.top) / box.height) * (vb?.height || box.height) - 8) / ((vb?.height || box.height) - 34)
    const text = t >= 0 && t <= ui.durationS ? hoverText[id](t, Math.max(0, Math.min(0.999, yFrac))) : undefined
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
