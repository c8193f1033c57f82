/**
 * What a run measured, before sim/report.ts shapes it into a Report: the figures the
 * Simulator's parts collected (the recorder's timeline and histograms, the lifecycle's
 * counts and acknowledgements, the store, the tiers' models). `Simulator.raw()` gives it.
 */
import type { FaultPlan, LossPoint } from "../src/faults.ts"
import type { FastHistogram } from "../src/metrics/histogram.ts"
import type { SyncClaimStore } from "../src/ports/ClaimStore.ts"
import type { TimelineRow, Unfinished } from "../src/report.ts"
import type { Scenario } from "../src/scenario.ts"
import type { Ack } from "./lifecycle.ts"
import type { Pipeline } from "./pipeline.ts"
import type { BucketTimeline } from "./recorder.ts"
import type { Tiers } from "./tiers.ts"
import type { Workload } from "./workload.ts"

export type { Ack }

export interface LossRecord {
  readonly fault: number
  readonly node: number
  readonly at: number
  readonly kind: LossPoint["kind"]
  readonly lostWrites: number
  /** Apply time of the newest write the promoted replica had (-1: none, or a wipe). */
  readonly replicatedUpTo: number
}

/** Everything a run measured, before it is shaped into a Report. */
export interface RawRun {
  readonly scenario: Scenario
  readonly events: number
  readonly endMs: number
  readonly latency: FastHistogram
  readonly bucketLatency: ReadonlyArray<FastHistogram>
  readonly requests: number
  readonly ok: number
  readonly attempts: number
  readonly retries: number
  readonly errorsByKind: Float64Array
  readonly repliesByCode: Float64Array
  readonly claimsAttempted: number
  readonly appliedUnacknowledged: number
  readonly bucketRequests: Float64Array
  readonly bucketErrors: Float64Array
  readonly bucketCollisions: Float64Array
  readonly bucketMaxBacklog: Int32Array
  readonly bucketNode: Int32Array
  readonly breakerTrips: Int32Array
  readonly totalTrips: number
  readonly timeline: ReadonlyArray<TimelineRow>
  readonly acks: ReadonlyArray<Ack>
  readonly losses: ReadonlyArray<LossRecord>
  readonly store: SyncClaimStore
  readonly workload: Workload
  readonly plan: FaultPlan
  readonly nodeQueueWaitMs: Float64Array
  readonly nodeServed: Float64Array
  readonly queueWait: FastHistogram
  readonly inFlightAtEnd: number
  /** Requests not finished at the end, by where they wait (inFlight is inFlightAtEnd). */
  readonly unfinished: Unfinished
  readonly bucketTimeline: BucketTimeline
  /** With geography: hunters per bucket at the end, the most at any second, border crossings. */
  readonly bucketHunters: Int32Array
  readonly bucketMaxHunters: Int32Array
  readonly crossings: number
  readonly viralJoined: number
  readonly pipeline: Pipeline | undefined
  readonly tiers: Tiers
}
