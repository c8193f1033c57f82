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
      return {
        mean: d.meanMs,
        sample: (rng) => {
          // Box–Muller; one normal per call keeps the draw count per sample fixed.
          const u1 = 1 - rng.next()
          const u2 = rng.next()
          const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
          return Math.exp(mu + s * z)
        }
      }
    }
  }
}
