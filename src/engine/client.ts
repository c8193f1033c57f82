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

export class ClaimClient {
  hunter: Int32Array
  bucket: Int32Array
  artifact: Int32Array
  command: Uint8Array
  /** Idempotency key: one per logical request, reused by every retry. */
  key: Float64Array
  /** When the request was meant to start (latency is measured from here). */
  intended: Float64Array
  attempt: Uint8Array
  /** Final result: a Reply code (> 0) or minus an ErrorKind (< 0). */
  result: Int8Array
  /** Store write index of a win this request applied (even if never acknowledged), or -1. */
  write: Int32Array
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
    const n = Math.max(1, initialSlots)
    this.hunter = new Int32Array(n)
    this.bucket = new Int32Array(n)
    this.artifact = new Int32Array(n)
    this.command = new Uint8Array(n)
    this.key = new Float64Array(n)
    this.intended = new Float64Array(n)
    this.attempt = new Uint8Array(n)
    this.result = new Int8Array(n)
    this.write = new Int32Array(n)
    this.breakers = new Breakers(s.topology.buckets, s.engine.breaker)
    this.retry = s.engine.retries
    this.timeoutMs = s.engine.timeoutMs
  }

  /** A free slot for a request not tied to a hunter's own slot (open model). */
  allocate(): number {
    const f = this.freeList.pop()
    if (f !== undefined) return f
    if (this.used === this.hunter.length) this.grow()
    return this.used++
  }

  release(slot: number): void {
    this.freeList.push(slot)
  }

  /** Reserve slots 0..n-1 for the closed model's one-request-per-hunter use. */
  reserve(n: number): void {
    while (this.hunter.length < n) this.grow()
    this.used = Math.max(this.used, n)
  }

  private grow(): void {
    const cap = this.hunter.length * 2
    const g = <T extends Int32Array | Uint8Array | Float64Array | Int8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap)
      b.set(a)
      return b
    }
    this.hunter = g(this.hunter)
    this.bucket = g(this.bucket)
    this.artifact = g(this.artifact)
    this.command = g(this.command)
    this.key = g(this.key)
    this.intended = g(this.intended)
    this.attempt = g(this.attempt)
    this.result = g(this.result)
    this.write = g(this.write)
  }

  /** Start a logical request in `slot`: a fresh idempotency key, attempt 1. */
  begin(slot: number, hunter: number, bucket: number, artifact: number, command: number, t: number): void {
    this.hunter[slot] = hunter
    this.bucket[slot] = bucket
    this.artifact[slot] = artifact
    this.command[slot] = command
    this.key[slot] = this.nextKey++
    this.intended[slot] = t
    this.attempt[slot] = 1
    this.result[slot] = 0
    this.write[slot] = -1
  }

  /** May this attempt be sent at `t`? If not, the request ends as BREAKER_OPEN. */
  admit(slot: number, t: number): boolean {
    if (this.breakers.allow(this.bucket[slot], t)) return true
    this.result[slot] = -ErrorKind.BREAKER_OPEN
    return false
  }

  /**
   * Record one attempt's result at `t`: a Reply code, or minus an ErrorKind. Returns
   * `Next.RETRY` (with `retryAt` set) or `Next.DONE` (with `result` final).
   */
  settle(slot: number, t: number, outcome: number, rng: Uniform): number {
    const b = this.bucket[slot]
    if (outcome > 0) {
      this.breakers.onSuccess(b)
      this.result[slot] = outcome
      return Next.DONE
    }
    this.breakers.onFailure(b, t)
    const attempt = this.attempt[slot]
    if (isRetryable(-outcome) && attempt <= this.retry.max) {
      this.attempt[slot] = attempt + 1
      this.retryAt = t + backoffMs(this.retry, attempt, rng.next())
      return Next.RETRY
    }
    this.result[slot] = outcome
    return Next.DONE
  }
}
