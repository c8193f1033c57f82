/**
 * The claim client, sans-IO: request slots (struct of arrays), idempotency keys, the
 * per-attempt timeout, retries with backoff, and per-bucket breakers. A driver calls
 * `begin` when a task starts, `admit` before each attempt is sent, and `settle` with each
 * attempt's result; `settle` says whether the request is done or when to retry. Drivers —
 * the discrete-event one and the live one — supply time and randomness.
 */
import type { Uniform } from "../distributions.ts"
import type { Scenario } from "../scenario.ts"
import { Breakers } from "./breaker.ts"
import { ErrorKind, isRetryable } from "./protocol.ts"
import { backoffMs, type RetryPolicy } from "./retry.ts"
import { F64, grown } from "../typed.ts"

/** What a driver should do after `settle`. */
export const Next = { DONE: 0, RETRY: 1 } as const

// Slot layout: one 32-byte row per slot whose first 16 bytes are left to the event queue
// (a timing wheel with keyed rows keeps the slot's pending event there — see sim/queue.ts),
// so what every request reads — its event, when it was meant to start, its bucket, command,
// attempt, result and artifact — is half a cache line. Between two polls of a hunter the
// whole hunt passes through the caches, so each line is a miss, and the smaller the rows
// the more of them stay cached (measured: 64-byte rows ran ~14 % slower). The fields only
// some requests need (hunter, idempotency key, write) live in arrays of their own.
// The client's 16 bytes: one double, then two int32s; the small fields share the first:
// bucket (16 bits, buckets ≤ 65 536) | command (1 bit) | attempt (7 bits, ≤ 21) | result (8 bits, signed).
/** Doubles per slot row; the client's half starts at double `ROW_CLIENT`. */
export const ROW_DOUBLES = 4
export const ROW_CLIENT = 2
const F_INTENDED = 2
const I_PACKED = 6
const I_ARTIFACT = 7
const ROW = 8 // int32s per row
const BUCKET_MASK = 0xffff
const COMMAND_SHIFT = 16
const ATTEMPT_SHIFT = 17
const ATTEMPT_MASK = 0x7f << ATTEMPT_SHIFT
const RESULT_SHIFT = 24

/** The rows' int32 fields: the same memory, viewed as twice as many int32s. */
const int32View = (rows: Float64Array): Int32Array => new Int32Array(rows.buffer, rows.byteOffset, rows.length * 2)

export class ClaimClient {
  private ints: Int32Array
  private floats: Float64Array
  private hunters: Int32Array
  private keys: Float64Array
  private writes: Int32Array
  private capacity: number
  private nextKey = 1
  private freeList: Array<number> = []
  private used = 0
  readonly breakers: Breakers
  readonly retry: RetryPolicy
  readonly timeoutMs: number
  /** When `settle` says RETRY: the time to send the next attempt. */
  retryAt = F64

  /**
   * Example: `const c = new ClaimClient(scenario, hunters)` with one slot per hunter. `rows`
   * (at least `initialSlots` rows of `ROW_DOUBLES`) lets the caller share the rows with its
   * event queue; the client then never grows them (`rebind` moves them).
   */
  constructor(s: Scenario, initialSlots: number, rows?: Float64Array) {
    this.capacity = Math.max(1, initialSlots)
    this.floats = rows ?? new Float64Array(this.capacity * ROW_DOUBLES)
    if (this.floats.length < this.capacity * ROW_DOUBLES) throw new Error("ClaimClient: rows too short")
    this.ints = int32View(this.floats)
    this.hunters = new Int32Array(this.capacity)
    this.keys = new Float64Array(this.capacity)
    this.writes = new Int32Array(this.capacity)
    this.breakers = new Breakers(s.topology.buckets, s.engine.breaker)
    this.retry = s.engine.retries
    this.timeoutMs = s.engine.timeoutMs
  }

