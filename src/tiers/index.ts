/**
 * Every tier, in the order the summary prints them and compare lists their figures. Adding a
 * tier: its module here (src/tiers/<tier>.ts) and one line in this list (ARCHITECTURE.md).
 */
import { appTier } from "./app.ts"
import { geographyTier } from "./geography.ts"
import { loadgenTier } from "./loadgen.ts"
import { pipelineTier } from "./pipeline.ts"
import { sinkTier } from "./sink.ts"
import type { Tier } from "./tier.ts"
import { workersTier } from "./workers.ts"

export const tiers: ReadonlyArray<Tier> = [geographyTier, appTier, loadgenTier, sinkTier, workersTier, pipelineTier]
