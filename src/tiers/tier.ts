/**
 * A tier — a layer of the modelled system beyond the core claim path: the hunters' map, the
 * app tier, the load generator, the sink, the worker ring, the connection gateway, the bucket
 * pipeline. Its module
 * (src/tiers/<tier>.ts) holds its scenario Schema fragment and cross-field rules, its report
 * section's Schema, the figures `huntbench compare` and the dashboard's A/B table show for
 * it, and its section of the terminal summary; its model is sim/model/<tier>.ts (or
 * sim/<tier>.ts). The list is src/tiers/index.ts: the scenario, report, compare and summary
 * code iterate it.
 */
import type { Figure } from "../compare.ts"
import type { Report } from "../report.ts"
import type { Scenario } from "../scenario.ts"

/** A problem with a decoded scenario, naming its field. */
export interface Problem {
  readonly field: string
  readonly message: string
}

/** A section of the terminal summary: a title and label/value rows. */
export interface SummarySection {
  readonly title: string
  readonly rows: ReadonlyArray<readonly [string, string]>
}

export interface Tier {
  /** The scenario (and report) field the tier lives under. */
  readonly key: "geography" | "app" | "loadgen" | "sink" | "workers" | "gateway" | "pipeline"
  /** Figures compared between two runs (a figure absent from a report is left out). */
  readonly figures: ReadonlyArray<Figure>
  /** The tier's summary section, when the report has the tier. */
  readonly summary: (r: Report) => SummarySection | undefined
  /** Rules spanning its fields and others', checked after the Schema (each field alone is the Schema's). */
  readonly problems?: (s: Scenario) => ReadonlyArray<Problem>
}

/** A number for a summary: thousands separated, at most three decimals. Example: `num(1234.5) === "1,234.5"`. */
export { num } from "../figures.ts"

/** A bucket as the summary names it. Example: `bucketLabel({ bucket: 3, node: 1 }) === "b3@n1"`. */
export const bucketLabel = (b: { readonly bucket: number; readonly node: number; readonly name?: string }): string => `${b.name ?? `b${b.bucket}`}@n${b.node}`
