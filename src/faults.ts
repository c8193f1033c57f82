/**
 * Faults: the kinds a scenario's timeline can hold (one vocabulary for the model and for
 * real injection), and the timeline compiled per node — windows the timing model looks up on
 * the hot path (down, paused, slow, lagging, cut off, resetting) and the moments where state
 * is lost. Pure data, computed once from the scenario, so the same timeline drives the
 * simulated run, the invariant attribution and real fault injection.
 */
import { Schema } from "effect"
import type { Scenario } from "./scenario.ts"
import { Fraction, NonNegative, NonNegativeInt, Positive, PositiveInt, withDefault } from "./schema-parts.ts"

const Target = NonNegativeInt.annotate({ description: "a node index" })
const at = { atMs: NonNegative, durationMs: Positive, target: Target }

/** Every fault has a `kind`, a `target` node, `atMs` and `durationMs`; the rest is the kind's. */
export const FaultSchema = Schema.Union([
  // The node's script (or every command) takes extraMs longer.
  Schema.Struct({ kind: Schema.Literal("latencySpike"), ...at, extraMs: Positive, scope: withDefault(Schema.Literals(["node", "script"]), "node") }),
  // The node stops serving: "all" (absent: SIGSTOP, CLIENT PAUSE ALL) holds every request
  // until it resumes; "writes" (CLIENT PAUSE WRITE) holds the claims — which then run in a
  // burst at the end — while reads go on. (Optional rather than defaulted, so that the
  // reports of timelines written before it are unchanged.)
  Schema.Struct({ kind: Schema.Literal("pause"), ...at, mode: Schema.optionalKey(Schema.Literals(["all", "writes"])) }),
  // The primary dies: with a replica and a crash longer than detection, Sentinel promotes the
  // replica (what it lacked is lost); otherwise it comes back empty.
  Schema.Struct({ kind: Schema.Literal("crash"), ...at }),
  Schema.Struct({ kind: Schema.Literal("replicationLag"), ...at, lagMs: Positive }),
  Schema.Struct({ kind: Schema.Literal("poolShrink"), ...at, poolSize: PositiveInt }),
  // The client↔node link, not the server: each way (or only "up", client → node, or "down")
  // takes extraMs ± jitterMs longer, so a request holds its pool connection longer (pool size
  // matters) while the node is idle. (direction optional: older timelines' reports unchanged.)
  Schema.Struct({
    kind: Schema.Literal("linkLatency"),
    ...at,
    extraMs: Positive,
    jitterMs: withDefault(NonNegative, 0),
    direction: Schema.optionalKey(Schema.Literals(["both", "up", "down"]))
  }),
  // The link passes nothing: what leaves either way in the window is held (TCP retransmits)
  // and gets through when it heals — so the client times out meanwhile, its connection
  // hangs, and late requests still run after. Not a crash: the node loses nothing.
  Schema.Struct({ kind: Schema.Literal("partition"), ...at }),
  // Each request leaving in the window has its connection reset with this probability: a
  // connection error at once (the RST comes back), the command not run.
  Schema.Struct({ kind: Schema.Literal("connectionReset"), ...at, probability: withDefault(Fraction, 1) }),
  // The node's process is killed and started again after durationMs with what it had on
  // disk: "empty" (no persistence: everything lost), "disk" (its AOF, fsync'd every second,
  // as a machine that lost power finds it: the last second's writes lost) or "replica"
  // (reloaded from its replica: what the replica lacked is lost).
  Schema.Struct({ kind: Schema.Literal("restart"), ...at, from: withDefault(Schema.Literals(["empty", "disk", "replica"]), "empty") }),
  // A controlled promotion of the node's replica at atMs — "sentinel" (SENTINEL FAILOVER) or
  // "promote" (REPLICAOF NO ONE and clients redirected): writes the replica lacked are lost,
  // the node refuses for topology.failover.promotionMs, and the old primary rejoins as the
  // new replica after durationMs.
  Schema.Struct({ kind: Schema.Literal("failover"), ...at, via: withDefault(Schema.Literals(["sentinel", "promote"]), "sentinel") })
])
export type Fault = typeof FaultSchema.Type
export const faultKinds = ["latencySpike", "pause", "crash", "replicationLag", "poolShrink", "linkLatency", "partition", "connectionReset", "restart", "failover"] as const

