/**
 * A timing profile: what `huntbench calibrate` measured on a real Redis — the round trip,
 * each command's time on the server, the client's own overhead and event-loop delay, the
 * server's throughput ceiling, per load level — as distributions the model samples
 * (`empirical` quantile tables) and the raw figures beside them. A scenario uses one by
 * `timing.profile` (the object, or in the CLI a file path): its round trip and service
 * times replace `topology.rttMs` and `timing.claim`/`timing.balance`. Versioned, so a
 * profile of another shape is refused naming the field.
 */
import { Schema } from "effect"
import { Distribution, Fraction, N, NonNegative, Positive, PositiveInt } from "./schema-parts.ts"

/** The profile format's version; a profile says which it is in `huntbenchProfile`. */
export const PROFILE_VERSION = 1

const Quantiles = Schema.Struct({ p50: N, p90: N, p99: N, p999: N, max: N, count: N })

export const ProfileSchema = Schema.Struct({
  huntbenchProfile: Schema.Literal(PROFILE_VERSION),
  /** What was measured (a URL without its password, or "local") and when (ISO 8601). */
  target: Schema.String,
  measuredAt: Schema.String,
  redisVersion: Schema.String,
  /** The client↔server round trip, at one request in flight. */
  rttMs: Distribution,
  /** Time on the server per command (its own latency histogram), at low load. */
  timing: Schema.Struct({ claim: Distribution, balance: Distribution }),
  /** What the client adds beyond round trip and server time, per request (mean, ms), and its event-loop delay. */
  clientOverheadMs: NonNegative,
  eventLoopDelayMs: Schema.Struct({ p50: N, p99: N, max: N }),
  /** Claims per second at the highest load measured: the server's ceiling as this client sees it. */
  ceilingPerSec: Positive,
  /** Each load level: requests in flight, the claims/s reached and the client's latency then. */
  levels: Schema.Array(Schema.Struct({ inFlight: PositiveInt, claimsPerSec: N, latencyMs: Quantiles })),
  /** The raw measurements the distributions were fitted from. */
  raw: Schema.Struct({ rttMs: Quantiles, claimServerMs: Quantiles, balanceServerMs: Quantiles }),
  /**
   * huntbench's own live driver measured on this path (open-loop claims at a few rates): the
   * latency a live run sees there — round trip, server, the client's work, and the machine's
   * stalls (GC pauses, wake-ups from idle) that make the tail — and the rate at which the
   * driver saturates. With it the model takes each request's path from the level nearest the
   * client's current rate and queues requests on the client's one thread (sim/model/client.ts).
   */
  driver: Schema.optionalKey(
    Schema.Struct({
      levels: Schema.Array(Schema.Struct({ ratePerSec: Positive, claimsPerSec: N, latencyMs: Distribution, raw: Quantiles })).check(Schema.isMinLength(1)),
      /** The highest claims/s the driver sustains: it keeps up, and its p99 stays within 10× its p99 at the lowest level. */
      ceilingPerSec: Positive,
      /**
       * The driver in shapes the levels are not (claims over one node's connections), at one
       * of the levels' rates: over several nodes' connections (`nodes`), or with balance reads
       * (`balanceShare` of the requests). A scenario of such a shape has its levels' paths
       * scaled by shape ÷ level, quantile by quantile (sim/model/client.ts).
       */
      shapes: Schema.optionalKey(
        Schema.Array(Schema.Struct({ nodes: PositiveInt, balanceShare: Fraction, ratePerSec: Positive, latencyMs: Distribution, raw: Quantiles }))
      )
    })
  )
})
export type Profile = typeof ProfileSchema.Type

type DriverShape = NonNullable<NonNullable<Profile["driver"]>["shapes"]>[number]

/** A calibrated shape over several nodes' connections (claims only). Example: `profile.driver?.shapes?.find(overNodes)`. */
export const overNodes = (m: DriverShape): boolean => m.nodes > 1 && m.balanceShare === 0

/** A calibrated shape with balance reads beside the claims (one node). Example: `profile.driver?.shapes?.filter(withReads)`. */
export const withReads = (m: DriverShape): boolean => m.nodes === 1 && m.balanceShare > 0
