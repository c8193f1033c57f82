// Queueing theory check of the timing model: one node, Poisson arrivals, exponential
// service, no RTT, no pool limit — an M/M/1 queue. Theory (λ arrival rate, μ service rate,
// ρ = λ/μ): mean wait in queue ρ/(μ−λ); P(wait > t) = ρ·e^{−(μ−λ)t}, so the p99 wait is
// ln(100ρ)/(μ−λ); response time is exponential with mean 1/(μ−λ), p99 ln(100)/(μ−λ).
import { describe, expect, it } from "vitest"
import { decodeScenarioSync } from "../../../src/scenario.ts"
import { simulate } from "../../../sim/driver.ts"
import { summarize } from "../../../src/metrics/histogram.ts"

const mm1 = (rho: number, seed: number, requests: number) => {
  const serviceMs = 1
  const ratePerSec = (rho / serviceMs) * 1000
  return decodeScenarioSync({
    seed,
    durationMs: (requests / ratePerSec) * 1000,
    slo: { p99Ms: 1e6, maxErrorRate: 1 },
    hunters: { count: 1000, behaviour: { model: "open", ratePerSec } },
    artifacts: { count: 10 },
    topology: { buckets: 1, nodes: 1, poolSize: 100000, rttMs: { kind: "constant", ms: 0 }, replicas: false },
    timing: { claim: { kind: "exponential", meanMs: serviceMs } },
    engine: { timeoutMs: 1e7, retries: { max: 0 }, breaker: { enabled: false } }
  })
}

describe("timing model vs M/M/1 theory", () => {
  for (const [rho, seed, n] of [[0.5, 11, 400_000], [0.8, 12, 1_500_000]] as const) {
    it(`utilisation ${rho}: mean and p99 of queue wait and response time within 5 %`, () => {
      const raw = simulate(mm1(rho, seed, n))
      const mu = 1, lambda = rho // per ms
      const wait = summarize(raw.queueWait)
      const resp = summarize(raw.latency)
      expect(raw.latency.total).toBeGreaterThan(n * 0.98)
      const within = (got: number, want: number) => expect(Math.abs(got / want - 1)).toBeLessThan(0.05)
      within(raw.queueWait.meanMs(), rho / (mu - lambda))
      within(wait.p99, Math.log(100 * rho) / (mu - lambda))
      within(raw.latency.meanMs(), 1 / (mu - lambda))
      within(resp.p99, Math.log(100) / (mu - lambda))
    })
  }
})
