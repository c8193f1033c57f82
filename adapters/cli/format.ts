/**
 * The terminal summary of a report: the figures an on-call engineer reads first, in a
 * fixed layout, ending with the SLO verdict and the replay command.
 */
import { losesStateKind } from "../../src/faults.ts"
import { overNodes, withReads } from "../../src/profile.ts"
import { count, ms, percent } from "../../src/figures.ts"
import type { Report } from "../../src/report.ts"
import { tiers } from "../../src/tiers/index.ts"
import { bucketLabel as label, num } from "../../src/tiers/tier.ts"


const table = (rows: ReadonlyArray<readonly [string, string]>): string => {
  const w = Math.max(...rows.map((r) => r[0].length))
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n")
}

/** Render a report as the CLI's summary. Example: `process.stdout.write(formatSummary(report))`. */
export const formatSummary = (r: Report): string => {
  const s = r.scenario
  const out: Array<string> = []
  out.push(`huntbench — ${s.name}: ${num(s.hunters.count)} hunters, ${num(s.durationMs / 1000)} s, ${s.topology.buckets} buckets on ${s.topology.nodes} nodes, ${s.faults.length} fault(s)`)
  const profile = s.timing.profile
  if (profile) {
    out.push(`timing: the profile calibrate measured on ${profile.target} at ${profile.measuredAt} (Redis ${profile.redisVersion}; round trip p50 ${num(profile.raw.rttMs.p50)} ms, ceiling ${num(profile.ceilingPerSec)} claims/s)`)
    const d = profile.driver
    if (d) {
      const rates = d.levels.map((l) => l.ratePerSec)
      out.push(`        the client: huntbench's live driver as measured there (latency at ${num(Math.min(...rates))}–${num(Math.max(...rates))} claims/s, ceiling ${num(d.ceilingPerSec)} claims/s in one process)`)
      // The levels are claims over one node's connections: more sockets cost the client more,
      // a read's reply less (BENCHMARKS.md, fidelity); the shapes calibrate measured say how much.
      const n = s.topology.nodes
      const nodesShape = d.shapes?.find(overNodes)
      const readsShapes = d.shapes?.filter(withReads) ?? []
      if (n > 1)
        out.push(
          nodesShape
            ? `        the client's work for ${n} nodes' connections: as measured over ${nodesShape.nodes}${n > nodesShape.nodes ? ` (no more than that: a live p99 may run higher than this one)` : ""}`
            : `        not modelled: the client's extra work for ${n} nodes' connections (calibrated on one) — a live p99 runs higher than this one`
        )
      if (s.hunters.behaviour.tasks.some((t) => t.command === "balance"))
        out.push(
          readsShapes.length > 0
            ? `        balance reads' client path: as measured with ${percent(readsShapes[0].balanceShare)} of requests reads at ${readsShapes.map((m) => num(m.ratePerSec)).join(" and ")}/s`
            : `        not modelled: balance reads' own client path (calibrated on claims) — a live p50 runs lower than this one`
        )
    }
    // A profile without the driver's levels: the model lacks the client's stalls, and says so.
    else out.push(`        not modelled: the client's event-loop delay (p99 ${num(profile.eventLoopDelayMs.p99)} ms when measured) — a live p99 runs higher than this one`)
  }
  if (r.partial)
    out.push(`PARTIAL — ${r.partial.reason === "aborted" ? `aborted by threshold ${r.partial.threshold ?? ""}` : "interrupted"} at ${num(r.partial.atMs / 1000)} s of ${num(s.durationMs / 1000)} s: the figures below cover only that much`)
  out.push("")
  out.push("Latency (ms, successful requests, from intended start)")
  out.push(table([
    ["p50 / p95 / p99", `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p95)} / ${ms(r.latencyMs.p99)}`],
    ["p99.9 / max", `${ms(r.latencyMs.p999)} / ${ms(r.latencyMs.max)}`]
  ]))
  out.push("")
  out.push("Traffic")
  const kinds = Object.entries(r.errors.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${num(n)}`).join(", ")
  const u = r.unfinished
  const where = ([["at Redis", u.inFlight], ["waiting to retry", u.retryWait], ["in the app queue", u.appQueue], ["not yet sent by the load generator", u.loadgen]] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${num(n)} ${k}`)
    .join(", ")
  out.push(table([
    ["requests", `${num(r.requests)} (${count(r.throughputPerSec)}/s), ${num(r.attempts)} attempts, ${num(r.retries)} retries`],
    ["errors", `${num(r.errors.total)} (${percent(r.errors.rate)} of finished requests)${kinds ? ` — ${kinds}` : ""}`],
    ["unfinished at the end", `${num(u.total)} (${percent(u.rate)} of requests)${where ? ` — ${where}` : ""}`],
    ["breaker trips", num(r.breakers.trips)]
  ]))
  out.push("")
  out.push("Claims")
  out.push(table([
    ["attempted", num(r.claims.attempted)],
    ["won (acknowledged)", num(r.claims.won)],
    ["lost after ack", num(r.claims.lostAcknowledged)],
    ["double-awarded", num(r.claims.doubleAwarded)],
    ["applied, not acked", num(r.claims.appliedUnacknowledged)],
    [`collisions (≤ ${num(s.artifacts.collisionWindowMs)} ms)`, num(r.claims.collisions)]
  ]))
  const worst = [...r.buckets].sort((a, b) => b.p99 - a.p99 || a.bucket - b.bucket).slice(0, 3)
  const deepest = [...r.buckets].sort((a, b) => b.maxBacklog - a.maxBacklog || a.bucket - b.bucket)[0]
  out.push("")
  out.push("Buckets")
  out.push(table([
    ["worst p99", worst.map((b) => `${label(b)} ${ms(b.p99)} ms`).join(", ")],
    ["max backlog", deepest ? `${label(deepest)} ${num(deepest.maxBacklog)} in flight` : "-"]
  ]))
  for (const tier of tiers) {
    const section = tier.summary(r)
    if (!section) continue
    out.push("")
    out.push(section.title)
    out.push(table(section.rows))
  }
  if (r.live) {
    const l = r.live
    out.push("")
    out.push("Live (wall clock)")
    out.push(table([
      ["time scale", `${num(l.timeScale)} virtual ms per wall ms`],
      ["late sends", `${num(l.lateSends)} of ${num(r.attempts)} attempts left > 1 ms after their time (worst ${num(l.maxSendDelayMs)} ms)${l.lateSends > r.attempts / 10 ? " — the client could not keep up: lower --time-scale or the load" : ""}`],
      ["unfinished", `${num(u.total)} request(s) had no answer when the run ended`],
      ["uncorrected p50 / p99 / max", `${num(l.uncorrectedLatencyMs.p50)} / ${num(l.uncorrectedLatencyMs.p99)} / ${num(l.uncorrectedLatencyMs.max)} ms (from when each request actually left)`]
    ]))
  }
  if (r.faults.length > 0) {
    out.push("")
    out.push("Faults")
    out.push(table(r.faults.map((f) => [
      `#${f.index} ${f.kind} n${f.target}`,
      `${num(f.atMs / 1000)}–${num((f.atMs + f.durationMs) / 1000)} s` +
        (losesStateKind(f.kind) ? `, ${num(f.lostWrites)} writes lost (${num(f.lostAcknowledged)} acknowledged)` : "")
    ])))
  }
  out.push("")
  out.push("Invariants")
  out.push(table(r.invariants.map((i) => [
    i.name,
    i.ok ? `ok${i.attributed > 0 ? ` (${num(i.attributed)} attributed to faults)` : ""}` : `VIOLATED ×${num(i.violations)}: ${i.examples[0]?.detail ?? ""}`
  ])))
  out.push("")
  const aborted = r.partial?.reason === "aborted"
  if (r.slo.thresholds) {
    out.push("Thresholds")
    out.push(table(r.slo.thresholds.map((t) => [`${t.path} ${t.threshold}${t.abortOnFail ? " (abortOnFail)" : ""}`, `${t.actual === null ? "no such figure" : num(t.actual)}  ${t.pass ? "pass" : "FAIL"}`])))
    out.push("")
  }
  out.push(`SLO (p99 < ${num(s.slo.p99Ms)} ms, errors < ${percent(s.slo.maxErrorRate)}${r.slo.thresholds ? `, ${r.slo.thresholds.length} threshold(s)` : ""}; over finished requests, unfinished ones not counted): ${aborted ? "FAIL (aborted)" : r.partial ? "NOT JUDGED (partial run)" : r.slo.pass ? "PASS" : "FAIL"}`)
  for (const b of r.slo.breaches) out.push(`  - ${b}`)
  out.push(`seed ${r.seed} · ${num(r.sim.events)} events in ${num(r.sim.wallMs)} ms (${num(r.sim.eventsPerSec)} events/s)`)
  out.push(`replay: ${r.replay}`)
  return out.join("\n") + "\n"
}

/**
 * The summary with its verdicts coloured — PASS green, FAIL red — for a terminal; callers
 * skip it when NO_COLOR is set or stdout is not a terminal (`useColour`). Example:
 * `colourVerdicts("SLO …: PASS")` wraps PASS in green.
 */
export const colourVerdicts = (text: string): string =>
  text.replace(/\b(PASS|pass)\b/g, "\x1b[32m$1\x1b[39m").replace(/\b(FAIL|VIOLATED)\b/g, "\x1b[31m$1\x1b[39m")

/** Colour on this stream: a terminal, and NO_COLOR unset or empty (no-color.org). */
export const useColour = (out: { readonly isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean =>
  out.isTTY === true && !env.NO_COLOR
