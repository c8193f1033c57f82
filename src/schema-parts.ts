/**
 * The building blocks the scenario's and the report's Schemas share — number ranges, a
 * field with a default, the latency distribution — so a tier's module (src/tiers/) can
 * declare its own fragment without importing the whole scenario.
 */
import { Effect, Schema } from "effect"

export const withDefault = <S extends Schema.Constraint>(schema: S, value: S["Encoded"]) =>
  Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(schema)

export const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))
export const Positive = Schema.Finite.check(Schema.isGreaterThan(0))
export const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
export const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
export const Fraction = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))

/** A latency or service-time distribution, in milliseconds. */
export const Distribution = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("constant"), ms: NonNegative }),
  Schema.Struct({ kind: Schema.Literal("exponential"), meanMs: Positive }),
  Schema.Struct({
    kind: Schema.Literal("lognormal"),
    meanMs: Positive,
    p99Ms: Positive
  }).check(
    Schema.makeFilter((d) => {
      const r = d.p99Ms / d.meanMs
      if (r <= 1) return { path: ["p99Ms"], issue: "must be greater than meanMs" }
      // ln(p99/mean) = 2.326 s - s^2/2 has a real solution only up to this ratio
      if (r > 14.9) return { path: ["p99Ms"], issue: "must be at most 14.9 × meanMs for a lognormal" }
      return undefined
    })
  ),
  // A measured shape (huntbench calibrate): [quantile, ms] points from quantile 0 to 1,
  // sampled by interpolating linearly between them.
  Schema.Struct({
    kind: Schema.Literal("empirical"),
    quantiles: Schema.Array(Schema.Tuple([Fraction, NonNegative]))
  }).check(
    Schema.makeFilter((d) => {
      const q = d.quantiles
      if (q.length < 2) return { path: ["quantiles"], issue: "needs at least two [quantile, ms] points" }
      if (q[0][0] !== 0) return { path: ["quantiles", 0, 0], issue: "the first quantile must be 0" }
      if (q[q.length - 1][0] !== 1) return { path: ["quantiles", q.length - 1, 0], issue: "the last quantile must be 1" }
      for (let i = 1; i < q.length; i++) {
        if (q[i][0] <= q[i - 1][0]) return { path: ["quantiles", i, 0], issue: "quantiles must increase" }
        if (q[i][1] < q[i - 1][1]) return { path: ["quantiles", i, 1], issue: "must not be below the previous quantile's ms" }
      }
      return undefined
    })
  )
])
export type Distribution = typeof Distribution.Type

export const Lat = Schema.Finite.check(Schema.isBetween({ minimum: -90, maximum: 90 }))
export const Lon = Schema.Finite.check(Schema.isBetween({ minimum: -180, maximum: 180 }))

/** A report's plain numbers, and lists of them. */
export const N = Schema.Number
export const NumArray = Schema.Array(N)

/** Latency percentiles from an HDR histogram (ms), as reports carry them. */
export const Latency = Schema.Struct({ p50: N, p95: N, p99: N, p999: N, max: N, mean: N, count: N })

/** One threshold of `slo.thresholds` (src/thresholds.ts): `"< 200"`, or with abortOnFail. */
export const ThresholdSpec = Schema.Union([
  Schema.String,
  Schema.Struct({ threshold: Schema.String, abortOnFail: Schema.optionalKey(Schema.Boolean), delayAbortEvalMs: Schema.optionalKey(Schema.Number) })
])
/** `slo.thresholds`: a report path → one threshold or a list. */
export const Thresholds = Schema.Record(Schema.String, Schema.Union([ThresholdSpec, Schema.Array(ThresholdSpec)]))
