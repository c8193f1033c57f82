/**
 * Simulation beside reality (issue 16): the same scenario — seed, fault timeline — simulated
 * and run live, figure by figure: latency percentiles, throughput, errors by kind, breaker
 * trips, lost and double-awarded claims, backlog, and per fault window its errors and worst
 * p99. Pure: the CLI and the dashboard show the same rows.
 */
import { figures, formatFigure } from "./compare.ts"
import type { Report } from "./report.ts"

export interface FidelityRow {
  readonly key: string
  readonly label: string
  readonly sim: number
  readonly live: number
  /** live ÷ sim (null when sim is 0). */
  readonly ratio: number | null
}

const row = (key: string, label: string, sim: number, live: number): FidelityRow => ({ key, label, sim, live, ratio: sim !== 0 ? live / sim : null })

/** The timeline's seconds that overlap [from, to). */
const secondsOf = (r: Report, from: number, to: number) => r.timeline.filter((t) => t.second * 1000 < to && (t.second + 1) * 1000 > from)

/**
 * Every figure both reports have, simulated beside live. Example:
 * `fidelityRows(sim, live).find((r) => r.key === "p50")?.ratio` — live p50 over simulated.
 */
export const fidelityRows = (sim: Report, live: Report): Array<FidelityRow> => {
  const out: Array<FidelityRow> = [row("p95", "p95 ms", sim.latencyMs.p95, live.latencyMs.p95)]
  for (const f of figures) {
    if (f.key === "queueWaitP99") continue // a live run cannot see the server's queue
    const s = f.get(sim), l = f.get(live)
    if (s !== undefined && l !== undefined) out.push(row(f.key, f.label, s, l))
  }
  const kinds = [...new Set([...Object.keys(sim.errors.byKind), ...Object.keys(live.errors.byKind)])].sort()
  for (const k of kinds) out.push(row(`errors.${k}`, `errors: ${k}`, sim.errors.byKind[k] ?? 0, live.errors.byKind[k] ?? 0))
  out.push(row("appliedUnacknowledged", "applied, not acked", sim.claims.appliedUnacknowledged, live.claims.appliedUnacknowledged))
  sim.scenario.faults.forEach((f, i) => {
    const window = (r: Report) => secondsOf(r, f.atMs, f.atMs + f.durationMs)
    const errors = (r: Report) => window(r).reduce((n, t) => n + t.errors, 0)
    const p99 = (r: Report) => window(r).reduce((m, t) => Math.max(m, t.p99), 0)
    const name = `fault #${i} ${f.kind} n${f.target}`
    out.push(row(`fault${i}.errors`, `${name}: errors`, errors(sim), errors(live)))
    out.push(row(`fault${i}.p99`, `${name}: worst second's p99 ms`, p99(sim), p99(live)))
  })
  return out
}

/** live ÷ sim as text: "1.02×", "=" (both 0) or "new" (sim 0). Example: `formatRatio(row)`. */
export const formatRatio = (r: FidelityRow): string => (r.ratio === null ? (r.live === 0 ? "=" : "new") : `${formatFigure(r.ratio)}×`)
