/**
 * Per-bucket circuit breakers over typed arrays. Closed → (failureThreshold consecutive
 * failures) → open for openMs → half-open, letting halfOpenProbes requests through;
 * a probe's success closes it, a failure opens it again. Time is an argument.
 */
export interface BreakerPolicy {
  readonly enabled: boolean
  readonly failureThreshold: number
  readonly openMs: number
  readonly halfOpenProbes: number
}

export const CLOSED = 0
export const OPEN = 1
export const HALF_OPEN = 2

export class Breakers {
  readonly state: Uint8Array
  readonly failures: Int32Array
  readonly openUntil: Float64Array
  readonly probes: Int32Array
  readonly trips: Int32Array
  openCount = 0
  totalTrips = 0

  /** Example: `const b = new Breakers(96, policy); if (b.allow(7, now)) send()`. */
  readonly policy: BreakerPolicy

  constructor(n: number, policy: BreakerPolicy) {
    this.policy = policy
    this.state = new Uint8Array(n)
    this.failures = new Int32Array(n)
    this.openUntil = new Float64Array(n)
    this.probes = new Int32Array(n)
    this.trips = new Int32Array(n)
  }

  /** How many breakers are open (rejecting) at time `t`. */
  openAt(t: number): number {
    let n = 0
    for (let b = 0; b < this.state.length; b++) if (this.state[b] === OPEN && t < this.openUntil[b]) n++
    return n
  }

  /** May a request to bucket `b` be sent at time `t`? Counts half-open probes. */
  allow(b: number, t: number): boolean {
    if (!this.policy.enabled) return true
    const s = this.state[b]
    if (s === CLOSED) return true
    if (s === OPEN) {
      if (t < this.openUntil[b]) return false
      this.state[b] = HALF_OPEN
      this.probes[b] = 0
      this.openCount--
    }
    if (this.probes[b] < this.policy.halfOpenProbes) {
      this.probes[b]++
      return true
    }
    return false
  }

  /** A request to bucket `b` succeeded. */
  onSuccess(b: number): void {
    if (!this.policy.enabled) return
    if (this.state[b] === HALF_OPEN) this.state[b] = CLOSED
    this.failures[b] = 0
  }

  /** A request to bucket `b` failed at time `t`; returns true when this trips the breaker. */
  onFailure(b: number, t: number): boolean {
    if (!this.policy.enabled) return false
    const s = this.state[b]
    if (s === OPEN) return false
    if (s === HALF_OPEN || ++this.failures[b] >= this.policy.failureThreshold) {
      this.state[b] = OPEN
      this.openUntil[b] = t + this.policy.openMs
      this.failures[b] = 0
      this.trips[b]++
      this.totalTrips++
      this.openCount++
      return true
    }
    return false
  }
}
