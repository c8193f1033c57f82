/**
 * The report model: what a run produced, as plain JSON-ready data. Everything except
 * `sim.wallMs` and `sim.eventsPerSec` is a function of the scenario and seed, so two runs
 * of the same scenario give byte-identical reports once those two fields are removed.
 */
import type { InvariantResult } from "./invariants.ts"
import type { LatencySummary } from "./metrics/histogram.ts"
import type { Scenario } from "./scenario.ts"

// 2: errors.total is the sum of errors.byKind; requests unfinished at the end are counted apart (`unfinished`).
export const REPORT_VERSION = 2

export interface TimelineRow {
  readonly second: number
  readonly requests: number
  readonly ok: number
  readonly errors: number
  /** This second's errors by kind (timeout, connection, breakerOpen, poolTimeout). */
  readonly errorsByKind: Readonly<Record<string, number>>
  readonly retries: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly backlog: number
  readonly breakersOpen: number
  readonly faults: ReadonlyArray<number>
  /** With a pipeline: unread diffs in all streams at the second's end, and buckets that began splitting. */
  readonly streamBacklog?: number
  readonly splits?: ReadonlyArray<number>
  /** With a log sink: how far the materialized totals lag behind at the second's end. */
  readonly consumerLagMs?: number
}

/** Requests still under way when a run ends, by where each one waits. */
export interface Unfinished {
  /** Sent to Redis (or a refusing worker) and not yet answered or timed out. */
  readonly inFlight: number
  /** Between attempts: failed once, its retry not yet sent. */
  readonly retryWait: number
  /** Queued for an app worker (a first attempt's parse). */
  readonly appQueue: number
  /** Not yet sent by its busy load-generator process. */
  readonly loadgen: number
}


export interface BucketReport {
  readonly bucket: number
  readonly node: number
  readonly requests: number
  readonly errors: number
  readonly collisions: number
  readonly p99: number
  readonly maxBacklog: number
  readonly streamLength: number
  readonly streamTrimmed: number
  readonly breakerTrips: number
  /** With geography: the bucket's geohash prefix and bounds, hunters in it at the end and at most. */
  readonly name?: string
  readonly bounds?: { readonly south: number; readonly west: number; readonly north: number; readonly east: number }
  readonly hunters?: number
  readonly maxHunters?: number
  /** With a pipeline: the bucket's stream and worker. */
  readonly stream?: {
    readonly diffs: number
    readonly delivered: number
    readonly trimmed: number
    readonly maxBacklog: number
    readonly maxLagMs: number
    readonly split: boolean
    readonly cacheHits?: number
    readonly cacheMisses?: number
  }
}

/** Per-bucket figures over time: `requests[column][bucket]`, one column per `everySec` seconds. */
export interface BucketTimelineReport {
  readonly everySec: number
  readonly requests: ReadonlyArray<ReadonlyArray<number>>
  readonly errors: ReadonlyArray<ReadonlyArray<number>>
  readonly maxBacklog: ReadonlyArray<ReadonlyArray<number>>
  readonly hunters: ReadonlyArray<ReadonlyArray<number>>
  readonly streamBacklog?: ReadonlyArray<ReadonlyArray<number>>
  /** Seconds in the column the bucket's breaker was open at a second's end. */
  readonly breakerOpen: ReadonlyArray<ReadonlyArray<number>>
}

/** The per-bucket pipeline's figures (scenario `pipeline`). */
export interface PipelineReport {
  readonly diffs: number
  readonly delivered: number
  /** Diffs trimmed from a stream past its cap before the worker read them (never delivered). */
  readonly trimmed: number
  readonly backlogAtEnd: number
  readonly maxBacklog: number
  /** Diff delivery: entering the stream → fanned out to every subscriber. */
  readonly lagMs: LatencySummary
  readonly edgeCache?: { readonly hits: number; readonly misses: number; readonly hitRate: number; readonly staleHits: number; readonly stalenessMs: LatencySummary }
  readonly splits: ReadonlyArray<{ readonly bucket: number; readonly name: string; readonly atMs: number; readonly doneAtMs: number; readonly subscribers: number; readonly children: number }>
}

