/** The app tier in front of Redis: workers parsing requests and heartbeats (scenario `app`). */
import { percent } from "../figures.ts"
import { Schema } from "effect"
import { Distribution, Latency, N, NonNegative, Positive, PositiveInt, withDefault } from "../schema-parts.ts"
import { num, type Tier } from "./tier.ts"

/**
 * The app tier in front of Redis (reference system 1): worker processes with one queue;
 * each hunter request takes a worker for parseMs before its Redis call. The load generator
 * may also send heartbeats (bytes every intervalMs per hunter) that workers must parse too,
 * unless a proxy drops them before the app.
 */
export const AppSchema = Schema.Struct({
  workers: PositiveInt.check(Schema.isLessThanOrEqualTo(100_000)),
  parseMs: withDefault(Distribution, { kind: "constant", ms: 0.1 }),
  heartbeat: Schema.optionalKey(Schema.Struct({ bytes: withDefault(PositiveInt, 96), intervalMs: Positive, parseMs: withDefault(NonNegative, 0.05) })),
  proxy: withDefault(Schema.Struct({ dropHeartbeats: withDefault(Schema.Boolean, false) }), {})
})

/** With an app tier: its queue, load and heartbeats. */
export const AppReportSchema = Schema.Struct({
  workers: N,
  requests: N,
  /** Hunter requests' wait for a free worker. */
  queueWaitMs: Latency,
  heartbeatsParsed: N,
  heartbeatsDropped: N,
  /** Heartbeat bytes per second reaching the app (0 when the proxy drops them). */
  heartbeatBytesPerSec: N,
  /** Busy share of the workers' time over the run. */
  utilisation: N
})

export const appTier: Tier = {
  key: "app",
  figures: [
    { key: "appWaitP99", label: "app queue wait p99 ms", get: (r) => r.app?.queueWaitMs.p99, better: "lower" },
    { key: "appUtilisation", label: "app workers busy", get: (r) => r.app?.utilisation, better: "lower", unit: "share" }
  ],
  summary: (r) =>
    r.app && {
      title: "App tier",
      rows: [
        ["workers", `${num(r.app.workers)}, ${percent(r.app.utilisation)} busy`],
        ["queue wait p50 / p99 / max", `${num(r.app.queueWaitMs.p50)} / ${num(r.app.queueWaitMs.p99)} / ${num(r.app.queueWaitMs.max)} ms`],
        ["heartbeats", `${num(r.app.heartbeatsParsed)} parsed (${num(r.app.heartbeatBytesPerSec)} B/s), ${num(r.app.heartbeatsDropped)} dropped by the proxy`]
      ]
    }
}
