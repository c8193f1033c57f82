/** Where wins are recorded (scenario `sink`): a table that stalls, or an event log aggregated later. */
import { num, type Tier } from "./tier.ts"

export const sinkTier: Tier = {
  key: "sink",
  figures: [
    { key: "sinkInsertP99", label: "loot insert p99 ms", get: (r) => (r.sink?.mode === "sync" ? r.sink.insertMs.p99 : r.sink ? 0 : undefined), better: "lower" },
    { key: "consumerLagMax", label: "totals lag max ms", get: (r) => (r.sink?.mode === "log" ? r.sink.consumerLagMs.max : r.sink ? 0 : undefined), better: "lower" }
  ],
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
