/**
 * The report model: what a run produced, as plain JSON-ready data. Everything except
 * `sim.wallMs` and `sim.eventsPerSec` is a function of the scenario and seed, so two runs
 * of the same scenario give byte-identical reports once those two fields are removed.
 */
import { Data, Effect, Exit, Schema } from "effect"
import { fieldOf, firstIssue } from "./issues.ts"
import { ScenarioSchema } from "./scenario.ts"
import { Latency, N, NumArray } from "./schema-parts.ts"
import { tierReportFields } from "./tiers/index.ts"

// 2: errors.total is the sum of errors.byKind; requests unfinished at the end are counted apart (`unfinished`).
export const REPORT_VERSION = 2

const Counts = Schema.Record(Schema.String, N)

/** One second of a run. */
export const TimelineRowSchema = Schema.Struct({
  second: N,
  requests: N,
  ok: N,
  errors: N,
  /** This second's errors by kind (timeout, connection, breakerOpen, poolTimeout). */
  errorsByKind: Counts,
  retries: N,
  p50: N,
  p99: N,
  max: N,
  backlog: N,
  breakersOpen: N,
  faults: NumArray,
  /** With a pipeline: unread diffs in all streams at the second's end, and buckets that began splitting. */
  streamBacklog: Schema.optionalKey(N),
  splits: Schema.optionalKey(NumArray),
  /** With a log sink: how far the materialized totals lag behind at the second's end. */
  consumerLagMs: Schema.optionalKey(N)
})
export type TimelineRow = typeof TimelineRowSchema.Type

/** Requests still under way when a run ends, by where each one waits. */
const UnfinishedFields = {
  /** Sent to Redis (or a refusing worker) and not yet answered or timed out. */
  inFlight: N,
  /** Between attempts: failed once, its retry not yet sent. */
  retryWait: N,
  /** Queued for an app worker (a first attempt's parse). */
  appQueue: N,
  /** Not yet sent by its busy load-generator process. */
  loadgen: N
}
export type Unfinished = typeof UnfinishedSchema.Type
const UnfinishedSchema = Schema.Struct(UnfinishedFields)

const BucketReportSchema = Schema.Struct({
  bucket: N,
  node: N,
  requests: N,
  errors: N,
  collisions: N,
  p99: N,
  maxBacklog: N,
  streamLength: N,
  streamTrimmed: N,
  breakerTrips: N,
  /** With geography: the bucket's geohash prefix and bounds, hunters in it at the end and at most. */
  name: Schema.optionalKey(Schema.String),
  bounds: Schema.optionalKey(Schema.Struct({ south: N, west: N, north: N, east: N })),
  hunters: Schema.optionalKey(N),
  maxHunters: Schema.optionalKey(N),
  /** With a pipeline: the bucket's stream and worker. */
  stream: Schema.optionalKey(
    Schema.Struct({
      diffs: N,
      delivered: N,
      trimmed: N,
      maxBacklog: N,
      maxLagMs: N,
      split: Schema.Boolean,
      cacheHits: Schema.optionalKey(N),
      cacheMisses: Schema.optionalKey(N)
    })
  )
})
export type BucketReport = typeof BucketReportSchema.Type

/** Per-bucket figures over time: `requests[column][bucket]`, one column per `everySec` seconds. */
const BucketTimelineReportSchema = Schema.Struct({
  everySec: N,
  requests: Schema.Array(NumArray),
  errors: Schema.Array(NumArray),
  maxBacklog: Schema.Array(NumArray),
  hunters: Schema.Array(NumArray),
  streamBacklog: Schema.optionalKey(Schema.Array(NumArray)),
  /** Seconds in the column the bucket's breaker was open at a second's end. */
  breakerOpen: Schema.Array(NumArray)
})
export type BucketTimelineReport = typeof BucketTimelineReportSchema.Type

export type { PipelineReport } from "./tiers/pipeline.ts"

/**
 * A run's report, as the JSON `huntbench run --json` writes and the dashboard and `compare`
 * read back (decodeReport). Every figure but `sim.wallMs` and `sim.eventsPerSec` is a
 * function of the scenario and seed.
 */
