/** Stateless workers on a consistent-hash ring (scenario `workers`): a dead one refuses until noticed. */
import { num, type Tier } from "./tier.ts"

export const workersTier: Tier = {
  key: "workers",
  // A design with a sink but no ring counts no refusals (0), so before/after pairs compare.
  figures: [{ key: "workerRefused", label: "refused by dead workers", get: (r) => r.workers?.failedFast ?? (r.sink ? 0 : undefined), better: "lower" }],
  summary: (r) =>
    r.workers && {
      title: "Workers",
      rows: [["workers", `${num(r.workers.count)} on a consistent-hash ring; ${num(r.workers.failedFast)} requests refused by a dead worker, ${num(r.workers.rerouted)} re-routed`]]
    }
}
