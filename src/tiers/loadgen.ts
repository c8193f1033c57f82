/** The load generator's own processes (scenario `loadgen`): a saturated one sends late. */
import { percent } from "../figures.ts"
import { Schema } from "effect"
import { Distribution, Latency, N, NumArray, PositiveInt, withDefault } from "../schema-parts.ts"
import { num, type Tier } from "./tier.ts"

/**
 * The load generator itself (reference system 3): hunters are spread over `processes`
 * worker processes (hunter h on process h mod processes), each a single-threaded event loop
 * spending cpuMsPerRequest to send a request and handle its reply. A saturated process
 * sends late — and since latency is measured from the intended time, the report shows the
 * generator's own queueing (and its processes' load, so it is not mistaken for the server's).
 */
export const LoadGenSchema = Schema.Struct({
  processes: PositiveInt.check(Schema.isLessThanOrEqualTo(10_000)),
  cpuMsPerRequest: withDefault(Distribution, { kind: "constant", ms: 0.05 })
})

/** With a modelled load generator: its processes' load and how late requests left. */
export const LoadgenReportSchema = Schema.Struct({ processes: N, sent: NumArray, busiest: N, sendDelayMs: Latency })

export const loadgenTier: Tier = {
  key: "loadgen",
  figures: [
    { key: "sendDelayP99", label: "load generator send delay p99 ms", get: (r) => r.loadgen?.sendDelayMs.p99, better: "lower" },
    { key: "loadgenBusiest", label: "busiest generator process", get: (r) => r.loadgen?.busiest, better: "lower", unit: "share" }
  ],
  summary: (r) => {
    const lg = r.loadgen
    return (
      lg && {
        title: "Load generator",
        rows: [
          ["processes", `${num(lg.processes)}; the busiest ${percent(lg.busiest)} busy${lg.busiest > 0.9 ? " — saturated: latency above includes the generator's own queueing" : ""}`],
          ["send delay p50 / p99 / max", `${num(lg.sendDelayMs.p50)} / ${num(lg.sendDelayMs.p99)} / ${num(lg.sendDelayMs.max)} ms`]
        ]
      }
    )
  }
}
