/**
 * Every tier, listed once. The scenario Schema spreads `tierScenarioFields`, the report
 * Schema `tierReportFields`; compare, the summary and the cross-field checks iterate
 * `tiers` (in the order the summary prints them). Adding a tier: its module
 * (src/tiers/<tier>.ts), its model (sim/model/<tier>.ts), and a line in each list below.
 */
import { Schema } from "effect"
import { AppReportSchema, AppSchema, appTier } from "./app.ts"
import { GatewayReportSchema, GatewaySchema, gatewayTier } from "./gateway.ts"
import { GeographyReportSchema, GeographySchema, geographyTier } from "./geography.ts"
import { LoadgenReportSchema, LoadGenSchema, loadgenTier } from "./loadgen.ts"
import { PipelineReportSchema, PipelineSchema, pipelineTier } from "./pipeline.ts"
import { SinkReportSchema, SinkSchema, sinkTier } from "./sink.ts"
import type { Tier } from "./tier.ts"
import { WorkersReportSchema, WorkersSchema, workersTier } from "./workers.ts"

export const tiers: ReadonlyArray<Tier> = [geographyTier, appTier, loadgenTier, sinkTier, workersTier, gatewayTier, pipelineTier]

/** The tiers' scenario fields, each optional (a scenario without it has no such tier). */
export const tierScenarioFields = {
  geography: Schema.optionalKey(GeographySchema),
  pipeline: Schema.optionalKey(PipelineSchema),
  app: Schema.optionalKey(AppSchema),
  sink: Schema.optionalKey(SinkSchema),
  workers: Schema.optionalKey(WorkersSchema),
  loadgen: Schema.optionalKey(LoadGenSchema),
  gateway: Schema.optionalKey(GatewaySchema)
}

/** The tiers' report sections, present when the scenario had the tier. */
export const tierReportFields = {
  geography: Schema.optionalKey(GeographyReportSchema),
  pipeline: Schema.optionalKey(PipelineReportSchema),
  app: Schema.optionalKey(AppReportSchema),
  sink: Schema.optionalKey(SinkReportSchema),
  loadgen: Schema.optionalKey(LoadgenReportSchema),
  workers: Schema.optionalKey(WorkersReportSchema),
  gateway: Schema.optionalKey(GatewayReportSchema)
}
