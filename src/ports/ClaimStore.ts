/**
 * Port: the store that executes the claim protocol's commands — `StoreTarget`, with three
 * implementations of one meaning: the model (sim/model/store.ts, also behind the
 * synchronous interface the discrete-event driver calls on its hot path), the Lua script on
 * ioredis-mock and on real Redis (adapters/). Differential tests prove them equal.
 */
import { Context, Data, type Effect, type Scope } from "effect"

export interface StoreConfig {
  readonly artifactBucket: Int32Array
  readonly artifactRevealAt: Float64Array
  readonly claimWindowMs: number
  readonly reward: number
  readonly buckets: number
  readonly hunters: number
  readonly bucketNode: Int32Array
  readonly nodes: number
  /** Whether each node has a replica (a deployment huntbench starts gives it one). */
  readonly replicas?: boolean
  /**
   * A deployment huntbench starts watches its primaries with Sentinels, which think a silent
   * one down after `downAfterMs` (wall clock) and promote its replica.
   */
  readonly sentinel?: { readonly downAfterMs: number }
  /** A deployment huntbench starts gives each primary an AOF (restarts from disk). */
  readonly aof?: boolean
  /** Send each node's commands through a fault proxy of its own (a live run with faults). */
  readonly proxied?: boolean
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
  /**
   * A restart: lose the node's writes applied after `since` (-Infinity: everything, no
   * persistence; `at` − the AOF's fsync interval: what the disk had not got). Returns how many.
   */
  loseSince(node: number, since: number, at: number, fault: number): number
}

/** A store's final state, in a canonical order, for comparing implementations. */
export interface StoreSnapshot {
  /** Per artifact: the winning hunter, or -1. */
  readonly winners: ReadonlyArray<number>
  /** Non-zero balances as [bucket, hunter, amount], sorted. */
  readonly balances: ReadonlyArray<readonly [number, number, number]>
  /** Per bucket: entries kept (oldest first) and how many were ever appended. */
  readonly streams: ReadonlyArray<{
    readonly length: number
    readonly appended: number
    readonly entries: ReadonlyArray<{ readonly artifact: number; readonly hunter: number; readonly t: number }>
  }>
  /** Request keys with an idempotency record, sorted. */
  readonly idempotencyKeys: ReadonlyArray<number>
}

/**
 * The store as an asynchronous service: the Lua scripts on real Redis or on ioredis-mock,
 * or the model behind the same interface. Calls are made one at a time in virtual-time
 * order by the lockstep driver, or concurrently by the live driver.
 */
export interface AsyncClaimStore {
  readonly name: string
  /** Run the claim script for `hunter` on `artifact` (in `bucket`) at time `now` (ms). */
  claim(bucket: number, artifact: number, hunter: number, requestKey: number, now: number): Promise<number>
  balance(bucket: number, hunter: number): Promise<number>
  snapshot(): Promise<StoreSnapshot>
  /**
   * WAIT on `bucket`'s node: resolves to how many replicas acknowledged the writes made so
   * far, after at most `timeoutMs`. Only stores with replicas have it.
   */
  waitReplicas?(bucket: number, replicas: number, timeoutMs: number): Promise<number>
}

/** A store that could not be reached or set up (connection refused, script error…). */
export class StoreError extends Data.TaggedError("StoreError")<{ readonly message: string }> {}

/**
 * Where lockstep and live runs send their commands: real Redis, ioredis-mock, or the model.
 * `open` seeds a store for one run inside a scope; closing the scope cleans it up.
 */
export class StoreTarget extends Context.Service<StoreTarget, {
  /** For reports and logs; a URL here never shows a password. */
  readonly name: string
  readonly open: (config: StoreConfig) => Effect.Effect<AsyncClaimStore, StoreError, Scope.Scope>
  /**
   * Whether live runs can inject faults here (absent: none can): `owned` for a deployment
   * huntbench started (every kind); otherwise only what acts on huntbench's own connections,
   * plus — with `allowDestructive` — what stalls the whole server for every client.
   */
  readonly faults?: { readonly owned: boolean; readonly allowDestructive: boolean }
}>()("huntbench/StoreTarget") {}
