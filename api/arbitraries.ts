/**
 * fast-check arbitraries for huntbench scenarios, for property tests in a user's own suite:
 * `scenario`, `faultTimeline`, `topology` and `workload`. Every value generated decodes
 * through the scenario Schema (tested), and each shrinks towards the simplest hunt: fewer
 * and shorter faults, fewer hunters, buckets and nodes, a shorter run.
 */
import fc from "fast-check"
import type { ScenarioInput } from "../src/scenario.ts"

/** The fault kinds a timeline can hold. */
export const FAULT_KINDS = ["latencySpike", "pause", "crash", "replicationLag", "poolShrink", "linkLatency", "partition", "connectionReset", "restart", "failover"] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

type FaultInput = NonNullable<ScenarioInput["faults"]>[number]
type TopologyInput = NonNullable<ScenarioInput["topology"]>

export interface FaultBounds {
  /** The run the faults fall in (default 10 000 ms). */
  readonly durationMs?: number
  /** Nodes a fault can target (default 1). */
  readonly nodes?: number
  /** Whether the topology has replicas: `failover` and `restart` from a replica need them (default false). */
  readonly replicas?: boolean
  /** At most this many faults (default 3). */
  readonly maxFaults?: number
  /** Only these kinds (default all). */
  readonly kinds?: ReadonlyArray<FaultKind>
}

export interface TopologyBounds {
  readonly maxBuckets?: number
  readonly maxNodes?: number
  readonly maxPoolSize?: number
  /** Replicas always (true), never (false) or either (default). */
  readonly replicas?: boolean
}

export interface WorkloadBounds {
  readonly maxHunters?: number
  readonly maxArtifacts?: number
}

export interface ScenarioBounds extends TopologyBounds, WorkloadBounds {
  readonly minDurationMs?: number
  readonly maxDurationMs?: number
  readonly maxFaults?: number
  readonly kinds?: ReadonlyArray<FaultKind>
}

/** A fault before it is placed in a run: where (a fraction of the run), how long, how strong. */
const rawFault = (kinds: ReadonlyArray<FaultKind>) =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    at: fc.integer({ min: 0, max: 900 }),
    len: fc.integer({ min: 10, max: 500 }),
    target: fc.nat({ max: 63 }),
    amount: fc.integer({ min: 1, max: 3000 })
  })
export type RawFault = { kind: FaultKind; at: number; len: number; target: number; amount: number }

/**
 * A raw fault — `at` and `len` in thousandths of the run, `amount` choosing its magnitude and
 * variant — placed in a run of `durationMs` on `nodes` nodes: a valid fault of the scenario
 * Schema. Example: `placeFault({ kind: "pause", at: 500, len: 100, target: 0, amount: 1 }, 10_000, 2, false)`
 * is a pause of the writes on node 0 from 5 s to 6 s.
 */
export const placeFault = (f: RawFault, durationMs: number, nodes: number, replicas: boolean): FaultInput => {
  const atMs = Math.floor((f.at / 1000) * durationMs)
  const base = { atMs, durationMs: Math.max(1, Math.min(Math.floor((f.len / 1000) * durationMs), durationMs - atMs)), target: f.target % nodes }
  switch (f.kind) {
    case "latencySpike":
      return { ...base, kind: "latencySpike", extraMs: f.amount / 100, scope: f.amount % 2 ? "node" : "script" }
    case "replicationLag":
      return { ...base, kind: "replicationLag", lagMs: f.amount }
    case "poolShrink":
      return { ...base, kind: "poolShrink", poolSize: 1 + (f.amount % 5) }
    case "linkLatency":
      return { ...base, kind: "linkLatency", extraMs: f.amount / 100, jitterMs: (f.amount % 7) / 10, direction: (["both", "up", "down"] as const)[f.amount % 3] }
    case "connectionReset":
      return { ...base, kind: "connectionReset", probability: (1 + (f.amount % 10)) / 10 }
    case "restart": {
      const from = (["empty", "disk", "replica"] as const)[f.amount % 3]
      return { ...base, kind: "restart", from: from === "replica" && !replicas ? "disk" : from }
    }
    case "pause":
      return { ...base, kind: "pause", mode: f.amount % 2 ? "writes" : "all" }
    case "failover":
      return replicas ? { ...base, kind: "failover", via: f.amount % 2 ? "sentinel" : "promote" } : { ...base, kind: "crash" }
    default:
      return { ...base, kind: f.kind } as FaultInput
  }
}

/**
 * A fault timeline for a run of `durationMs` on `nodes` nodes: up to `maxFaults` faults of
 * the given kinds, each inside the run. Example:
 * `fc.sample(faultTimeline({ durationMs: 5000, nodes: 3, kinds: ["pause", "crash"] }), 1)`.
 */
