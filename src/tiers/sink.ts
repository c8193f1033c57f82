/** Where wins are recorded (scenario `sink`): a table that stalls, or an event log aggregated later. */
import { Schema } from "effect"
import { Distribution, Latency, N, NonNegative, Positive, withDefault } from "../schema-parts.ts"
import { num, type Tier } from "./tier.ts"

/**
 * Where won claims are recorded (reference system 2). `sync`: each win inserts a loot row
 * into one relational table before the request completes — and a periodic vacuum/freeze
 * stalls every insert for `stall.durationMs` every `stall.everyMs`. `log`: each win is
 * appended to an event log (appendMs) and an aggregator materializes totals every
 * aggregateEveryMs; until then the totals lag behind (consumer lag).
 */
export const SinkSchema = Schema.Struct({
  mode: Schema.Literals(["sync", "log"]),
  insertMs: withDefault(Distribution, { kind: "constant", ms: 2 }),
  stall: Schema.optionalKey(Schema.Struct({ everyMs: Positive, durationMs: Positive })),
  appendMs: withDefault(NonNegative, 0.2),
  aggregateEveryMs: withDefault(Positive, 900_000)
})

/** With a sink: loot rows (sync) or events and the aggregator's consumer lag (log). */
export const SinkReportSchema = Schema.Struct({
  mode: Schema.Literals(["sync", "log"]),
  rows: N,
  stalledInserts: N,
  insertMs: Latency,
  events: N,
  consumerLagMs: Latency,
  unaggregatedAtEnd: N
})

export const sinkTier: Tier = {
  key: "sink",
  figures: [
    { key: "sinkInsertP99", label: "loot insert p99 ms", get: (r) => (r.sink?.mode === "sync" ? r.sink.insertMs.p99 : r.sink ? 0 : undefined), better: "lower" },
    { key: "consumerLagMax", label: "totals lag max ms", get: (r) => (r.sink?.mode === "log" ? r.sink.consumerLagMs.max : r.sink ? 0 : undefined), better: "lower" }
  ],
  problems: (s) => {
    const st = s.sink?.stall
    return st !== undefined && st.durationMs >= st.everyMs
      ? [{ field: "sink.stall.durationMs", message: `must be shorter than sink.stall.everyMs (${st.everyMs}): the table would never accept an insert` }]
      : []
  },
  summary: (r) => {
    const k = r.sink
    if (!k) return undefined
    return {
      title: "Sink",
      rows: [
        k.mode === "sync"
          ? ["loot rows", `${num(k.rows)} inserted, ${num(k.stalledInserts)} met a stall; insert p50 / p99 / max ${num(k.insertMs.p50)} / ${num(k.insertMs.p99)} / ${num(k.insertMs.max)} ms`]
          : ["event log", `${num(k.events)} events; totals lag p50 / max ${num(k.consumerLagMs.p50)} / ${num(k.consumerLagMs.max)} ms; ${num(k.unaggregatedAtEnd)} not yet aggregated at the end`]
      ]
    }
  }
}
