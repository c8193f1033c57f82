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
  /** A stroke dash pattern (e.g. "4 3"), for a compared run drawn under the current one. */
  readonly dash?: string
}

const ERROR_COLORS: Record<string, string> = { timeout: "#c0392b", connection: "#e67e22", breakerOpen: "#8e44ad", poolTimeout: "#7f8c8d" }

/**
 * Errors per second as one series per kind that occurred (timeout, connection,
 * breakerOpen, poolTimeout), or a single zero "errors/s" line when there were none.
 * Example: `lineChart(svg, [requests, ...errorSeries(report.timeline)], bands, "")`.
 */
export const errorSeries = (
  rows: ReadonlyArray<{ readonly second: number; readonly errors: number; readonly errorsByKind?: Readonly<Record<string, number>> }>
): Array<Series> => {
  const kinds = Object.keys(ERROR_COLORS).filter((k) => rows.some((r) => (r.errorsByKind?.[k] ?? 0) > 0))
  if (kinds.length === 0) return [{ name: "errors/s", color: "#c0392b", points: rows.map((r) => [r.second + 0.5, r.errors] as const) }]
  return kinds.map((k) => ({ name: `${k}/s`, color: ERROR_COLORS[k], points: rows.map((r) => [r.second + 0.5, r.errorsByKind?.[k] ?? 0] as const) }))
}

/** Clear `svg` for a redraw and size its viewBox to the element (or the given default). */
const frame = (svg: SVGSVGElement, defaultWidth: number, defaultHeight: number) => {
  const width = svg.clientWidth || defaultWidth
  const height = svg.clientHeight || defaultHeight
  const root = d3.select(svg)
  root.selectAll("*").remove()
  root.attr("viewBox", `0 0 ${width} ${height}`)
  return { root, width, height }
}

/** Fault windows for a scenario's faults, in seconds, labelled. Example: `faultBands(report.scenario)`. */
export const faultBands = (s: { readonly faults: ReadonlyArray<{ readonly kind: string; readonly atMs: number; readonly durationMs: number; readonly target: number }> }): Array<Band> =>
  s.faults.map((f, i) => ({ from: f.atMs / 1000, to: (f.atMs + f.durationMs) / 1000, label: `#${i} ${f.kind} on node ${f.target}` }))

/** Fault windows as bands over a time axis: filled under line charts, outlined over the heat map. */
const drawBands = (
  g: d3.Selection<SVGGElement, unknown, null, undefined>,
  bands: ReadonlyArray<Band>,
  x: d3.ScaleLinear<number, number>,
  top: number,
  bottom: number,
  outline: boolean
) => {
  const rects = g
    .selectAll("rect.band")
    .data(bands)
    .join("rect")
    .attr("class", "band")
    .attr("x", (b) => x(b.from))
    .attr("width", (b) => Math.max(1, x(b.to) - x(b.from)))
    .attr("y", top)
    .attr("height", bottom - top)
  if (outline) rects.attr("fill", "none").attr("stroke", "#f5b041").attr("stroke-width", 1.5)
  else rects.attr("fill", "#f5b041").attr("opacity", 0.25)
  rects.append("title").text((b) => b.label)
}

/** What a drawn time chart needs for hover and the scrubber's cursor: data x ↔ pixels. */
export interface TimeAxis {
  readonly toPx: (x: number) => number
  readonly fromPx: (px: number) => number
}

export interface Band {
  readonly from: number
  readonly to: number
  readonly label: string
}

/**
 * Draw (or redraw) a line chart in `svg`; `cursor` (seconds) draws the scrubber's line.
 * Example: `lineChart(svg, [{ name: "p99", color: "red", points }], [], "ms")`.
 */
