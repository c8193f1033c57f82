/** The app tier in front of Redis: workers parsing requests and heartbeats (scenario `app`). */
import { num, type Tier } from "./tier.ts"

export const appTier: Tier = {
  key: "app",
  figures: [
    { key: "appWaitP99", label: "app queue wait p99 ms", get: (r) => r.app?.queueWaitMs.p99, better: "lower" },
    { key: "appUtilisation", label: "app workers busy", get: (r) => r.app?.utilisation, better: "lower" }
  ],
  summary: (r) =>
    r.app && {
      title: "App tier",
      rows: [
        ["workers", `${num(r.app.workers)}, ${(r.app.utilisation * 100).toFixed(1)} % busy`],
        ["queue wait p50 / p99 / max", `${num(r.app.queueWaitMs.p50)} / ${num(r.app.queueWaitMs.p99)} / ${num(r.app.queueWaitMs.max)} ms`],
        ["heartbeats", `${num(r.app.heartbeatsParsed)} parsed (${num(r.app.heartbeatBytesPerSec)} B/s), ${num(r.app.heartbeatsDropped)} dropped by the proxy`]
      ]
    }
}
