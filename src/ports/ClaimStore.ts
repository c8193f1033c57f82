/**
 * Port: the store that executes the claim protocol's commands. The model adapter
 * (adapters/model) implements it synchronously for the discrete-event driver; the Lua
 * scripts on Redis and on ioredis-mock are the other implementations (see DESIGN.md).
 */
import { Context } from "effect"

export interface StoreConfig {
  readonly artifactBucket: Int32Array
  readonly artifactRevealAt: Float64Array
  readonly claimWindowMs: number
  readonly reward: number
  readonly buckets: number
  readonly hunters: number
  readonly bucketNode: Int32Array
  readonly nodes: number
  readonly streamCap: number
  readonly idempotency: boolean
}

/** One applied write (a win), kept so that failover can lose exactly the unreplicated ones. */
export interface WriteEntry {
  readonly artifact: number
  readonly hunter: number
  readonly bucket: number
  readonly requestKey: number
  readonly appliedAt: number
  readonly replicateAt: number
  /** Index of the fault that lost this write, or -1. */
  lostBy: number
}

/** The synchronous store the discrete-event driver calls on its hot path. */
export interface SyncClaimStore {
  /**
   * Run the claim script; returns a Reply code. `retry` says the key may have been sent
   * before (a first attempt's fresh key cannot have an idempotency record, so the model
   * skips the lookup; the Lua script always checks).
   */
  claim(artifact: number, hunter: number, requestKey: number, now: number, replicationLagMs: number, retry: boolean): number
  /** A hunter's balance in one bucket. */
  balance(bucket: number, hunter: number): number
  /** Write index of the last win `claim` applied. */
  readonly lastWrite: number
  readonly writes: ReadonlyArray<WriteEntry>
  readonly winner: Int32Array
  readonly idem: ReadonlyMap<number, number>
  readonly streamLength: Int32Array
  readonly streamAppended: Float64Array
  readonly streamTrimmed: Float64Array
  readonly streamLost: Float64Array
  /** Failover: keep what the replica had at `at`, lose the rest (attributed to `fault`). */
  loseUnreplicated(node: number, at: number, fault: number): { lost: number; replicatedUpTo: number }
  /** Restart without persistence: lose everything on the node. */
  loseAll(node: number, at: number, fault: number): number
}

export class ClaimStore extends Context.Service<ClaimStore, {
  readonly name: string
  readonly make: (config: StoreConfig) => SyncClaimStore
}>()("huntbench/ClaimStore") {}
