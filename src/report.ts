/**
 * The report model: what a run produced, as plain JSON-ready data. Everything except
 * `sim.wallMs` and `sim.eventsPerSec` is a function of the scenario and seed, so two runs
 * of the same scenario give byte-identical reports once those two fields are removed.
 */
import { checkInvariants, type InvariantResult } from "./invariants.ts"
import { encodeHdr, summarize, type LatencySummary } from "./metrics/histogram.ts"
import { errorNames, replyNames } from "./engine/protocol.ts"
import type { Scenario } from "./scenario.ts"
import { cellBounds } from "./geo.ts"
import type { RawRun, TimelineRow, Unfinished } from "../sim/driver.ts"
import type { Pipeline } from "../sim/pipeline.ts"

// 2: errors.total is the sum of errors.byKind; requests unfinished at the end are counted apart (`unfinished`).
export const REPORT_VERSION = 2

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

const r3 = (x: number) => Math.round(x * 1000) / 1000
const r6 = (x: number) => Math.round(x * 1e6) / 1e6

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

/**
 * Shape a finished run into a Report. `source` is the preset name or file the scenario came
 * from (for the replay line); `wallMs` is measured by the caller. Example:
 * `buildReport(simulate(s), "default", 812)`.
 */
export const buildReport = (
  raw: RawRun,
  source: string,
  wallMs: number,
  run: RunInfo = {}
): Report => {
  const s = raw.scenario
  const inv = checkInvariants({
    scenario: s,
    store: raw.store,
    acks: raw.acks,
    artifactBucket: raw.workload.artifactBucket,
    hunters: s.hunters.count
  })
  const errorsTotal = sum(raw.errorsByKind)
  const finished = raw.ok + errorsTotal
  const errorRate = finished > 0 ? errorsTotal / finished : 0
  const u = raw.unfinished
  const unfinishedTotal = u.inFlight + u.retryWait + u.appQueue + u.loadgen
  const latencyMs = summarize(raw.latency)
  const byKind: Record<string, number> = {}
  for (let k = 1; k < errorNames.length; k++) byKind[errorNames[k]] = raw.errorsByKind[k]
  const replies: Record<string, number> = {}
  for (let k = 1; k < replyNames.length; k++) replies[replyNames[k]] = raw.repliesByCode[k]
  const wonArtifacts = new Set(raw.acks.map((a) => a.artifact)).size
  const breaches: Array<string> = []
  if (latencyMs.p99 > s.slo.p99Ms) breaches.push(`p99 latency ${latencyMs.p99} ms > ${s.slo.p99Ms} ms`)
  if (errorRate > s.slo.maxErrorRate)
    breaches.push(`error rate ${(errorRate * 100).toFixed(3)} % > ${(s.slo.maxErrorRate * 100).toFixed(3)} %`)
  for (const r of inv.results) if (!r.ok) breaches.push(`invariant ${r.name} violated ${r.violations} time(s)`)
  if (run.partial) breaches.push(`not judged: the run was interrupted at ${r3(raw.endMs / 1000)} s of ${r3(s.durationMs / 1000)} s`)
  const faults = s.faults.map((f, index) => {
    const loss = raw.losses.find((l) => l.fault === index)
    return {
      index,
      kind: f.kind,
      target: f.target,
      atMs: f.atMs,
      durationMs: f.durationMs,
      lostWrites: loss?.lostWrites ?? 0,
      lostAcknowledged: inv.lostByFault[index],
      replicatedUpToMs: loss && loss.replicatedUpTo >= 0 ? r3(loss.replicatedUpTo) : null
    }
  })
  const cells = raw.workload.cells
  const pl = raw.pipeline
  const buckets: Array<BucketReport> = []
  for (let b = 0; b < raw.bucketRequests.length; b++) {
    buckets.push({
      bucket: b,
      node: raw.bucketNode[b],
      requests: raw.bucketRequests[b],
      errors: raw.bucketErrors[b],
      collisions: raw.bucketCollisions[b],
      p99: r3(raw.bucketLatency[b].percentileMs(99)),
      maxBacklog: raw.bucketMaxBacklog[b],
      streamLength: raw.store.streamLength[b],
      streamTrimmed: raw.store.streamTrimmed[b],
      breakerTrips: raw.breakerTrips[b],
      ...(cells.length > 0 ? { name: cells[b], bounds: cellBounds(cells[b]), hunters: raw.bucketHunters[b], maxHunters: raw.bucketMaxHunters[b] } : {}),
      ...(pl
        ? {
            stream: {
              diffs: pl.diffs[b],
              delivered: pl.delivered[b],
              trimmed: pl.trimmed[b],
              maxBacklog: pl.maxBacklog[b],
              maxLagMs: r3(pl.maxLagMs[b]),
              split: pl.isSplit(b),
              ...(pl.cfg.edgeCache ? { cacheHits: pl.hits[b], cacheMisses: pl.misses[b] } : {})
            }
          }
        : {})
    })
  }
  const nodes = Array.from(raw.nodeServed, (served, node) => ({
    node,
    served,
    meanQueueWaitMs: r6(served > 0 ? raw.nodeQueueWaitMs[node] / served : 0)
  }))
  return {
    version: REPORT_VERSION,
    ...(run.partial ? { partial: { atMs: r3(raw.endMs), reason: "interrupted" as const } } : {}),
    mode: run.mode ?? "sim",
    target: run.target ?? "model",
    seed: s.seed,
    replay: replayCommand(source, s.seed, run.target, run.replayFlags),
    scenario: s,
    latencyMs,
    queueWaitMs: summarize(raw.queueWait),
    throughputPerSec: r3(finished / (raw.endMs / 1000)),
    requests: raw.requests,
    attempts: raw.attempts,
    retries: raw.retries,
    inFlightAtEnd: raw.inFlightAtEnd,
    unfinished: { total: unfinishedTotal, rate: r6(raw.requests > 0 ? unfinishedTotal / raw.requests : 0), ...u },
    errors: { total: errorsTotal, rate: r6(errorRate), byKind },
    replies,
    claims: {
      attempted: raw.claimsAttempted,
      won: wonArtifacts,
      lostAcknowledged: inv.lostAcknowledged,
      doubleAwarded: inv.doubleAwarded,
      appliedUnacknowledged: raw.appliedUnacknowledged,
      collisions: raw.bucketCollisions.reduce((a, b) => a + b, 0)
    },
    breakers: { trips: raw.totalTrips },
    invariants: inv.results,
    faults,
    slo: { pass: breaches.length === 0, breaches },
    timeline: raw.timeline,
    buckets,
    bucketTimeline: {
      everySec: raw.bucketTimeline.everySec,
      requests: raw.bucketTimeline.requests.map((c) => Array.from(c)),
      errors: raw.bucketTimeline.errors.map((c) => Array.from(c)),
      maxBacklog: raw.bucketTimeline.maxBacklog.map((c) => Array.from(c)),
      hunters: raw.bucketTimeline.hunters.map((c) => Array.from(c)),
      breakerOpen: raw.bucketTimeline.breakerOpen.map((c) => Array.from(c)),
      ...(pl ? { streamBacklog: raw.bucketTimeline.streamBacklog.map((c) => Array.from(c)) } : {})
    },
    ...(pl ? { pipeline: pipelineReport(pl) } : {}),
    ...(raw.sink
      ? {
          sink: {
            mode: raw.sink.cfg.mode,
            rows: raw.sink.rows,
            stalledInserts: raw.sink.stalledInserts,
            insertMs: summarize(raw.sink.insertTime),
            events: raw.sink.events,
            consumerLagMs: summarize(raw.sink.consumerLag),
            unaggregatedAtEnd: raw.sink.unaggregatedAtEnd
          }
        }
      : {}),
    ...(raw.loadgen
      ? {
          loadgen: {
            processes: raw.loadgen.cfg.processes,
            sent: Array.from(raw.loadgen.sent),
            busiest: r6(Math.max(...raw.loadgen.busyMs) / raw.endMs),
            sendDelayMs: summarize(raw.loadgen.sendDelay)
          }
        }
      : {}),
    ...(raw.ring ? { workers: { count: raw.ring.count, routed: Array.from(raw.ring.routed), failedFast: raw.ring.failedFast, rerouted: raw.ring.rerouted } } : {}),
    ...(raw.app
      ? {
          app: {
            workers: raw.app.cfg.workers,
            requests: raw.app.requests,
            queueWaitMs: summarize(raw.app.wait),
            heartbeatsParsed: raw.app.heartbeatsParsed,
            heartbeatsDropped: raw.app.heartbeatsDropped,
            heartbeatBytesPerSec: r3((raw.app.heartbeatsParsed * (raw.app.cfg.heartbeat?.bytes ?? 0)) / (raw.endMs / 1000)),
            utilisation: r6(raw.app.busyMs / (raw.app.cfg.workers * raw.endMs))
          }
        }
      : {}),
    ...(s.geography ? { geography: { crossings: raw.crossings, viralJoined: raw.viralJoined } } : {}),
    nodes,
    histogram: { unit: "us", hdrBase64: encodeHdr(raw.latency) },
    sim: { events: raw.events, wallMs: Math.round(wallMs), eventsPerSec: wallMs > 0 ? Math.round((raw.events / wallMs) * 1000) : 0 }
  }
}

const sum = (xs: ArrayLike<number>) => {
  let n = 0
  for (let i = 0; i < xs.length; i++) n += xs[i]
  return n
}

const pipelineReport = (pl: Pipeline): PipelineReport => {
  let backlogAtEnd = 0
  for (let b = 0; b < pl.diffs.length; b++) backlogAtEnd += pl.backlog(b)
  const hits = sum(pl.hits), misses = sum(pl.misses)
  return {
    diffs: sum(pl.diffs),
    delivered: sum(pl.delivered),
    trimmed: sum(pl.trimmed),
    backlogAtEnd,
    maxBacklog: Math.max(0, ...pl.maxBacklog),
    lagMs: summarize(pl.lag),
    ...(pl.cfg.edgeCache
      ? { edgeCache: { hits, misses, hitRate: r6(hits + misses > 0 ? hits / (hits + misses) : 0), staleHits: sum(pl.staleHits), stalenessMs: summarize(pl.staleness) } }
      : {}),
    splits: pl.splits
  }
}

/** The report without its wall-clock fields: what must be identical across replays. */
export const deterministicPart = (r: Report): Omit<Report, "sim"> & { sim: { events: number } } => ({
  ...r,
  sim: { events: r.sim.events }
})
