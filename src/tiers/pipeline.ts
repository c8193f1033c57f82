/** Per-bucket streams, workers and fan-out, shard splits and the edge cache (scenario `pipeline`). */
import { percent } from "../figures.ts"
import { Schema } from "effect"
import { Distribution, Latency, N, NonNegative, Positive, PositiveInt, withDefault } from "../schema-parts.ts"
import { bucketLabel, num, type Tier } from "./tier.ts"

/**
 * The per-bucket pipeline behind the claim script (reference system 4): each claim's diff
 * goes to its bucket's stream; the bucket's worker consumes it (workerServiceMs) and fans it
 * out to the bucket's subscribers — its hunters — at fanoutPerSubscriberMs each. Past
 * backlogCap unread entries the stream trims the oldest (counted, never delivered). Past
 * subscriberCap hunters a bucket splits (geography only): its prefix's 32 child cells get a
 * worker each after split.durationMs, each child's hunters re-subscribe there, and a diff
 * then fans out to its artifact's child cell only. An edge cache keeps each bucket's latest
 * diff for ttlMs: a hunter's read is a hit or a miss, and a hit may be stale.
 */
export const PipelineSchema = Schema.Struct({
  diffs: withDefault(Schema.Literals(["claims", "wins"]), "claims"),
  workerServiceMs: withDefault(Distribution, { kind: "constant", ms: 0.05 }),
  fanoutPerSubscriberMs: withDefault(NonNegative, 0.002),
  backlogCap: withDefault(PositiveInt, 5000),
  subscriberCap: Schema.optionalKey(PositiveInt),
  split: withDefault(Schema.Struct({ durationMs: withDefault(NonNegative, 2000) }), {}),
  edgeCache: Schema.optionalKey(Schema.Struct({ ttlMs: withDefault(Positive, 1000) }))
})

/** The per-bucket pipeline's figures (scenario `pipeline`). */
export const PipelineReportSchema = Schema.Struct({
  diffs: N,
  delivered: N,
  /** Diffs trimmed from a stream past its cap before the worker read them (never delivered). */
  trimmed: N,
  backlogAtEnd: N,
  maxBacklog: N,
  /** Diff delivery: entering the stream → fanned out to every subscriber. */
  lagMs: Latency,
  edgeCache: Schema.optionalKey(Schema.Struct({ hits: N, misses: N, hitRate: N, staleHits: N, stalenessMs: Latency })),
  splits: Schema.Array(Schema.Struct({ bucket: N, name: Schema.String, atMs: N, doneAtMs: N, subscribers: N, children: N }))
})
export type PipelineReport = typeof PipelineReportSchema.Type

export const pipelineTier: Tier = {
  key: "pipeline",
  figures: [
    { key: "deliveryP99", label: "diff delivery p99 ms", get: (r) => r.pipeline?.lagMs.p99, better: "lower" },
    { key: "streamBacklog", label: "max stream backlog", get: (r) => r.pipeline?.maxBacklog, better: "lower" },
    { key: "trimmed", label: "diffs trimmed unread", get: (r) => r.pipeline?.trimmed, better: "lower" },
    { key: "edgeHitRate", label: "edge cache hit rate", get: (r) => r.pipeline?.edgeCache?.hitRate, better: "higher", unit: "share" },
    { key: "stalenessP99", label: "edge staleness p99 ms", get: (r) => r.pipeline?.edgeCache?.stalenessMs.p99, better: "lower" },
    { key: "splits", label: "shard splits", get: (r) => r.pipeline?.splits.length, better: "neither" }
  ],
  problems: (s) =>
    s.pipeline?.subscriberCap !== undefined && s.geography === undefined
      ? [{ field: "pipeline.subscriberCap", message: "shard splits need geography (a bucket splits into its geohash prefix's child cells)" }]
      : [],
  summary: (r) => {
    const pl = r.pipeline
    if (!pl) return undefined
    const deepest = [...r.buckets].sort((a, b) => (b.stream?.maxBacklog ?? 0) - (a.stream?.maxBacklog ?? 0) || a.bucket - b.bucket)[0]
    return {
      title: "Pipeline (bucket streams, workers, fan-out)",
      rows: [
        ["diffs", `${num(pl.diffs)} in, ${num(pl.delivered)} delivered, ${num(pl.trimmed)} trimmed unread, ${num(pl.backlogAtEnd)} unread at the end`],
        ["delivery p50 / p99 / max", `${num(pl.lagMs.p50)} / ${num(pl.lagMs.p99)} / ${num(pl.lagMs.max)} ms`],
        ["max stream backlog", deepest ? `${bucketLabel(deepest)} ${num(deepest.stream?.maxBacklog ?? 0)} unread` : "-"],
        ...(pl.edgeCache
          ? [["edge cache", `${percent(pl.edgeCache.hitRate)} hits (${num(pl.edgeCache.hits)} / ${num(pl.edgeCache.hits + pl.edgeCache.misses)}), ${num(pl.edgeCache.staleHits)} stale, staleness p99 ${num(pl.edgeCache.stalenessMs.p99)} ms`] as const]
          : []),
        ["shard splits", pl.splits.length === 0 ? "none" : pl.splits.map((x) => `${x.name} at ${num(x.atMs / 1000)} s (${num(x.subscribers)} subscribers → ${x.children} cells)`).join(", ")]
      ]
    }
  }
}
