/**
 * Retry policy: exponential backoff with jitter, the same idempotency key on every attempt.
 */
export interface RetryPolicy {
  readonly max: number
  readonly baseMs: number
  readonly maxMs: number
  readonly jitter: number
}

/**
 * Delay before retry number `attempt` (1-based): `baseMs·2^(attempt−1)` capped at `maxMs`,
 * then reduced by up to `jitter` of itself using the uniform draw `u`. Example:
 * `backoffMs({ max: 3, baseMs: 50, maxMs: 1000, jitter: 0 }, 3, 0.7) === 200`.
 */
export const backoffMs = (p: RetryPolicy, attempt: number, u: number): number => {
  const d = Math.min(p.maxMs, p.baseMs * 2 ** (attempt - 1))
  return d * (1 - p.jitter * u)
}