export const faultTimeline = (bounds: FaultBounds = {}): fc.Arbitrary<Array<FaultInput>> => {
  const durationMs = bounds.durationMs ?? 10_000
  const nodes = bounds.nodes ?? 1
  return fc
    .array(rawFault(bounds.kinds ?? FAULT_KINDS), { maxLength: bounds.maxFaults ?? 3 })
    .map((fs) => fs.map((f) => placeFault(f, durationMs, nodes, bounds.replicas ?? false)))
}

const topologyRaw = (b: TopologyBounds) =>
  fc.record({
    buckets: fc.integer({ min: 1, max: b.maxBuckets ?? 12 }),
    nodes: fc.integer({ min: 1, max: b.maxNodes ?? 3 }),
    poolSize: fc.integer({ min: 1, max: b.maxPoolSize ?? 40 }),
    replicas: b.replicas === undefined ? fc.boolean() : fc.constant(b.replicas),
    lagMs: fc.integer({ min: 0, max: 50 }),
    streamCap: fc.integer({ min: 1, max: 30 })
  })

const topologyOf = (t: { buckets: number; nodes: number; poolSize: number; replicas: boolean; lagMs: number; streamCap: number }): TopologyInput => ({
  buckets: t.buckets,
  nodes: t.nodes,
  poolSize: t.poolSize,
  replicas: t.replicas,
  replicationLagMs: t.lagMs,
  failover: { detectionMs: 500, promotionMs: 200 },
  streamCap: t.streamCap
})

/** A topology section: buckets, nodes, pool, replicas. Example: `fc.sample(topology({ maxNodes: 2 }), 1)`. */
export const topology = (bounds: TopologyBounds = {}): fc.Arbitrary<TopologyInput> => topologyRaw(bounds).map(topologyOf)

const workloadRaw = (b: WorkloadBounds) =>
  fc.record({
    hunters: fc.integer({ min: 5, max: b.maxHunters ?? 300 }),
    open: fc.boolean(),
    artifacts: fc.integer({ min: 1, max: b.maxArtifacts ?? 300 }),
    windowMs: fc.integer({ min: 200, max: 20_000 }),
    spread: fc.boolean()
  })
type WorkloadRaw = { hunters: number; open: boolean; artifacts: number; windowMs: number; spread: boolean }

const workloadOf = (w: WorkloadRaw, durationMs: number): Pick<ScenarioInput, "hunters" | "artifacts"> => ({
  hunters: {
    count: w.hunters,
    behaviour: w.open
      ? { model: "open", ratePerSec: w.hunters * 2, tasks: [{ name: "claim", command: "claim", weight: 5 }, { name: "balance", command: "balance", weight: 1 }] }
      : { model: "closed", pollIntervalMs: 200, jitterMs: 100 }
  },
  artifacts: { count: w.artifacts, claimWindowMs: w.windowMs, reveal: w.spread ? { kind: "spread", fromMs: 0, toMs: durationMs } : { kind: "atStart" } }
})

/**
 * The hunters and artifacts of a run of `durationMs` (default 10 000): closed or open hunters,
 * artifacts revealed at the start or spread over the run. Example: `fc.sample(workload(), 1)`.
 */
export const workload = (bounds: WorkloadBounds & { readonly durationMs?: number } = {}): fc.Arbitrary<Pick<ScenarioInput, "hunters" | "artifacts">> =>
  workloadRaw(bounds).map((w) => workloadOf(w, bounds.durationMs ?? 10_000))

/**
 * A whole scenario: seed, length, workload, topology, engine settings and a fault timeline
 * placed in it. Example: `fc.assert(fc.property(arbitraries.scenario({ maxFaults: 2 }), (s) => …))`.
 */
export const scenario = (bounds: ScenarioBounds = {}): fc.Arbitrary<ScenarioInput> =>
  fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
      durationMs: fc.integer({ min: bounds.minDurationMs ?? 3000, max: bounds.maxDurationMs ?? 15_000 }),
      workload: workloadRaw(bounds),
      topology: topologyRaw(bounds),
      timeoutMs: fc.integer({ min: 2, max: 400 }),
      retries: fc.integer({ min: 0, max: 3 }),
      breaker: fc.boolean(),
      faults: fc.array(rawFault(bounds.kinds ?? FAULT_KINDS), { maxLength: bounds.maxFaults ?? 3 })
    })
    .map((r): ScenarioInput => ({
      seed: r.seed,
      durationMs: r.durationMs,
      ...workloadOf(r.workload, r.durationMs),
      topology: topologyOf(r.topology),
      engine: {
        timeoutMs: r.timeoutMs,
        retries: { max: r.retries, baseMs: 5, maxMs: 50 },
        breaker: { enabled: r.breaker, failureThreshold: 3, openMs: 200 }
      },
      faults: r.faults.map((f) => placeFault(f, r.durationMs, r.topology.nodes, r.topology.replicas))
    }))