  hunter(slot: number): number {
    return this.hunters[slot]
  }
  bucket(slot: number): number {
    return this.ints[slot * ROW + I_PACKED] & BUCKET_MASK
  }
  artifact(slot: number): number {
    return this.ints[slot * ROW + I_ARTIFACT]
  }
  command(slot: number): number {
    return (this.ints[slot * ROW + I_PACKED] >>> COMMAND_SHIFT) & 1
  }
  attempt(slot: number): number {
    return (this.ints[slot * ROW + I_PACKED] & ATTEMPT_MASK) >>> ATTEMPT_SHIFT
  }
  /** Final result: a Reply code (> 0) or minus an ErrorKind (< 0). */
  result(slot: number): number {
    return this.ints[slot * ROW + I_PACKED] >> RESULT_SHIFT
  }
  setResult(slot: number, r: number): void {
    const i = slot * ROW + I_PACKED
    this.ints[i] = (this.ints[i] & 0xffffff) | (r << RESULT_SHIFT)
  }
  /** Store write index of a win this request applied (even if never acknowledged), or -1. */
  write(slot: number): number {
    return this.writes[slot]
  }
  setWrite(slot: number, w: number): void {
    this.writes[slot] = w
  }
  /** Idempotency key: one per logical request, reused by every retry. */
  key(slot: number): number {
    return this.keys[slot]
  }
  /** When the request was meant to start (latency is measured from here). */
  intended(slot: number): number {
    return this.floats[slot * ROW_DOUBLES + F_INTENDED]
  }

  /** A free slot for a request not tied to a hunter's own slot (open model). */
  allocate(): number {
    const f = this.freeList.pop()
    if (f !== undefined) return f
    if (this.used === this.capacity) this.grow(this.capacity * 2)
    return this.used++
  }

  release(slot: number): void {
    this.freeList.push(slot)
  }

  /** Reserve slots 0..n-1 for the closed model's one-request-per-hunter use. */
  reserve(n: number): void {
    if (this.capacity < n) this.grow(n)
    this.used = Math.max(this.used, n)
  }

  private grow(capacity: number): void {
    this.rebind(grown(this.floats, capacity * ROW_DOUBLES))
    this.hunters = grown(this.hunters, capacity)
    this.keys = grown(this.keys, capacity)
    this.writes = grown(this.writes, capacity)
    this.capacity = capacity
  }

  /** The rows moved (copied, contents intact): a shared queue grew its storage. */
  rebind(rows: Float64Array): void {
    this.floats = rows
    this.ints = int32View(rows)
  }

  /** Start a logical request in `slot`: a fresh idempotency key, attempt 1. */
  begin(slot: number, hunter: number, bucket: number, artifact: number, command: number, t: number): void {
    const i = slot * ROW, ints = this.ints
    ints[i + I_ARTIFACT] = artifact
    ints[i + I_PACKED] = bucket | (command << COMMAND_SHIFT) | (1 << ATTEMPT_SHIFT)
    this.floats[slot * ROW_DOUBLES + F_INTENDED] = t
    this.hunters[slot] = hunter
    this.keys[slot] = this.nextKey++
    this.writes[slot] = -1
  }

  /** May this attempt be sent at `t`? If not, the request ends as BREAKER_OPEN. */
  admit(slot: number, t: number): boolean {
    if (this.breakers.allow(this.bucket(slot), t)) return true
    this.setResult(slot, -ErrorKind.BREAKER_OPEN)
    return false
  }

  /**
   * Record one attempt's result at `t`: a Reply code, or minus an ErrorKind. Returns
   * `Next.RETRY` (with `retryAt` set) or `Next.DONE` (with `result` final).
   */
  settle(slot: number, t: number, outcome: number, rng: Uniform): number {
    const b = this.bucket(slot)
    if (outcome > 0) {
      this.breakers.onSuccess(b)
      this.setResult(slot, outcome)
      return Next.DONE
    }
    this.breakers.onFailure(b, t)
    const attempt = this.attempt(slot)
    if (isRetryable(-outcome) && attempt <= this.retry.max) {
      this.ints[slot * ROW + I_PACKED] += 1 << ATTEMPT_SHIFT
      this.retryAt = t + backoffMs(this.retry, attempt, rng.next())
      return Next.RETRY
    }
    this.setResult(slot, outcome)
    return Next.DONE
  }
}
