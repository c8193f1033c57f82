/** The connection gateway (scenario `gateway`): processes holding the hunters' sockets, each with a cap. */
import { Schema } from "effect"
import { N, NumArray, PositiveInt, withDefault } from "../schema-parts.ts"
import { num, type Tier } from "./tier.ts"

/**
 * The process tier that holds every hunter's long-lived connection (a WebSocket gateway,
 * reference system 4): a hunter connects with its first request to the process its id hashes
 * to and keeps the connection; a process holds at most `maxConnections` (its file
 * descriptors), so past that a hunter is refused — its requests fail at once as connection
 * errors (retried by the engine) until a later request finds room, which on a full process
 * never comes. Vertical scaling is a larger cap; horizontal, more processes.
 */
export const GatewaySchema = Schema.Struct({
  processes: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(10_000)), 1),
  maxConnections: withDefault(PositiveInt, 65_536)
})

/** With a gateway: connections per process at the end, the fullest, and what was refused. */
export const GatewayReportSchema = Schema.Struct({
  processes: N,
  maxConnections: N,
  connections: NumArray,
  fullest: N,
  refusedHunters: N,
  refusedRequests: N
})

export const gatewayTier: Tier = {
  key: "gateway",
  figures: [
    { key: "gatewayRefusedHunters", label: "hunters refused by the gateway", get: (r) => r.gateway?.refusedHunters, better: "lower" },
    { key: "gatewayFullest", label: "fullest gateway process (connections)", get: (r) => r.gateway?.fullest, better: "lower" }
  ],
  problems: (s) =>
    s.gateway !== undefined && s.gateway.processes > s.hunters.count
      ? [{ field: "gateway.processes", message: `${s.gateway.processes} processes for ${s.hunters.count} hunters: some would hold nobody (at most hunters.count)` }]
      : [],
  summary: (r) => {
    const g = r.gateway
    if (g === undefined) return undefined
    const connected = g.connections.reduce((a, b) => a + b, 0)
    return {
      title: "Gateway",
      rows: [
        ["processes", `${num(g.processes)} × ${num(g.maxConnections)} connections; ${num(connected)} connected, fullest ${num(g.fullest)}`],
        ["refused", g.refusedHunters === 0 ? "none" : `${num(g.refusedHunters)} hunters (${num(g.refusedRequests)} requests) — a process is full`]
      ]
    }
  }
}
