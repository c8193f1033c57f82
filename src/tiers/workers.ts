/** Stateless workers on a consistent-hash ring (scenario `workers`): a dead one refuses until noticed. */
import { Schema } from "effect"
import { N, NonNegative, NonNegativeInt, NumArray, Positive, PositiveInt, withDefault } from "../schema-parts.ts"
import { num, type Problem, type Tier } from "./tier.ts"

/**
 * Stateless app workers behind consistent hashing on the hunter id (reference system 2).
 * A request routed to a dead worker fails at once (a connection error, retried by the
 * engine); after detectMs the ring routes that worker's hunters to the next live one.
 */
export const WorkersSchema = Schema.Struct({
  count: PositiveInt.check(Schema.isLessThanOrEqualTo(10_000)),
  vnodes: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(1000)), 64),
  detectMs: withDefault(NonNegative, 1000),
  failures: withDefault(Schema.Array(Schema.Struct({ worker: NonNegativeInt, atMs: NonNegative, durationMs: Positive })), [])
})

/** With consistent-hash workers: requests per worker, refused by a dead one, re-routed. */
export const WorkersReportSchema = Schema.Struct({ count: N, routed: NumArray, failedFast: N, rerouted: N })

export const workersTier: Tier = {
  key: "workers",
  // A design with a sink but no ring counts no refusals (0), so before/after pairs compare.
  figures: [{ key: "workerRefused", label: "refused by dead workers", get: (r) => r.workers?.failedFast ?? (r.sink ? 0 : undefined), better: "lower" }],
  problems: (s) => {
    const out: Array<Problem> = []
    s.workers?.failures.forEach((f, i) => {
      if (f.worker >= s.workers!.count)
        out.push({ field: `workers.failures[${i}].worker`, message: `worker ${f.worker} does not exist (workers.count is ${s.workers!.count})` })
      if (f.atMs >= s.durationMs) out.push({ field: `workers.failures[${i}].atMs`, message: `${f.atMs} is outside the run (durationMs is ${s.durationMs})` })
    })
    return out
  },
  summary: (r) =>
    r.workers && {
      title: "Workers",
      rows: [["workers", `${num(r.workers.count)} on a consistent-hash ring; ${num(r.workers.failedFast)} requests refused by a dead worker, ${num(r.workers.rerouted)} re-routed`]]
    }
}
