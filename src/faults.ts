/**
 * The fault timeline compiled per node: windows the timing model looks up on the hot path
 * (down, paused, slow, lagging) and the moments where state is lost. Pure data, computed
 * once from the scenario, so the same timeline drives the simulated run, the invariant
 * attribution and (later) real fault injection.
 */
import type { Scenario } from "./scenario.ts"

export interface Window {
  readonly from: number
  readonly to: number
  readonly fault: number
}
export interface SpikeWindow extends Window {
  readonly extraMs: number
  readonly scriptOnly: boolean
}
export interface LagWindow extends Window {
  readonly lagMs: number
}
export interface LinkWindow extends Window {
  readonly extraMs: number
  readonly jitterMs: number
}
/** A moment where a node's state is lost: `failover` keeps what the replica had, `wipe` keeps nothing. */
export interface LossPoint {
  readonly at: number
  readonly node: number
  readonly fault: number
  readonly kind: "failover" | "wipe"
}

export interface NodeFaults {
  readonly down: Array<Window>
  readonly pauses: Array<Window>
  readonly spikes: Array<SpikeWindow>
  readonly lags: Array<LagWindow>
  /** Windows when the node has no replica (after a failover until the old primary rejoins). */
  readonly noReplica: Array<Window>
  readonly shrinks: Array<Window & { readonly poolSize: number }>
  /** Slow links to the node: the extra one-way delay, checked when a request leaves and when its reply does. */
  readonly links: Array<LinkWindow>
  /** The span [linkFirst, linkLast) of the link windows (Infinity / -Infinity: none). */
  readonly linkFirst: number
  readonly linkLast: number
  readonly any: boolean
  /**
   * The span [first, last) outside which none of the windows above that change a request's
   * timing (down, pauses, spikes, lags, noReplica) applies, so the timing model can skip
   * the window scans for the many requests far from any fault. Empty: first = Infinity.
   */
  readonly first: number
  readonly last: number
}

export interface FaultPlan {
  readonly nodes: ReadonlyArray<NodeFaults>
  readonly losses: ReadonlyArray<LossPoint>
}

/**
 * Compile `scenario.faults` into per-node windows. Example: a crash of node 1 at 10 s with a
 * replica, detection 2 s and promotion 0.4 s gives `plan.nodes[1].down = [{ from: 10000,
 * to: 12400, fault: 0 }]` and a `failover` loss point at 10 000 ms.
 */
export const compileFaults = (s: Scenario): FaultPlan => {
  const { detectionMs, promotionMs } = s.topology.failover
  const nodes = Array.from({ length: s.topology.nodes }, () => ({
    down: [] as Array<Window>,
    pauses: [] as Array<Window>,
    spikes: [] as Array<SpikeWindow>,
    lags: [] as Array<LagWindow>,
    noReplica: [] as Array<Window>,
    shrinks: [] as Array<Window & { poolSize: number }>,
    links: [] as Array<LinkWindow>,
    linkFirst: Infinity,
    linkLast: -Infinity,
    any: false,
    first: Infinity,
    last: -Infinity
  }))
  if (!s.topology.replicas) for (const n of nodes) n.noReplica.push({ from: 0, to: Infinity, fault: -1 })
  const losses: Array<LossPoint> = []
  const order = s.faults.map((f, i) => i).sort((a, b) => s.faults[a].atMs - s.faults[b].atMs || a - b)
  for (const i of order) {
    const f = s.faults[i]
    const n = nodes[f.target]
    n.any = true
    const from = f.atMs, to = f.atMs + f.durationMs
    switch (f.kind) {
      case "latencySpike":
        n.spikes.push({ from, to, fault: i, extraMs: f.extraMs, scriptOnly: f.scope === "script" })
        break
      case "pause":
        n.pauses.push({ from, to, fault: i })
        break
      case "replicationLag":
        n.lags.push({ from, to, fault: i, lagMs: f.lagMs })
        break
      case "poolShrink":
        n.shrinks.push({ from, to, fault: i, poolSize: f.poolSize })
        break
      case "linkLatency":
        n.links.push({ from, to, fault: i, extraMs: f.extraMs, jitterMs: f.jitterMs })
        n.linkFirst = Math.min(n.linkFirst, from)
        n.linkLast = Math.max(n.linkLast, to)
        break
      case "crash": {
        const hasReplica = !n.noReplica.some((w) => w.from <= from && from < w.to)
        if (hasReplica && f.durationMs >= detectionMs) {
          // Sentinel notices, promotes the replica; the old primary rejoins as a replica later.
          const up = from + detectionMs + promotionMs
          n.down.push({ from, to: up, fault: i })
          n.noReplica.push({ from: up, to: Math.max(up, to), fault: i })
          losses.push({ at: from, node: f.target, fault: i, kind: "failover" })
        } else {
          // Back before anyone noticed (or nothing to fail over to): it restarts empty,
          // having no persistence, and a replica resyncs from that empty primary.
          n.down.push({ from, to, fault: i })
          losses.push({ at: from, node: f.target, fault: i, kind: "wipe" })
        }
        break
      }
    }
  }
  for (const n of nodes) {
    if (!n.any) continue
    for (const w of [...n.down, ...n.pauses, ...n.spikes, ...n.lags, ...n.noReplica]) {
      n.first = Math.min(n.first, w.from)
      n.last = Math.max(n.last, w.to)
    }
  }
  losses.sort((a, b) => a.at - b.at || a.fault - b.fault)
  return { nodes, losses }
}

/** The faults active at time `t` (indices into scenario.faults). Example: `activeFaults(s, 12000)`. */
export const activeFaults = (s: Scenario, t: number): Array<number> =>
  s.faults.flatMap((f, i) => (f.atMs <= t && t < f.atMs + f.durationMs ? [i] : []))
