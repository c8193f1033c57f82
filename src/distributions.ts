/**
 * Sampling of the scenario's time distributions. A `Distribution` from the scenario is
 * compiled once into a `Sampler` (precomputed parameters), then sampled in the hot loop
 * from a uniform source the driver supplies — nothing here owns randomness.
 */
import type { Distribution } from "./scenario.ts"

/** The uniform source: anything with `next(): number` in [0, 1). */
export interface Uniform {
  next(): number
}

const Z99 = 2.3263478740408408 // the standard normal's 99th percentile
const TABLE = 4096
const TAIL = 41 // table points at each end left to the exact formula (≈ 1 %)

/** A compiled distribution; `sample(rng)` returns milliseconds. */
export interface Sampler {
  readonly mean: number
  sample(rng: Uniform): number
}

/**
 * Compile a scenario distribution. Example:
 * `compile({ kind: "exponential", meanMs: 2 }).sample(rng)` averages 2 over many draws;
 * `compile({ kind: "lognormal", meanMs: 1, p99Ms: 5 })` has mean 1 and 99th percentile 5.
 */
export const compile = (d: Distribution): Sampler => {
  switch (d.kind) {
    case "constant": {
      const ms = d.ms
      return { mean: ms, sample: () => ms }
    }
    case "exponential": {
      const mean = d.meanMs
      return { mean, sample: (rng) => -mean * Math.log(1 - rng.next()) }
    }
    case "lognormal": {
      // mean = exp(mu + s²/2), p99 = exp(mu + Z99·s)  ⇒  s²/2 − Z99·s + ln(p99/mean) = 0
      const L = Math.log(d.p99Ms / d.meanMs)
      const s = Z99 - Math.sqrt(Z99 * Z99 - 2 * L)
      const mu = Math.log(d.meanMs) - (s * s) / 2
      // The quantile function tabulated at TABLE points and interpolated linearly in the
      // body; the two 1 % tails are computed exactly. ~3× faster than exp + Φ⁻¹ per draw
      // with a relative error below 5e-5 (tested), and still one uniform per sample.
      const exact = (u: number) => Math.exp(mu + s * normalQuantile(u))
      const table = new Float64Array(TABLE + 1)
      for (let i = 0; i <= TABLE; i++) table[i] = exact(Math.min(Math.max(i / TABLE, 1e-12), 1 - 1e-12))
      const lo = TAIL / TABLE, hi = 1 - TAIL / TABLE
      return {
        mean: d.meanMs,
        sample: (rng) => {
          const u = rng.next()
          if (u < lo || u >= hi) return exact(u)
          const x = u * TABLE
          const i = x | 0
          return table[i] + (x - i) * (table[i + 1] - table[i])
        }
      }
    }
    case "empirical":
      return empirical(d.quantiles)
  }
}

/**
 * The inverse CDF of a quantile table, linear between its points, tabulated at TABLE + 1
 * points so that a draw is one lookup and one interpolation whatever the table's size.
 * Example: `empirical([[0, 1], [0.5, 2], [1, 10]])` has median 2, mean 3.75, max 10.
 */
export const empirical = (points: ReadonlyArray<readonly [number, number]>): Sampler => {
  const at = (u: number): number => {
    let i = 1
    while (i < points.length - 1 && points[i][0] <= u) i++
    const [q0, m0] = points[i - 1], [q1, m1] = points[i]
    return q1 > q0 ? m0 + ((u - q0) / (q1 - q0)) * (m1 - m0) : m1
  }
  const table = new Float64Array(TABLE + 1)
  for (let i = 0; i <= TABLE; i++) table[i] = at(i / TABLE)
  let mean = 0
  for (let i = 1; i < points.length; i++) mean += (points[i][0] - points[i - 1][0]) * (points[i][1] + points[i - 1][1]) / 2
  return {
    mean,
    sample: (rng) => {
      const x = rng.next() * TABLE
      const i = x | 0
      return table[i] + (x - i) * (table[i + 1] - table[i])
    }
  }
}

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
// One uniform per normal and no trigonometry: about 3× faster here than Box–Muller, and the
// draw count per sample stays fixed, which keeps runs replayable.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
const P_LOW = 0.02425

/**
 * The standard normal quantile Φ⁻¹(u) for u in [0, 1). Example: `normalQuantile(0.975)` ≈ 1.96.
 */
export const normalQuantile = (u: number): number => {
  if (u <= 0) u = 1e-300
  if (u < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(u))
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  }
  if (u > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - u))
    return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  }
  const q = u - 0.5
  const r = q * q
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
}