export const ReportSchema = Schema.Struct({
  version: N,
  /** Set when the run was stopped early (Ctrl-C): the figures cover `atMs` of the scenario's time. */
  /** A run stopped early: by Ctrl-C ("interrupted"), or by a failed threshold with abortOnFail ("aborted", naming it). */
  partial: Schema.optionalKey(Schema.Struct({ atMs: N, reason: Schema.Literals(["interrupted", "aborted"]), threshold: Schema.optionalKey(Schema.String) })),
  /** "sim": virtual time (model store, or lockstep on another store); "live": wall clock. */
  mode: Schema.Literals(["sim", "live"]),
  /** Where the claims ran: "model", "mock", or a Redis URL (password redacted). */
  target: Schema.String,
  seed: N,
  replay: Schema.String,
  // Suspended: src/thresholds.ts walks this Schema and the scenario's rules use it, so the
  // two modules import each other; neither may need the other while it loads.
  scenario: Schema.suspend(() => ScenarioSchema),
  latencyMs: Latency,
  /** Time requests spent queued on a node before their script ran. */
  queueWaitMs: Latency,
  throughputPerSec: N,
  requests: N,
  attempts: N,
  retries: N,
  inFlightAtEnd: N,
  /**
   * Requests not finished when the run ended, by where they waited: neither successes nor
   * errors, and left out of the error rate and the latency figures (the SLO says so).
   */
  unfinished: Schema.Struct({ total: N, rate: N, ...UnfinishedFields }),
  /** `total` is always the sum of `byKind`; `rate` is over finished requests (ok + errors). */
  errors: Schema.Struct({ total: N, rate: N, byKind: Counts }),
  replies: Counts,
  claims: Schema.Struct({
    attempted: N,
    won: N,
    lostAcknowledged: N,
    doubleAwarded: N,
    appliedUnacknowledged: N,
    /** Claims that found the artifact taken within artifacts.collisionWindowMs of the win. */
    collisions: N
  }),
  breakers: Schema.Struct({ trips: N }),
  invariants: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      ok: Schema.Boolean,
      violations: N,
      examples: Schema.Array(Schema.Struct({ detail: Schema.String, faults: NumArray })),
      attributed: N
    })
  ),
  faults: Schema.Array(
    Schema.Struct({
      index: N,
      kind: Schema.String,
      target: N,
      atMs: N,
      durationMs: N,
      lostWrites: N,
      lostAcknowledged: N,
      replicatedUpToMs: Schema.NullOr(N)
    })
  ),
  slo: Schema.Struct({
    pass: Schema.Boolean,
    breaches: Schema.Array(Schema.String),
    /** Each of `slo.thresholds` judged (only when the scenario has some). */
    thresholds: Schema.optionalKey(Schema.Array(Schema.Struct({ path: Schema.String, threshold: Schema.String, actual: Schema.NullOr(N), pass: Schema.Boolean, abortOnFail: Schema.Boolean })))
  }),
  timeline: Schema.Array(TimelineRowSchema),
  buckets: Schema.Array(BucketReportSchema),
  bucketTimeline: BucketTimelineReportSchema,
  // Each tier's section, when the scenario has the tier (src/tiers/).
  ...tierReportFields,

  nodes: Schema.Array(Schema.Struct({ node: N, served: N, meanQueueWaitMs: N })),
  histogram: Schema.Struct({ unit: Schema.Literal("us"), hdrBase64: Schema.String }),
  /** Live runs only: the wall-clock side of the measurement. */
  live: Schema.optionalKey(
    Schema.Struct({
      timeScale: N,
      /** Latency from when each request actually left (coordinated omission not corrected). */
      uncorrectedLatencyMs: Latency,
      /** Requests that left more than 1 ms after their scheduled time, and the worst delay. */
      lateSends: N,
      maxSendDelayMs: N
    })
  ),
  sim: Schema.Struct({ events: N, wallMs: N, eventsPerSec: N })
})
export type Report = typeof ReportSchema.Type

/** A report file that cannot be read: not JSON, another version, or a field out of shape. */
export class ReportError extends Data.TaggedError("ReportError")<{ readonly field: string; readonly message: string }> {}

/**
 * Decode a report read from a file (already parsed JSON). A report of another `version` is
 * refused with a message saying which version this huntbench reads; otherwise the first
 * problem names its field. Example: `decodeReport(JSON.parse(text))` → `Effect<Report, ReportError>`.
 */
export const decodeReport = (input: unknown): Effect.Effect<Report, ReportError> =>
  Effect.suspend(() => {
    if (input === null || typeof input !== "object" || Array.isArray(input))
      return Effect.fail(new ReportError({ field: "(root)", message: "a huntbench report is a JSON object" }))
    const version = (input as { version?: unknown }).version
    if (typeof version !== "number" || !("latencyMs" in input) || !("timeline" in input))
      return Effect.fail(new ReportError({ field: "version", message: "not a huntbench report (written by huntbench run --json)" }))
    if (version !== REPORT_VERSION)
      return Effect.fail(new ReportError({ field: "version", message: `report version ${version}; this huntbench reads version ${REPORT_VERSION} — run the scenario again (its replay line) to get one` }))
    const exit = Schema.decodeUnknownExit(ReportSchema)(input)
    if (Exit.isSuccess(exit)) return Effect.succeed(exit.value)
    const { path, message } = firstIssue(exit.cause)
    return Effect.fail(new ReportError({ field: fieldOf(path), message }))
  })

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
  /** …by a threshold with abortOnFail that failed then (its path and expression), not by Ctrl-C. */
  readonly abortedBy?: string
}

/** The report without its wall-clock fields: what must be identical across replays. */
export const deterministicPart = (r: Report): Omit<Report, "sim"> & { sim: { events: number } } => ({
  ...r,
  sim: { events: r.sim.events }
})
