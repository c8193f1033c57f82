/**
 * The terminal summary of a report: the figures an on-call engineer reads first, in a
 * fixed layout, ending with the SLO verdict and the replay command.
 */
import type { Report } from "../../src/report.ts"

const num = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 3 })
const pct = (x: number) => `${(x * 100).toFixed(3)} %`

const table = (rows: Array<[string, string]>): string => {
  const w = Math.max(...rows.map((r) => r[0].length))
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n")
}

/** Render a report as the CLI's summary. Example: `process.stdout.write(formatSummary(report))`. */
export const formatSummary = (r: Report): string => {
  const s = r.scenario
  const out: Array<string> = []
  out.push(`huntbench — ${s.name}: ${num(s.hunters.count)} hunters, ${num(s.durationMs / 1000)} s, ${s.topology.buckets} buckets on ${s.topology.nodes} nodes, ${s.faults.length} fault(s)`)
  if (r.partial)
    out.push(`PARTIAL — interrupted at ${num(r.partial.atMs / 1000)} s of ${num(s.durationMs / 1000)} s: the figures below cover only that much`)
  out.push("")
  out.push("Latency (ms, successful requests, from intended start)")
  out.push(table([
    ["p50 / p95 / p99", `${num(r.latencyMs.p50)} / ${num(r.latencyMs.p95)} / ${num(r.latencyMs.p99)}`],
    ["p99.9 / max", `${num(r.latencyMs.p999)} / ${num(r.latencyMs.max)}`]
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
    ["requests", `${num(r.requests)} (${num(r.throughputPerSec)}/s), ${num(r.attempts)} attempts, ${num(r.retries)} retries`],
    ["errors", `${num(r.errors.total)} (${pct(r.errors.rate)} of finished requests)${kinds ? ` — ${kinds}` : ""}`],
    ["unfinished at the end", `${num(u.total)} (${pct(u.rate)} of requests)${where ? ` — ${where}` : ""}`],
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
  const label = (b: Report["buckets"][number]) => `${b.name ?? `b${b.bucket}`}@n${b.node}`
  const crowded = [...r.buckets].sort((a, b) => (b.maxHunters ?? 0) - (a.maxHunters ?? 0) || a.bucket - b.bucket)[0]
  out.push("")
  out.push("Buckets")
  out.push(table([
    ["worst p99", worst.map((b) => `${label(b)} ${num(b.p99)} ms`).join(", ")],
    ["max backlog", deepest ? `${label(deepest)} ${num(deepest.maxBacklog)} in flight` : "-"],
    ...(r.geography && crowded
      ? ([
          ["most hunters", `${label(crowded)} ${num(crowded.maxHunters ?? 0)} at most`],
          ["crossings", `${num(r.geography.crossings)} bucket changes while walking`],
          ...(s.geography?.viral ? [["viral", `${num(r.geography.viralJoined)} hunters drawn at ${num(s.geography.viral.atMs / 1000)} s`]] : [])
        ] as Array<[string, string]>)
      : [])
  ]))
  if (r.app) {
    out.push("")
    out.push("App tier")
    out.push(table([
      ["workers", `${num(r.app.workers)}, ${(r.app.utilisation * 100).toFixed(1)} % busy`],
      ["queue wait p50 / p99 / max", `${num(r.app.queueWaitMs.p50)} / ${num(r.app.queueWaitMs.p99)} / ${num(r.app.queueWaitMs.max)} ms`],
      ["heartbeats", `${num(r.app.heartbeatsParsed)} parsed (${num(r.app.heartbeatBytesPerSec)} B/s), ${num(r.app.heartbeatsDropped)} dropped by the proxy`]
    ]))
  }
  if (r.loadgen) {
    out.push("")
    out.push("Load generator")
    const lg = r.loadgen
    out.push(table([
      ["processes", `${num(lg.processes)}; the busiest ${(lg.busiest * 100).toFixed(1)} % busy${lg.busiest > 0.9 ? " — saturated: latency above includes the generator's own queueing" : ""}`],
      ["send delay p50 / p99 / max", `${num(lg.sendDelayMs.p50)} / ${num(lg.sendDelayMs.p99)} / ${num(lg.sendDelayMs.max)} ms`]
    ]))
  }
  if (r.sink || r.workers) {
    out.push("")
    out.push("Sink and workers")
    const rows: Array<[string, string]> = []
    if (r.sink?.mode === "sync")
      rows.push(["loot rows", `${num(r.sink.rows)} inserted, ${num(r.sink.stalledInserts)} met a stall; insert p50 / p99 / max ${num(r.sink.insertMs.p50)} / ${num(r.sink.insertMs.p99)} / ${num(r.sink.insertMs.max)} ms`])
    if (r.sink?.mode === "log")
      rows.push(["event log", `${num(r.sink.events)} events; totals lag p50 / max ${num(r.sink.consumerLagMs.p50)} / ${num(r.sink.consumerLagMs.max)} ms; ${num(r.sink.unaggregatedAtEnd)} not yet aggregated at the end`])
    if (r.workers) rows.push(["workers", `${num(r.workers.count)} on a consistent-hash ring; ${num(r.workers.failedFast)} requests refused by a dead worker, ${num(r.workers.rerouted)} re-routed`])
    out.push(table(rows))
  }
  const pl = r.pipeline
  if (pl) {
    const deepestStream = [...r.buckets].sort((a, b) => (b.stream?.maxBacklog ?? 0) - (a.stream?.maxBacklog ?? 0) || a.bucket - b.bucket)[0]
    out.push("")
    out.push("Pipeline (bucket streams, workers, fan-out)")
    out.push(table([
      ["diffs", `${num(pl.diffs)} in, ${num(pl.delivered)} delivered, ${num(pl.trimmed)} trimmed unread, ${num(pl.backlogAtEnd)} unread at the end`],
      ["delivery p50 / p99 / max", `${num(pl.lagMs.p50)} / ${num(pl.lagMs.p99)} / ${num(pl.lagMs.max)} ms`],
      ["max stream backlog", deepestStream ? `${label(deepestStream)} ${num(deepestStream.stream?.maxBacklog ?? 0)} unread` : "-"],
      ...(pl.edgeCache
        ? ([["edge cache", `${(pl.edgeCache.hitRate * 100).toFixed(1)} % hits (${num(pl.edgeCache.hits)} / ${num(pl.edgeCache.hits + pl.edgeCache.misses)}), ${num(pl.edgeCache.staleHits)} stale, staleness p99 ${num(pl.edgeCache.stalenessMs.p99)} ms`]] as Array<[string, string]>)
        : []),
      ["shard splits", pl.splits.length === 0 ? "none" : pl.splits.map((x) => `${x.name} at ${num(x.atMs / 1000)} s (${num(x.subscribers)} subscribers → ${x.children} cells)`).join(", ")]
    ]))
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
        (f.kind === "crash" ? `, ${num(f.lostWrites)} writes lost (${num(f.lostAcknowledged)} acknowledged)` : "")
    ])))
  }
  out.push("")
  out.push("Invariants")
  out.push(table(r.invariants.map((i) => [
    i.name,
    i.ok ? `ok${i.attributed > 0 ? ` (${num(i.attributed)} attributed to faults)` : ""}` : `VIOLATED ×${num(i.violations)}: ${i.examples[0]?.detail ?? ""}`
  ])))
  out.push("")
  out.push(`SLO (p99 < ${num(s.slo.p99Ms)} ms, errors < ${pct(s.slo.maxErrorRate)}; both over finished requests, unfinished ones not counted): ${r.partial ? "NOT JUDGED (partial run)" : r.slo.pass ? "PASS" : "FAIL"}`)
  for (const b of r.slo.breaches) out.push(`  - ${b}`)
  out.push(`seed ${r.seed} · ${num(r.sim.events)} events in ${num(r.sim.wallMs)} ms (${num(r.sim.eventsPerSec)} events/s)`)
  out.push(`replay: ${r.replay}`)
  return out.join("\n") + "\n"
}