/** Whether faults of `kind` lose state. Example: `losesStateKind("restart") === true`. */
export const losesStateKind = (kind: string): boolean => kind === "crash" || kind === "restart" || kind === "failover"

/** Faults that lose state, which only the model store can undo (refused in lockstep). */
export const losesState = (f: Fault): boolean => losesStateKind(f.kind)

/** How long an AOF with `appendfsync everysec` may be behind when the process dies. */
export const AOF_FSYNC_MS = 1000

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
  /** Whether it slows the way out (client → node) and the way back. */
  readonly up: boolean
  readonly down: boolean
}
/**
 * A moment where a node's state is lost: `failover` keeps what the replica had (a promotion,
 * or a restart reloaded from the replica), `wipe` keeps nothing, `disk` keeps what the AOF
 * had fsync'd (all but the last `AOF_FSYNC_MS`).
 */
export interface LossPoint {
  readonly at: number
  readonly node: number
  readonly fault: number
  readonly kind: "failover" | "wipe" | "disk"
}

export interface NodeFaults {
  readonly down: Array<Window>
  readonly pauses: Array<Window>
  /** Write pauses (CLIENT PAUSE WRITE): claims are held until the window ends; reads are not. */
  readonly writePauses: Array<Window>
  readonly spikes: Array<SpikeWindow>
  readonly lags: Array<LagWindow>
  /** Windows when the node has no replica (after a failover until the old primary rejoins). */
  readonly noReplica: Array<Window>
  readonly shrinks: Array<Window & { readonly poolSize: number }>
  /** Slow links to the node: the extra one-way delay, checked when a request leaves and when its reply does. */
  readonly links: Array<LinkWindow>
  /** Partitions: the link holds what leaves either way until the window ends. */
  readonly cuts: Array<Window>
  /** Connection resets: a request leaving has its connection reset with `probability`. */
  readonly resets: Array<Window & { readonly probability: number }>
  /** The span [linkFirst, linkLast) of the link windows, cuts and resets (Infinity / -Infinity: none). */
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
    writePauses: [] as Array<Window>,
    spikes: [] as Array<SpikeWindow>,
    lags: [] as Array<LagWindow>,
    noReplica: [] as Array<Window>,
    shrinks: [] as Array<Window & { poolSize: number }>,
    links: [] as Array<LinkWindow>,
    cuts: [] as Array<Window>,
    resets: [] as Array<Window & { probability: number }>,
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
        ;(f.mode === "writes" ? n.writePauses : n.pauses).push({ from, to, fault: i })
        break
      case "replicationLag":
        n.lags.push({ from, to, fault: i, lagMs: f.lagMs })
        break
      case "poolShrink":
        n.shrinks.push({ from, to, fault: i, poolSize: f.poolSize })
        break
      case "linkLatency":
        n.links.push({ from, to, fault: i, extraMs: f.extraMs, jitterMs: f.jitterMs, up: f.direction !== "down", down: f.direction !== "up" })
        break
      case "partition":
        n.cuts.push({ from, to, fault: i })
        break
      case "connectionReset":
        n.resets.push({ from, to, fault: i, probability: f.probability })
        break
      case "restart":
        n.down.push({ from, to, fault: i })
        losses.push({ at: from, node: f.target, fault: i, kind: f.from === "empty" ? "wipe" : f.from === "disk" ? "disk" : "failover" })
        break
      case "failover": {
        const up = Math.min(to, from + promotionMs)
        if (up > from) n.down.push({ from, to: up, fault: i })
        n.noReplica.push({ from: up, to, fault: i })
        losses.push({ at: from, node: f.target, fault: i, kind: "failover" })
        break
      }
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
    for (const w of [...n.links, ...n.cuts, ...n.resets]) {
      n.linkFirst = Math.min(n.linkFirst, w.from)
      n.linkLast = Math.max(n.linkLast, w.to)
    }
    for (const w of [...n.down, ...n.pauses, ...n.writePauses, ...n.spikes, ...n.lags, ...n.noReplica]) {
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
