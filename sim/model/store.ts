/**
 * The Redis model: the claim script's semantics in TypeScript over typed arrays, plus the
 * per-node write log that replication and failover act on. One instance holds the state of
 * every node (each bucket's keys live on exactly one node, so there is no overlap).
 *
 * The decision is the engine's claim rule (src/engine/claim.ts, twin of the Lua script);
 * this store applies a win: winner set, the hunter's balance in that bucket incremented, a
 * diff appended to the bucket's stream (trimmed to the cap, trimmed entries counted), the
 * idempotency key recorded. Only winning requests write, so only they are logged.
 */
import { claimReply } from "../../src/engine/claim.ts"
import { Reply } from "../../src/engine/protocol.ts"
import type { StoreConfig, SyncClaimStore, WriteEntry } from "../../src/ports/ClaimStore.ts"

export type ModelStoreConfig = StoreConfig

export class ModelStore implements SyncClaimStore {
  readonly winner: Int32Array
  readonly balances = new Map<number, number>()
  readonly idem = new Map<number, number>() // request key → write index
  readonly streamLength: Int32Array
  readonly streamAppended: Float64Array
  readonly streamTrimmed: Float64Array
  readonly streamLost: Float64Array
  /** All writes ever applied, in order; `nodeLog[n]` indexes into it. */
  readonly writes: Array<WriteEntry> = []
  readonly nodeLog: Array<Array<number>>
  /** Per node: when the replica will have the newest write (replication is in order). */
  private readonly lastReplicateAt: Float64Array
  /** The write index of the last applied win (valid right after `claim` returns WON). */
  lastWrite = -1

  readonly cfg: ModelStoreConfig
  // The config's fields every claim reads, one load nearer.
  private readonly revealAt: Float64Array
  private readonly claimWindowMs: number
  private readonly idempotency: boolean

  /** Example: `const s = new ModelStore(cfg); s.claim(3, 17, 99, 1200) === Reply.WON`. */
  constructor(cfg: ModelStoreConfig) {
    this.cfg = cfg
    this.revealAt = cfg.artifactRevealAt
    this.claimWindowMs = cfg.claimWindowMs
    this.idempotency = cfg.idempotency
    this.winner = new Int32Array(cfg.artifactBucket.length).fill(-1)
    this.streamLength = new Int32Array(cfg.buckets)
    this.streamAppended = new Float64Array(cfg.buckets)
    this.streamTrimmed = new Float64Array(cfg.buckets)
    this.streamLost = new Float64Array(cfg.buckets)
    this.nodeLog = Array.from({ length: cfg.nodes }, () => [])
    this.lastReplicateAt = new Float64Array(cfg.nodes)
  }

  private balanceKey(bucket: number, hunter: number): number {
    return bucket * this.cfg.hunters + hunter
  }

  /**
   * Run the claim script for `hunter` on `artifact` at time `now` with idempotency key
   * `requestKey`; `replicationLagMs` is the node's lag at that moment (when the replica
   * will have this write). Returns a `Reply` code.
   */
  claim(artifact: number, hunter: number, requestKey: number, now: number, replicationLagMs = 0, retry = true): number {
    const reply = claimReply(retry && this.idempotency && this.idem.has(requestKey), artifact, now, this.revealAt, this.claimWindowMs, this.winner)
    return reply === Reply.WON ? this.win(artifact, hunter, requestKey, now, replicationLagMs) : reply
  }

  /** The claim wins: apply and log the write (kept apart so `claim` stays small enough to inline). */
  private win(artifact: number, hunter: number, requestKey: number, now: number, replicationLagMs: number): number {
    const bucket = this.cfg.artifactBucket[artifact]
    this.winner[artifact] = hunter
    const key = this.balanceKey(bucket, hunter)
    this.balances.set(key, (this.balances.get(key) ?? 0) + this.cfg.reward)
    this.streamAppended[bucket]++
    if (++this.streamLength[bucket] > this.cfg.streamCap) {
      this.streamLength[bucket]--
      this.streamTrimmed[bucket]++
    }
    const node = this.cfg.bucketNode[bucket]
    const replicateAt = Math.max(this.lastReplicateAt[node], now + replicationLagMs)
    this.lastReplicateAt[node] = replicateAt
    const index = this.writes.length
    this.writes.push({ artifact, hunter, bucket, requestKey, appliedAt: now, replicateAt, lostBy: -1 })
    this.nodeLog[node].push(index)
    if (this.cfg.idempotency) this.idem.set(requestKey, index)
    this.lastWrite = index
    return Reply.WON
  }

  /** The hunter's balance in one bucket (a hunter's total is the sum over buckets). */
  balance(bucket: number, hunter: number): number {
    return this.balances.get(this.balanceKey(bucket, hunter)) ?? 0
  }

  private undo(index: number, fault: number): void {
    const w = this.writes[index]
    if (w.lostBy >= 0) return
    w.lostBy = fault
    this.winner[w.artifact] = -1
    const key = this.balanceKey(w.bucket, w.hunter)
    const b = (this.balances.get(key) ?? 0) - this.cfg.reward
    if (b === 0) this.balances.delete(key)
    else this.balances.set(key, b)
    // The lost diff is the newest entry of its stream, so it is still there (cap ≥ 1).
    this.streamLength[w.bucket]--
    this.streamLost[w.bucket]++
    if (this.idem.get(w.requestKey) === index) this.idem.delete(w.requestKey)
  }

  /**
   * Failover of `node` at time `at`: the replica has every write whose replicateAt ≤ at;
   * the rest are lost, attributed to fault `fault`. Returns the number of writes lost and
   * the replicated point (the apply time of the newest write the replica has, or -1).
   */
  loseUnreplicated(node: number, at: number, fault: number): { lost: number; replicatedUpTo: number } {
    const log = this.nodeLog[node]
    let lost = 0
    let replicatedUpTo = -1
    for (let i = log.length - 1; i >= 0; i--) {
      const w = this.writes[log[i]]
      if (w.lostBy >= 0) continue
      if (w.replicateAt <= at) {
        replicatedUpTo = w.appliedAt
        break
      }
      this.undo(log[i], fault)
      lost++
    }
    this.lastReplicateAt[node] = at
    return { lost, replicatedUpTo }
  }

  /**
   * A node restarted from what survived: its writes applied after `since` are lost
   * (-Infinity: all of them — no persistence, no replica), attributed to `fault`.
   */
  loseSince(node: number, since: number, at: number, fault: number): number {
    const log = this.nodeLog[node]
    let lost = 0
    for (let i = log.length - 1; i >= 0; i--) {
      const w = this.writes[log[i]]
      if (w.appliedAt > since && w.lostBy < 0) {
        this.undo(log[i], fault)
        lost++
      }
    }
    this.lastReplicateAt[node] = at
    return lost
  }
}
