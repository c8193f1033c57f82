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

/** What a driver should do after `settle`. */
export const Next = { DONE: 0, RETRY: 1 } as const

// Slot layout. Integer fields share one Int32Array row of 8 (32 bytes) and the two
// doubles one Float64Array row of 2, so a request touches two cache lines instead of nine
// (measured: the separate arrays cost ~15 % of the reference hunt in cache misses).
const I_HUNTER = 0
const I_BUCKET = 1
const I_ARTIFACT = 2
const I_COMMAND = 3
const I_ATTEMPT = 4
const I_RESULT = 5
const I_WRITE = 6
const I_STRIDE = 8
const F_KEY = 0
const F_INTENDED = 1
const F_STRIDE = 2

export class ClaimClient {
  private ints: Int32Array
  private floats: Float64Array
  private capacity: number
  private nextKey = 1
  private freeList: Array<number> = []
  private used = 0
  readonly breakers: Breakers
  readonly retry: RetryPolicy
  readonly timeoutMs: number
  /** When `settle` says RETRY: the time to send the next attempt. */
  retryAt = 0

  /** Example: `const c = new ClaimClient(scenario, hunters)` with one slot per hunter. */
  constructor(s: Scenario, initialSlots: number) {
    this.capacity = Math.max(1, initialSlots)
    this.ints = new Int32Array(this.capacity * I_STRIDE)
    this.floats = new Float64Array(this.capacity * F_STRIDE)
    this.breakers = new Breakers(s.topology.buckets, s.engine.breaker)
    this.retry = s.engine.retries
    this.timeoutMs = s.engine.timeoutMs
  }

  hunter(slot: number): number {
    return this.ints[slot * I_STRIDE + I_HUNTER]
  }
  bucket(slot: number): number {
    return this.ints[slot * I_STRIDE + I_BUCKET]
  }
  artifact(slot: number): number {
    return this.ints[slot * I_STRIDE + I_ARTIFACT]
  }
  command(slot: number): number {
    return this.ints[slot * I_STRIDE + I_COMMAND]
  }
  attempt(slot: number): number {
    return this.ints[slot * I_STRIDE + I_ATTEMPT]
  }
  /** Final result: a Reply code (> 0) or minus an ErrorKind (< 0). */
  result(slot: number): number {
    return this.ints[slot * I_STRIDE + I_RESULT]
  }
  setResult(slot: number, r: number): void {
    this.ints[slot * I_STRIDE + I_RESULT] = r
  }
  /** Store write index of a win this request applied (even if never acknowledged), or -1. */
  write(slot: number): number {
    return this.ints[slot * I_STRIDE + I_WRITE]
  }
  setWrite(slot: number, w: number): void {
    this.ints[slot * I_STRIDE + I_WRITE] = w
  }
  /** Idempotency key: one per logical request, reused by every retry. */
  key(slot: number): number {
    return this.floats[slot * F_STRIDE + F_KEY]
  }
  /** When the request was meant to start (latency is measured from here). */
  intended(slot: number): number {
    return this.floats[slot * F_STRIDE + F_INTENDED]
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
    const ints = new Int32Array(capacity * I_STRIDE)
    ints.set(this.ints)
    const floats = new Float64Array(capacity * F_STRIDE)
    floats.set(this.floats)
    this.ints = ints
    this.floats = floats
    this.capacity = capacity
  }

  /** Start a logical request in `slot`: a fresh idempotency key, attempt 1. */
  begin(slot: number, hunter: number, bucket: number, artifact: number, command: number, t: number): void {
    const i = slot * I_STRIDE, ints = this.ints
    ints[i + I_HUNTER] = hunter
    ints[i + I_BUCKET] = bucket
    ints[i + I_ARTIFACT] = artifact
    ints[i + I_COMMAND] = command
    ints[i + I_ATTEMPT] = 1
    ints[i + I_RESULT] = 0
    ints[i + I_WRITE] = -1
    const f = slot * F_STRIDE
    this.floats[f + F_KEY] = this.nextKey++
    this.floats[f + F_INTENDED] = t
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
      this.ints[slot * I_STRIDE + I_ATTEMPT] = attempt + 1
      this.retryAt = t + backoffMs(this.retry, attempt, rng.next())
      return Next.RETRY
    }
    this.setResult(slot, outcome)
    return Next.DONE
  }
}
