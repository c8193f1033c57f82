/**
 * The connection gateway's model (scenario `gateway`, src/tiers/gateway.ts): which process
 * holds each hunter's connection and how full each process is. Connections are opened by a
 * hunter's first request that finds room and kept to the end of the run (hunters stay on
 * the map), so a process that fills up refuses every hunter after.
 */
import type { Scenario } from "../../src/scenario.ts"
import type { GatewayReportSchema } from "../../src/tiers/gateway.ts"
import { mix32 } from "../ring.ts"

export class Gateway {
  readonly processes: number
  readonly maxConnections: number
  /** Connections each process holds. */
  readonly connections: Int32Array
  /** Per hunter: 1 connected, 2 refused at least once (and not connected), 0 not seen yet. */
  private readonly state: Uint8Array
  refusedHunters = 0
  refusedRequests = 0

  /** Example: `const g = new Gateway(scenario); g.connect(hunter) || refuse()`. */
  constructor(s: Scenario) {
    const cfg = s.gateway!
    this.processes = cfg.processes
    this.maxConnections = cfg.maxConnections
    this.connections = new Int32Array(cfg.processes)
    this.state = new Uint8Array(s.hunters.count)
  }

  /** The process hunter `h`'s connection goes to (a hash, so neighbours in id spread out). */
  processOf(h: number): number {
    return mix32(h + 0x27d4eb2f) % this.processes
  }

  /** Hunter `h` sends a request: true if it has (or now opens) a connection, false if refused. */
  connect(h: number): boolean {
    const st = this.state[h]
    if (st === 1) return true
    const p = this.processOf(h)
    if (this.connections[p] < this.maxConnections) {
      this.connections[p]++
      this.state[h] = 1
      return true
    }
    if (st === 0) {
      this.state[h] = 2
      this.refusedHunters++
    }
    this.refusedRequests++
    return false
  }

  /** The report's `gateway` section. */
  report(): typeof GatewayReportSchema.Type {
    let fullest = 0
    for (const c of this.connections) if (c > fullest) fullest = c
    return {
      processes: this.processes,
      maxConnections: this.maxConnections,
      connections: Array.from(this.connections),
      fullest,
      refusedHunters: this.refusedHunters,
      refusedRequests: this.refusedRequests
    }
  }
}