export interface Report {
  readonly version: number
  /** Set when the run was stopped early (Ctrl-C): the figures cover `atMs` of the scenario's time. */
  readonly partial?: { readonly atMs: number; readonly reason: "interrupted" }
  /** "sim": virtual time (model store, or lockstep on another store); "live": wall clock. */
  readonly mode: "sim" | "live"
  /** Where the claims ran: "model", "mock", or a Redis URL (password redacted). */
  readonly target: string
  readonly seed: number
  readonly replay: string
  readonly scenario: Scenario
  readonly latencyMs: LatencySummary
  /** Time requests spent queued on a node before their script ran. */
  readonly queueWaitMs: LatencySummary
  readonly throughputPerSec: number
  readonly requests: number
  readonly attempts: number
  readonly retries: number
  readonly inFlightAtEnd: number
  /**
   * Requests not finished when the run ended, by where they waited: neither successes nor
   * errors, and left out of the error rate and the latency figures (the SLO says so).
   */
  readonly unfinished: { readonly total: number; readonly rate: number } & Unfinished
  /** `total` is always the sum of `byKind`; `rate` is over finished requests (ok + errors). */
  readonly errors: { readonly total: number; readonly rate: number; readonly byKind: Record<string, number> }
  readonly replies: Record<string, number>
  readonly claims: {
    readonly attempted: number
    readonly won: number
    readonly lostAcknowledged: number
    readonly doubleAwarded: number
    readonly appliedUnacknowledged: number
    /** Claims that found the artifact taken within artifacts.collisionWindowMs of the win. */
    readonly collisions: number
  }
  readonly breakers: { readonly trips: number }
  readonly invariants: ReadonlyArray<InvariantResult>
  readonly faults: ReadonlyArray<{
    readonly index: number
    readonly kind: string
    readonly target: number
    readonly atMs: number
    readonly durationMs: number
    readonly lostWrites: number
    readonly lostAcknowledged: number
    readonly replicatedUpToMs: number | null
  }>
  readonly slo: { readonly pass: boolean; readonly breaches: ReadonlyArray<string> }
  readonly timeline: ReadonlyArray<TimelineRow>
  readonly buckets: ReadonlyArray<BucketReport>
  readonly bucketTimeline: BucketTimelineReport
  /** With geography: hunters that changed bucket while walking, and those the viral artifact drew. */
  readonly geography?: { readonly crossings: number; readonly viralJoined: number }
  readonly pipeline?: PipelineReport
  /** With an app tier: its queue, load and heartbeats. */
  readonly app?: {
    readonly workers: number
    readonly requests: number
    /** Hunter requests' wait for a free worker. */
    readonly queueWaitMs: LatencySummary
    readonly heartbeatsParsed: number
    readonly heartbeatsDropped: number
    /** Heartbeat bytes per second reaching the app (0 when the proxy drops them). */
    readonly heartbeatBytesPerSec: number
    /** Busy share of the workers' time over the run. */
    readonly utilisation: number
  }
  /** With a sink: loot rows (sync) or events and the aggregator's consumer lag (log). */
  readonly sink?: {
    readonly mode: "sync" | "log"
    readonly rows: number
    readonly stalledInserts: number
    readonly insertMs: LatencySummary
    readonly events: number
    readonly consumerLagMs: LatencySummary
    readonly unaggregatedAtEnd: number
  }
  /** With a modelled load generator: its processes' load and how late requests left. */
  readonly loadgen?: { readonly processes: number; readonly sent: ReadonlyArray<number>; readonly busiest: number; readonly sendDelayMs: LatencySummary }
  /** With consistent-hash workers: requests per worker, refused by a dead one, re-routed. */
  readonly workers?: { readonly count: number; readonly routed: ReadonlyArray<number>; readonly failedFast: number; readonly rerouted: number }
  readonly nodes: ReadonlyArray<{ readonly node: number; readonly served: number; readonly meanQueueWaitMs: number }>
  readonly histogram: { readonly unit: "us"; readonly hdrBase64: string }
  /** Live runs only: the wall-clock side of the measurement. */
  readonly live?: {
    readonly timeScale: number
    /** Latency from when each request actually left (coordinated omission not corrected). */
    readonly uncorrectedLatencyMs: LatencySummary
    /** Requests that left more than 1 ms after their scheduled time, and the worst delay. */
    readonly lateSends: number
    readonly maxSendDelayMs: number
  }
  readonly sim: { readonly events: number; readonly wallMs: number; readonly eventsPerSec: number }
}

const shellWord = (w: string) => (/^[\w./:@=,+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)

/**
 * The one-line command that replays a run: its source, seed and target, then `flags` — the
 * other options that changed the result (`--no-faults`, `--live`…), so the line reproduces
 * the run it follows. Example: `replayCommand("default", 42, "model", ["--no-faults"])`.
 */
export const replayCommand = (source: string, seed: number, target = "model", flags: ReadonlyArray<string> = []): string =>
  ["npx huntbench run", shellWord(source), "--seed", String(seed), ...(target === "model" ? [] : ["--target", shellWord(target)]), ...flags.map(shellWord)].join(" ")

/** How a run came about, beyond its raw figures: for the report's header fields. */
export interface RunInfo {
  readonly mode?: "sim" | "live"
  readonly target?: string
  /** Options besides source, seed and target that changed the result (see replayCommand). */
  readonly replayFlags?: ReadonlyArray<string>
  /** The run was stopped early (Ctrl-C) at `raw.endMs`. */
  readonly partial?: boolean
}

/** The report without its wall-clock fields: what must be identical across replays. */
export const deterministicPart = (r: Report): Omit<Report, "sim"> & { sim: { events: number } } => ({
  ...r,
  sim: { events: r.sim.events }
})