export const lineChart = (svg: SVGSVGElement, series: ReadonlyArray<Series>, bands: ReadonlyArray<Band>, unit: string, xMax?: number, cursor?: number): TimeAxis => {
  const { root, width, height } = frame(svg, 640, 220)
  const m = { top: 12, right: 12, bottom: 26, left: 56 }
  const xs = series.flatMap((s) => s.points.map((p) => p[0]))
  const ys = series.flatMap((s) => s.points.map((p) => p[1]))
  const x = d3.scaleLinear().domain([0, Math.max(xMax ?? 0, d3.max(xs) ?? 1, 1)]).range([m.left, width - m.right])
  const y = d3.scaleLinear().domain([0, Math.max(d3.max(ys) ?? 1, 1e-9)]).nice().range([height - m.bottom, m.top])
  const g = root.append("g")
  drawBands(g, bands, x, m.top, height - m.bottom, false)
  g.append("g").attr("transform", `translate(0,${height - m.bottom})`).call(d3.axisBottom(x).ticks(8).tickFormat((d) => `${d}s`))
  g.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(5).tickFormat((d) => `${d}${unit}`))
  const line = d3.line<readonly [number, number]>().x((p) => x(p[0])).y((p) => y(p[1]))
  for (const s of series) {
    const path = g.append("path").datum(s.points).attr("class", "series").attr("fill", "none").attr("stroke", s.color).attr("stroke-width", 1.5).attr("d", line)
    if (s.dash) path.attr("stroke-dasharray", s.dash).attr("opacity", 0.7)
  }
  if (cursor !== undefined) cursorLine(g, x(cursor), m.top, height - m.bottom)
  const legend = g.append("g").attr("transform", `translate(${m.left + 8},${m.top + 4})`)
  series.forEach((s, i) => {
    legend.append("rect").attr("x", i * 110).attr("width", 10).attr("height", 10).attr("fill", s.color)
    legend.append("text").attr("x", i * 110 + 14).attr("y", 9).attr("font-size", 11).text(s.name)
  })
  return { toPx: (v) => x(v), fromPx: (px) => x.invert(px) }
}

const cursorLine = (g: d3.Selection<SVGGElement, unknown, null, undefined>, px: number, top: number, bottom: number) =>
  g.append("line").attr("class", "cursor").attr("x1", px).attr("x2", px).attr("y1", top).attr("y2", bottom).attr("stroke", "#1b2631").attr("stroke-width", 1).attr("stroke-dasharray", "3 2")

/** One bucket as the map and heat map need it. */
export interface BucketCell {
  readonly bucket: number
  readonly node: number
  readonly name?: string
  readonly bounds?: { readonly south: number; readonly west: number; readonly north: number; readonly east: number }
}

const label = (b: BucketCell) => b.name ?? `b${b.bucket}`

/** A legend's top value: whole numbers with separators from 1 000 on, else 4 significant digits. */
const fmtMax = (v: number): string => (v >= 1000 ? d3.format(",.0f")(v) : d3.format(",.4~g")(v))

/** A bucket's whole-run figures, as the map's tooltip shows them (a report's `buckets[i]`). */
export const bucketRunLine = (r: {
  readonly requests: number
  readonly errors: number
  readonly p99: number
  readonly maxBacklog: number
  readonly collisions: number
  readonly breakerTrips: number
  readonly hunters?: number
  readonly maxHunters?: number
  readonly stream?: { readonly diffs: number; readonly trimmed: number; readonly maxBacklog: number; readonly maxLagMs: number; readonly split: boolean }
}): string =>
  `run: ${r.requests} requests, ${r.errors} errors, p99 ${r.p99} ms, max backlog ${r.maxBacklog}, ${r.collisions} collisions, ${r.breakerTrips} breaker trips` +
  (r.hunters !== undefined ? `, ${r.hunters} hunters (max ${r.maxHunters})` : "") +
  (r.stream
    ? `; stream: ${r.stream.diffs} diffs, ${r.stream.trimmed} trimmed, max ${r.stream.maxBacklog} unread, slowest delivery ${r.stream.maxLagMs} ms${r.stream.split ? ", split" : ""}`
    : "")

/**
 * The bucket map: geohash cells drawn where they are (equirectangular, scaled by the
 * cosine of the latitude), or — without geography — buckets as a grid of squares; each
 * coloured by `values[bucket]`, with a tooltip of exact figures (`detail(bucket)`).
 * Example: `bucketMap(svg, report.buckets, requests, "requests", (b) => [...])`.
 */
