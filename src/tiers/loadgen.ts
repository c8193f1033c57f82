/** The load generator's own processes (scenario `loadgen`): a saturated one sends late. */
import { num, type Tier } from "./tier.ts"

export const loadgenTier: Tier = {
  key: "loadgen",
  figures: [
    { key: "sendDelayP99", label: "load generator send delay p99 ms", get: (r) => r.loadgen?.sendDelayMs.p99, better: "lower" },
    { key: "loadgenBusiest", label: "busiest generator process", get: (r) => r.loadgen?.busiest, better: "lower" }
  ],
  summary: (r) => {
    const lg = r.loadgen
    return (
      lg && {
        title: "Load generator",
        rows: [
          ["processes", `${num(lg.processes)}; the busiest ${(lg.busiest * 100).toFixed(1)} % busy${lg.busiest > 0.9 ? " — saturated: latency above includes the generator's own queueing" : ""}`],
          ["send delay p50 / p99 / max", `${num(lg.sendDelayMs.p50)} / ${num(lg.sendDelayMs.p99)} / ${num(lg.sendDelayMs.max)} ms`]
        ]
      }
    )
  }
}
