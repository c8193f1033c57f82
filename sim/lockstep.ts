/**
 * Lockstep: the discrete-event driver with an asynchronous store (the Lua script on real
 * Redis or ioredis-mock). Store commands run one at a time in virtual-time order, each
 * awaited, so a seeded hunt reaches the same outcomes — winners, balances, stream
 * contents — on every store; only timing comes from the model.
 */
import { Command, Reply } from "../src/engine/protocol.ts"
import type { LossPoint } from "../src/faults.ts"
import type { AsyncClaimStore, StoreSnapshot, SyncClaimStore, WriteEntry } from "../src/ports/ClaimStore.ts"
import type { Simulator } from "./driver.ts"
import type { Lifecycle } from "./lifecycle.ts"
import type { Mode } from "./mode.ts"
import type { RawRun } from "./raw.ts"

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

  /**
   * `attribute`: a real run's state-losing faults (their loss points, compiled from the same
   * timeline the model uses) and where each bucket lives — a win the final state lacks is
   * then counted lost by the first such fault on its node after it was applied, as the model
   * counts its own (src/invariants.ts reads `lostBy` either way). Without one that could
   * have lost it, it stays a violation.
   */
  constructor(snap: StoreSnapshot, writes: ReadonlyArray<WriteEntry>, attribute?: { readonly losses: ReadonlyArray<LossPoint>; readonly bucketNode: Int32Array }) {
    this.winner = Int32Array.from(snap.winners)
    this.writes = writes
    if (attribute)
      for (const w of writes) {
        if (w.lostBy >= 0 || this.winner[w.artifact] === w.hunter) continue
        const loss = attribute.losses.find((l) => l.node === attribute.bucketNode[w.bucket] && l.at >= w.appliedAt)
        if (loss) w.lostBy = loss.fault
      }
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
  loseSince(): number {
    throw new Error("SnapshotStore is read-only")
  }
}

/** The store call a lockstep run stopped at: which command, for whom, at which virtual time. */
export interface StoreCall {
  readonly command: number
  readonly bucket: number
  readonly artifact: number
  readonly hunter: number
  readonly key: number
  readonly at: number
}

/**
 * Lockstep mode of the request lifecycle: the timing model decides when each call runs and
 * returns, as in a simulated run, but the claim is answered by an asynchronous store. The
 * step loop stops at each call (`waiting`); the runner awaits the store and `resolve`s it.
 * Example: `const mode = new LockstepMode(); const sim = new Simulator(s, { mode })`.
 */
export class LockstepMode implements Mode {
  readonly stops = true
  readonly modelsTiers = true
  readonly openLoop = false
  private life!: Lifecycle
  private slot = -1
  private startAt = 0
  private deadline = 0

  get waiting(): boolean {
    return this.slot >= 0
  }

  attach(life: Lifecycle): void {
    this.life = life
  }

  send(slot: number, sendAt: number, deadline: number): void {
    if (!this.life.timeAttempt(slot, sendAt, deadline)) return
    this.slot = slot
    this.startAt = this.life.timing.startAt
    this.deadline = deadline
  }

  expire(): void {}
  failed(): void {}

  /** The call the step loop stopped at (`waiting` must be true). */
  call(): StoreCall {
    const c = this.life.client, slot = this.slot
    return { command: c.command(slot), bucket: c.bucket(slot), artifact: c.artifact(slot), hunter: c.hunter(slot), key: c.key(slot), at: this.startAt }
  }

  /** The store replied `reply` to the waiting call: record a win and schedule its completion. */
  resolve(reply: number): void {
    const life = this.life, c = life.client, slot = this.slot
    this.slot = -1
    if (c.command(slot) === Command.CLAIM) life.noteClaim(c.artifact(slot), c.bucket(slot), reply, this.startAt)
    if (reply === Reply.WON) c.setWrite(slot, life.storeWin(c.artifact(slot), c.hunter(slot), c.bucket(slot), c.key(slot), this.startAt))
    // The timing model still holds this call's figures: nothing was sent since it stopped here.
    life.settleReply(slot, reply, this.deadline)
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
 * Run a Simulator built with a `LockstepMode` against `store` to the end. Example:
 * `const raw = await runLockstep(new Simulator(s, { mode: new LockstepMode() }), mockStore)`.
 */
export const runLockstep = async (sim: Simulator, store: AsyncClaimStore, opts: LockstepOptions = {}): Promise<RawRun> => {
  const mode = sim.mode
  if (!(mode instanceof LockstepMode)) throw new Error("runLockstep: the Simulator was not built with a LockstepMode")
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
    if (mode.waiting) {
      const call = mode.call()
      const reply =
        call.command === Command.CLAIM
          ? await store.claim(call.bucket, call.artifact, call.hunter, call.key, call.at)
          : (await store.balance(call.bucket, call.hunter), Reply.BALANCE)
      mode.resolve(reply)
      continue
    }
    if (done) break
  }
  return sim.raw(new SnapshotStore(await store.snapshot(), sim.storeWrites))
}