export const bucketMap = (
  svg: SVGSVGElement,
  cells: ReadonlyArray<BucketCell>,
  values: ArrayLike<number>,
  metric: string,
  detail: (bucket: number) => ReadonlyArray<string>
): void => {
  const { root, width, height } = frame(svg, 640, 320)
  const max = Math.max(1e-9, ...Array.from(values))
  const color = d3.scaleSequential(d3.interpolateYlOrRd).domain([0, max])
  const pad = 6, legendH = 18
  let rects: Array<{ b: BucketCell; x: number; y: number; w: number; h: number }>
  if (cells.length > 0 && cells.every((c) => c.bounds)) {
    const south = d3.min(cells, (c) => c.bounds!.south)!, north = d3.max(cells, (c) => c.bounds!.north)!
    const west = d3.min(cells, (c) => c.bounds!.west)!, east = d3.max(cells, (c) => c.bounds!.east)!
    const k = Math.cos((((south + north) / 2) * Math.PI) / 180)
    const sx = (width - 2 * pad) / ((east - west) * k), sy = (height - 2 * pad - legendH) / (north - south)
    const sc = Math.min(sx, sy)
    rects = cells.map((b) => ({
      b,
      x: pad + (b.bounds!.west - west) * k * sc,
      y: pad + (north - b.bounds!.north) * sc,
      w: (b.bounds!.east - b.bounds!.west) * k * sc,
      h: (b.bounds!.north - b.bounds!.south) * sc
    }))
  } else {
    const cols = Math.ceil(Math.sqrt((cells.length * width) / Math.max(1, height - legendH)))
    const side = Math.min((width - 2 * pad) / cols, (height - 2 * pad - legendH) / Math.ceil(cells.length / cols))
    rects = cells.map((b, i) => ({ b, x: pad + (i % cols) * side, y: pad + Math.floor(i / cols) * side, w: side, h: side }))
  }
  root
    .append("g")
    .selectAll("rect")
    .data(rects)
    .join("rect")
    .attr("class", "cell")
    .attr("data-bucket", (r) => r.b.bucket)
    .attr("x", (r) => r.x)
    .attr("y", (r) => r.y)
    .attr("width", (r) => Math.max(0.5, r.w - 0.5))
    .attr("height", (r) => Math.max(0.5, r.h - 0.5))
    .attr("fill", (r) => color(values[r.b.bucket] ?? 0))
    .attr("stroke", "#fff")
    .attr("stroke-width", 0.5)
    .append("title")
    .text((r) => [`${label(r.b)} (node ${r.b.node})`, ...detail(r.b.bucket)].join("\n"))
  const lg = root.append("g").attr("transform", `translate(${pad},${height - legendH + 4})`)
  const steps = 40
  for (let i = 0; i < steps; i++) lg.append("rect").attr("x", i * 4).attr("width", 4).attr("height", 10).attr("fill", color((max * i) / (steps - 1)))
  lg.append("text").attr("x", steps * 4 + 6).attr("y", 9).attr("font-size", 11).text(`${metric}: 0 – ${fmtMax(max)}`)
}

/**
 * The time × bucket heat map: `columns[c][bucket]` over time (`everySec` per column),
 * buckets as rows; many columns or rows are merged (max) to keep it legible. Fault windows
 * are outlined on the time axis. Returns the time axis (for hover and the cursor).
 */
export const heatmap = (
  svg: SVGSVGElement,
  columns: ReadonlyArray<ArrayLike<number>>,
  buckets: number,
  everySec: number,
  bands: ReadonlyArray<Band>,
  xMax: number,
  metric: string,
  cursor?: number
): TimeAxis => {
  const { root, width, height } = frame(svg, 640, 260)
  const m = { top: 8, right: 12, bottom: 26, left: 56 }
  const x = d3.scaleLinear().domain([0, Math.max(xMax, 1)]).range([m.left, width - m.right])
  const rowsPer = Math.max(1, Math.ceil(buckets / 120)), colsPer = Math.max(1, Math.ceil(columns.length / 240))
  const nRows = Math.ceil(buckets / rowsPer), nCols = Math.ceil(columns.length / colsPer)
  // One pixel per (merged) cell in a small bitmap, stretched over the plot as an <image>:
  // a single element instead of thousands of rects, so a redraw stays a few milliseconds
  // while a run streams in, and SVG/PNG export keep it.
  const grid = new Float64Array(nCols * nRows)
  let max = 1e-9
  for (let c = 0; c < nCols; c++) {
    for (let r = 0; r < nRows; r++) {
      let v = 0
      for (let cc = c * colsPer; cc < Math.min(columns.length, (c + 1) * colsPer); cc++)
        for (let b = r * rowsPer; b < Math.min(buckets, (r + 1) * rowsPer); b++) v = Math.max(v, columns[cc][b])
      grid[r * nCols + c] = v
      if (v > max) max = v
    }
  }
  const color = d3.scaleSequential(d3.interpolateYlOrRd).domain([0, max])
  const colSec = everySec * colsPer
  const g = root.append("g")
  g.append("rect").attr("x", m.left).attr("y", m.top).attr("width", width - m.left - m.right).attr("height", height - m.top - m.bottom).attr("fill", "#fafafa")
  if (nCols > 0 && nRows > 0 && typeof document !== "undefined") {
    const canvas = document.createElement("canvas")
    canvas.width = nCols
    canvas.height = nRows
    const ctx = canvas.getContext("2d")
    if (ctx) {
      const img = ctx.createImageData(nCols, nRows)
      for (let i = 0; i < grid.length; i++) {
        const rgb = d3.rgb(grid[i] > 0 ? color(grid[i]) : "#fafafa")
        img.data[4 * i] = rgb.r
        img.data[4 * i + 1] = rgb.g
        img.data[4 * i + 2] = rgb.b
        img.data[4 * i + 3] = 255
      }
      ctx.putImageData(img, 0, 0)
      g.append("image")
        .attr("class", "heat")
        .attr("href", canvas.toDataURL("image/png"))
        .attr("x", m.left)
        .attr("y", m.top)
        .attr("width", Math.max(0.5, x(nCols * colSec) - m.left))
        .attr("height", height - m.top - m.bottom)
        .attr("preserveAspectRatio", "none")
        .attr("style", "image-rendering: pixelated")
    }
  }
  drawBands(g, bands, x, m.top, height - m.bottom, true)
  g.append("g").attr("transform", `translate(0,${height - m.bottom})`).call(d3.axisBottom(x).ticks(8).tickFormat((d) => `${d}s`))
  g.append("text").attr("x", 4).attr("y", m.top + 10).attr("font-size", 11).text(rowsPer > 1 ? `buckets (${rowsPer}/row)` : "buckets")
  g.append("text").attr("x", 4).attr("y", height - 4).attr("font-size", 11).text(`${metric}, max ${fmtMax(max)}`)
  if (cursor !== undefined) cursorLine(g, x(cursor), m.top, height - m.bottom)
  return { toPx: (v) => x(v), fromPx: (px) => x.invert(px) }
}

