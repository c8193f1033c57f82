/**
 * Lockstep: the discrete-event driver with an asynchronous store (the Lua script on real
 * Redis or ioredis-mock). Store commands run one at a time in virtual-time order, each
 * awaited, so a seeded hunt reaches the same outcomes — winners, balances, stream
 * contents — on every store; only timing comes from the model.
 */
import { Command, Reply } from "../src/engine/protocol.ts"
import type { AsyncClaimStore, StoreSnapshot, SyncClaimStore, WriteEntry } from "../src/ports/ClaimStore.ts"
import type { RawRun, Simulator } from "./driver.ts"

/**
 * A finished store's state seen through the synchronous interface the invariants and the
 * report read: the snapshot plus the write log the driver kept. Read-only.
 */
export class SnapshotStore implements SyncClaimStore {
  readonly winner: Int32Array
  readonly writes: ReadonlyArray<WriteEntry>
  readonly idem: ReadonlyMap<number, number>
  readonly streamLength: Int32Array
  readonly streamAppended: Float64Array
  readonly streamTrimmed: Float64Array
  readonly streamLost: Float64Array
  readonly lastWrite = -1
  private readonly balances: Map<string, number>

  constructor(snap: StoreSnapshot, writes: ReadonlyArray<WriteEntry>) {
    this.winner = Int32Array.from(snap.winners)
    this.writes = writes
    const byKey = new Map(writes.map((w, i) => [w.requestKey, i] as const))
    this.idem = new Map(snap.idempotencyKeys.map((k) => [k, byKey.get(k) ?? -1] as const))
    this.streamLength = Int32Array.from(snap.streams, (x) => x.length)
    this.streamAppended = Float64Array.from(snap.streams, (x) => x.appended)
    this.streamTrimmed = Float64Array.from(snap.streams, (x) => x.appended - x.length)
    this.streamLost = new Float64Array(snap.streams.length)
    this.balances = new Map(snap.balances.map(([b, h, amount]) => [`${b}:${h}`, amount] as const))
  }
  balance(bucket: number, hunter: number): number {
    return this.balances.get(`${bucket}:${hunter}`) ?? 0
  }
  claim(): number {
    throw new Error("SnapshotStore is read-only")
  }
  loseUnreplicated(): { lost: number; replicatedUpTo: number } {
    throw new Error("SnapshotStore is read-only")
  }
  loseAll(): number {
    throw new Error("SnapshotStore is read-only")
  }
}

/** At most this many events between progress calls: a lockstep run does ~10–20 k a second. */
const PROGRESS_EVENTS = 4096

export interface LockstepOptions {
  /** Events per step of the driver (default 65 536); progress comes every 4 096 events at most. */
  readonly chunkEvents?: number
  readonly onProgress?: () => void
  /** Aborts the run between store calls (Ctrl-C). */
  readonly signal?: AbortSignal
}

/**
 * Run a Simulator built with `{ lockstep: true }` against `store` to the end. Example:
 * `const raw = await runLockstep(new Simulator(s, { lockstep: true }), mockStore)`.
 */
export const runLockstep = async (sim: Simulator, store: AsyncClaimStore, opts: LockstepOptions = {}): Promise<RawRun> => {
  const chunk = opts.chunkEvents ?? 1 << 16
  // The step loop stops at nearly every store call, so progress goes by events, not by steps.
  let nextProgress = Math.min(chunk, PROGRESS_EVENTS)
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted")
    const done = sim.step(chunk)
    if (sim.events >= nextProgress) {
      nextProgress = sim.events + Math.min(chunk, PROGRESS_EVENTS)
      opts.onProgress?.()
    }
    if (sim.pending >= 0) {
      const call = sim.pendingCall()
      const reply =
        call.command === Command.CLAIM
          ? await store.claim(call.bucket, call.artifact, call.hunter, call.key, call.at)
          : (await store.balance(call.bucket, call.hunter), Reply.BALANCE)
      sim.resolve(reply)
      continue
    }
    if (done) break
  }
  return sim.raw(new SnapshotStore(await store.snapshot(), sim.lockWrites))
}
