/**
 * Charts drawn with d3 into SVG: time series with fault windows as bands. Labels are set
 * with `.text()` (never as HTML), so names from loaded reports cannot inject markup. Shared
 * by the live page and, later, the offline HTML report.
 */
import * as d3 from "d3"

export interface Series {
  readonly name: string
  readonly color: string
  readonly points: ReadonlyArray<readonly [number, number]>
}

export interface Band {
  readonly from: number
  readonly to: number
  readonly label: string
}

/** Draw (or redraw) a line chart in `svg`. Example: `lineChart(svg, [{ name: "p99", color: "red", points }], [], "ms")`. */
export const lineChart = (svg: SVGSVGElement, series: ReadonlyArray<Series>, bands: ReadonlyArray<Band>, unit: string, xMax?: number): void => {
  const width = svg.clientWidth || 640
  const height = svg.clientHeight || 220
  const m = { top: 12, right: 12, bottom: 26, left: 56 }
  const root = d3.select(svg)
  root.selectAll("*").remove()
  root.attr("viewBox", `0 0 ${width} ${height}`)
  const xs = series.flatMap((s) => s.points.map((p) => p[0]))
  const ys = series.flatMap((s) => s.points.map((p) => p[1]))
  const x = d3.scaleLinear().domain([0, Math.max(xMax ?? 0, d3.max(xs) ?? 1, 1)]).range([m.left, width - m.right])
  const y = d3.scaleLinear().domain([0, Math.max(d3.max(ys) ?? 1, 1e-9)]).nice().range([height - m.bottom, m.top])
  const g = root.append("g")
  g.selectAll("rect.band")
    .data(bands)
    .join("rect")
    .attr("class", "band")
    .attr("x", (b) => x(b.from))
    .attr("width", (b) => Math.max(1, x(b.to) - x(b.from)))
    .attr("y", m.top)
    .attr("height", height - m.top - m.bottom)
    .attr("fill", "#f5b041")
    .attr("opacity", 0.25)
    .append("title")
    .text((b) => b.label)
  g.append("g").attr("transform", `translate(0,${height - m.bottom})`).call(d3.axisBottom(x).ticks(8).tickFormat((d) => `${d}s`))
  g.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(5).tickFormat((d) => `${d}${unit}`))
  const line = d3.line<readonly [number, number]>().x((p) => x(p[0])).y((p) => y(p[1]))
  for (const s of series) {
    g.append("path").datum(s.points).attr("class", "series").attr("fill", "none").attr("stroke", s.color).attr("stroke-width", 1.5).attr("d", line)
  }
  const legend = g.append("g").attr("transform", `translate(${m.left + 8},${m.top + 4})`)
  series.forEach((s, i) => {
    legend.append("rect").attr("x", i * 110).attr("width", 10).attr("height", 10).attr("fill", s.color)
    legend.append("text").attr("x", i * 110 + 14).attr("y", 9).attr("font-size", 11).text(s.name)
  })
}
