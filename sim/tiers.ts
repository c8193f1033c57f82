/**
 * The models of the tiers a request can pass between a hunter and Redis — worker ring, load
 * generator, gateway, app tier — and of the sink a win is recorded in: built in one place,
 * one line per tier, for a run whose mode models tiers (a live run's tiers are the real
 * system's). The lifecycle calls each directly where a request passes it (sim/lifecycle.ts);
 * the report takes each one's section from its `report()`. (The bucket pipeline and the
 * map are the world's, not a request's stage: sim/pipeline.ts, sim/movement.ts.)
 */
import type { Scenario } from "../src/scenario.ts"
import { AppTier } from "./model/app.ts"
import { Gateway } from "./model/gateway.ts"
import { LoadGen } from "./model/loadgen.ts"
import { Sink } from "./model/sink.ts"
import { WorkerRing } from "./ring.ts"

export interface Tiers {
  readonly ring: WorkerRing | undefined
  readonly loadgen: LoadGen | undefined
  readonly gateway: Gateway | undefined
  readonly app: AppTier | undefined
  readonly sink: Sink | undefined
}

/** The tiers scenario `s` has. Example: `buildTiers(s, true).app?.pass(t, rng)`. */
export const buildTiers = (s: Scenario, modelled: boolean): Tiers => ({
  ring: modelled && s.workers ? new WorkerRing(s.workers) : undefined,
  loadgen: modelled && s.loadgen ? new LoadGen(s) : undefined,
  gateway: modelled && s.gateway ? new Gateway(s) : undefined,
  app: modelled && s.app ? new AppTier(s) : undefined,
  sink: modelled && s.sink ? new Sink(s) : undefined
})

/** Each tier's report section, keyed as the report has it, for a run that ended at `endMs`. */
export const tierReports = (t: Tiers, endMs: number) => ({
  ...(t.sink ? { sink: t.sink.report() } : {}),
  ...(t.loadgen ? { loadgen: t.loadgen.report(endMs) } : {}),
  ...(t.ring ? { workers: t.ring.report() } : {}),
  ...(t.gateway ? { gateway: t.gateway.report() } : {}),
  ...(t.app ? { app: t.app.report(endMs) } : {})
})