/** One configuration of a sweep for `sweepChart`. */
export interface SweepPoint {
  readonly label: string
  readonly p99: { readonly median: number; readonly min: number; readonly max: number }
  readonly passed: number
  readonly seeds: number
  readonly recommended: boolean
}

/**
 * A sweep's p99 per configuration: the median as a dot, min–max over seeds as a whisker,
 * the SLO as a dashed line; green where every seed met the SLO, the recommendation ringed.
 * Example: `sweepChart(svg, rows, 200)`.
 */
export const sweepChart = (svg: SVGSVGElement, points: ReadonlyArray<SweepPoint>, sloP99Ms: number): void => {
  const { root, width, height } = frame(svg, 900, 320)
  const m = { top: 12, right: 12, bottom: 90, left: 56 }
  const x = d3.scaleBand<number>().domain(points.map((_, i) => i)).range([m.left, width - m.right]).padding(0.3)
  const top = Math.max(sloP99Ms * 1.2, d3.max(points, (p) => p.p99.max) ?? 1)
  const y = d3.scaleLog().domain([Math.max(1e-3, Math.min(sloP99Ms / 10, d3.min(points, (p) => p.p99.min) ?? 1)), top]).nice().range([height - m.bottom, m.top]).clamp(true)
  const g = root.append("g")
  g.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(6, "~g"))
  g.append("g")
    .attr("transform", `translate(0,${height - m.bottom})`)
    .call(d3.axisBottom(x).tickFormat((i) => points[i].label))
    .selectAll("text")
    .attr("transform", "rotate(-35)")
    .attr("text-anchor", "end")
  g.append("line").attr("class", "slo").attr("x1", m.left).attr("x2", width - m.right).attr("y1", y(sloP99Ms)).attr("y2", y(sloP99Ms)).attr("stroke", "#c0392b").attr("stroke-dasharray", "6 4")
  g.append("text").attr("x", width - m.right - 4).attr("y", y(sloP99Ms) - 4).attr("text-anchor", "end").attr("font-size", 11).attr("fill", "#c0392b").text(`SLO p99 ${sloP99Ms} ms`)
  const cx = (i: number) => (x(i) ?? 0) + x.bandwidth() / 2
  const colour = (p: SweepPoint) => (p.passed === p.seeds ? "#27ae60" : "#c0392b")
  const marks = g.selectAll("g.config").data(points).join("g").attr("class", "config")
  marks.append("line").attr("x1", (_, i) => cx(i)).attr("x2", (_, i) => cx(i)).attr("y1", (p) => y(p.p99.min)).attr("y2", (p) => y(p.p99.max)).attr("stroke", colour).attr("stroke-width", 2)
  marks.append("circle").attr("class", "median").attr("cx", (_, i) => cx(i)).attr("cy", (p) => y(p.p99.median)).attr("r", 4).attr("fill", colour)
  marks.filter((p) => p.recommended).append("circle").attr("class", "recommended").attr("cx", (_, i) => cx(i)).attr("cy", (p) => y(p.p99.median)).attr("r", 9).attr("fill", "none").attr("stroke", "#1b2631").attr("stroke-width", 2)
  marks.append("title").text((p) => `${p.label}\np99 median ${p.p99.median} ms (${p.p99.min}–${p.p99.max})\nSLO met in ${p.passed}/${p.seeds} seeds${p.recommended ? "\nrecommended" : ""}`)
}
