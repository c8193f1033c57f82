/**
 * Port: how long each command takes — client pool, network, the node's single-threaded
 * queue and service time, with the fault plan applied. Virtual only (the live driver
 * measures instead). `timingFor` in sim/model/timing.ts picks the implementation for a
 * scenario, for every entry point alike.
 */
import type { Sampler, Uniform } from "../distributions.ts"
import type { FaultPlan } from "../faults.ts"
import type { FastHistogram } from "../metrics/histogram.ts"

export interface TimingConfig {
  readonly nodes: number
  readonly poolSize: number
  readonly rtt: Sampler
  /** Service-time samplers indexed by Command. */
  readonly service: ReadonlyArray<Sampler>
  readonly baseLagMs: number
  readonly plan: FaultPlan
  /** The live client's thread and path, when a profile measured huntbench's driver (sim/model/client.ts). */
  readonly client?: ClientPath
}

/** What the timing model asks of a modelled client: when a request leaves it, and its path. */
export interface ClientPath {
  leave(t: number): number
  path(rng: Uniform): number
}

/** The result fields are read right after `send` (no allocation per request). */
export interface SyncTiming {
  send(node: number, command: number, t: number, deadline: number, rng: Uniform): void
  resizePool(node: number, size: number, now: number): void
  /** WAIT for the replica after the last `send` (see ModelTiming.awaitReplica). */
  awaitReplica(timeoutMs: number, replicatedAt?: number): void
  readonly outcome: number
  readonly startAt: number
  readonly replyAt: number
  readonly lagMs: number
  readonly queueWait: Float64Array
  readonly served: Float64Array
  readonly waitHistogram: FastHistogram
}
