/**
 * A run as CSV, for spreadsheets and the tools Locust users already have (`run --out
 * csv=FILE`, `--out csv-buckets=FILE`):
 * - the timeline: one row per simulated second, with Locust's `stats_history` columns where
 *   they apply (Timestamp — the simulated second —, Name "Aggregated", Requests/s, Failures/s,
 *   50%, 99%, 100%, Total Request Count, Total Failure Count), then huntbench's own (ok,
 *   retries, errors by kind, requests in flight, open breakers, active faults);
 * - per bucket: one row per bucket per column of the bucket timeline.
 * Numbers as the report has them (raw, not rounded for reading).
 */
import type { Report } from "../../src/report.ts"

const ERROR_KINDS = ["timeout", "connection", "breakerOpen", "poolTimeout"] as const

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
const field = (v: string | number): string => {
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
const line = (cells: ReadonlyArray<string | number>) => cells.map(field).join(",") + "\n"
/** A bucket-timeline cell; empty where the report has no column (hunters without movement). */
const at = (cols: ReadonlyArray<ReadonlyArray<number>>, c: number, b: number): number | string => cols[c]?.[b] ?? ""

/**
 * The timeline as CSV, a header and one row per simulated second. Example:
 * `timelineCsv(report).split("\n").length - 2 === report.timeline.length`.
 */
export const timelineCsv = (r: Report): string => {
  const head = ["Timestamp", "Name", "Requests/s", "Failures/s", "50%", "99%", "100%", "Total Request Count", "Total Failure Count", "ok", "retries", ...ERROR_KINDS, "inFlight", "breakersOpen", "activeFaults"]
  let requests = 0, failures = 0
  const rows = r.timeline.map((t) => {
    requests += t.requests
    failures += t.errors
    return line([t.second, "Aggregated", t.requests, t.errors, t.p50, t.p99, t.max, requests, failures, t.ok, t.retries, ...ERROR_KINDS.map((k) => t.errorsByKind[k] ?? 0), t.backlog, t.breakersOpen, t.faults.join(" ")])
  })
  return line(head) + rows.join("")
}

/**
 * The bucket timeline as CSV: one row per bucket per column (`everySec` seconds each).
 * Example: rows = buckets × columns.
 */
export const bucketsCsv = (r: Report): string => {
  const bt = r.bucketTimeline
  const head = ["fromSecond", "bucket", "node", "requests", "errors", "maxBacklog", "hunters", "breakerOpenSeconds", ...(bt.streamBacklog ? ["streamBacklog"] : [])]
  const out: Array<string> = [line(head)]
  for (let c = 0; c < bt.requests.length; c++)
    for (let b = 0; b < bt.requests[c].length; b++)
      out.push(line([c * bt.everySec, b, r.buckets[b]?.node ?? "", at(bt.requests, c, b), at(bt.errors, c, b), at(bt.maxBacklog, c, b), at(bt.hunters, c, b), at(bt.breakerOpen, c, b), ...(bt.streamBacklog ? [at(bt.streamBacklog, c, b)] : [])]))
  return out.join("")
}
