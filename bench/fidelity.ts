/**
 * Fidelity (issue 16's acceptance, first measurement): calibrate a local Redis deployment,
 * then run open-loop hunts at several rates simulated (with the profile) and live on it,
 * and print each pair's p50 and p99 side by side (JSON lines), the knee of each (the rate at
 * which p99 first exceeds 10× its lowest-rate value), and for three fault scenarios the
 * errors by kind, breaker trips and lost acknowledged claims. `node bench/fidelity.ts
 * [--seconds N]` (per live run; default 5). Not a test: these figures are what the model
 * is to be brought to, not what it already reaches.
 */
import { Effect } from "effect"
import { liveRun } from "../adapters/live/simulation.ts"
import { calibrate } from "../adapters/redis/calibrate.ts"
import type { LocalDeployment } from "../adapters/redis/deployment.ts"
import { layerLocalTarget } from "../adapters/redis/local.ts"
import { Simulation } from "../sim/simulation.ts"
import type { Profile } from "../src/profile.ts"
import type { Report } from "../src/report.ts"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const seconds = arg("--seconds", 5)
let n = 0
const emit = (r: Record<string, unknown>) => process.stdout.write(JSON.stringify({ bench: "fidelity", ...r }) + "\n")

let deployment: LocalDeployment | undefined
const profile: Profile = await Effect.runPromise(
  calibrate({ target: "local", adminUrl: () => deployment!.nodes[0].proxy.url, secondsPerLevel: 1, now: new Date().toISOString() }).pipe(
    Effect.scoped,
    Effect.provide(layerLocalTarget({ runId: "fidelity-calibrate", onDeployment: (d) => (deployment = d) }))
  )
)
emit({ step: "calibrate", ceilingPerSec: profile.ceilingPerSec, rttP50Ms: profile.raw.rttMs.p50, claimServerP50Ms: profile.raw.claimServerMs.p50, clientOverheadMs: profile.clientOverheadMs })

const hunt = (ratePerSec: number, faults: Array<Record<string, unknown>> = [], engine: Record<string, unknown> = {}, topology: Record<string, unknown> = {}) => ({
  name: `open ${ratePerSec}/s`,
  seed: 11,
  durationMs: seconds * 1000,
  hunters: { count: 5000, behaviour: { model: "open", ratePerSec } },
  artifacts: { count: 20_000, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: seconds * 1000 } },
  topology: { buckets: 16, nodes: 1, ...topology },
  engine: { timeoutMs: 1000, ...engine },
  timing: { profile },
  faults
})

const pair = async (input: ReturnType<typeof hunt>): Promise<{ sim: Report; live: Report }> => {
  const sim = await Effect.runPromise(Simulation.run(input, { openLoop: true }))
  const live = await Effect.runPromise(liveRun(input).pipe(Effect.scoped, Effect.provide(layerLocalTarget({ runId: `fidelity-${++n}` }))))
  return { sim, live }
}
const ratio = (a: number, b: number) => (a === 0 ? null : Math.round((b / a) * 1000) / 1000)

// Rates from light to past what one client process can send; the knee from each side.
const rates = [500, 1000, 2000, 4000, 8000, 16000]
const p99s: Array<{ rate: number; sim: number; live: number }> = []
for (const rate of rates) {
  const { sim, live } = await pair(hunt(rate))
  p99s.push({ rate, sim: sim.latencyMs.p99, live: live.latencyMs.p99 })
  emit({
    step: "load", ratePerSec: rate, shareOfCeiling: Math.round((rate / profile.ceilingPerSec) * 1000) / 1000,
    simP50Ms: sim.latencyMs.p50, liveP50Ms: live.latencyMs.p50, p50Ratio: ratio(sim.latencyMs.p50, live.latencyMs.p50),
    simP99Ms: sim.latencyMs.p99, liveP99Ms: live.latencyMs.p99, p99Ratio: ratio(sim.latencyMs.p99, live.latencyMs.p99),
    liveThroughput: live.throughputPerSec, liveLateSends: live.live?.lateSends
  })
}
const knee = (side: "sim" | "live") => p99s.find((p) => p[side] > 10 * p99s[0][side])?.rate ?? null
emit({ step: "knee", simKneePerSec: knee("sim"), liveKneePerSec: knee("live"), definition: "first rate whose p99 exceeds 10× the lowest rate's" })

// Faults: the same timeline in both worlds.
const at = (s: number) => Math.round(seconds * 1000 * s)
for (const [name, input] of [
  ["pause", hunt(1000, [{ kind: "pause", atMs: at(0.3), durationMs: at(0.2), target: 0 }], { timeoutMs: 200 })],
  ["linkLatency", hunt(1000, [{ kind: "linkLatency", atMs: at(0.2), durationMs: at(0.6), target: 0, extraMs: 25, jitterMs: 5 }], { timeoutMs: 100 })],
  ["lag + crash", hunt(1000, [{ kind: "replicationLag", atMs: at(0.2), durationMs: at(0.3) + 100, target: 0, lagMs: 1500 }, { kind: "crash", atMs: at(0.5), durationMs: at(0.4), target: 0 }], { timeoutMs: 200 }, { failover: { detectionMs: 800, promotionMs: 200 } })]
] as const) {
  const { sim, live } = await pair(input as ReturnType<typeof hunt>)
  emit({
    step: "faults", scenario: name,
    errorsByKind: { sim: sim.errors.byKind, live: live.errors.byKind },
    breakerTrips: { sim: sim.breakers.trips, live: live.breakers.trips },
    lostAcknowledged: { sim: sim.claims.lostAcknowledged, live: live.claims.lostAcknowledged }
  })
}
