/** Per-bucket streams, workers and fan-out, shard splits and the edge cache (scenario `pipeline`). */
import { bucketLabel, num, type Tier } from "./tier.ts"

export const pipelineTier: Tier = {
  key: "pipeline",
  figures: [
    { key: "deliveryP99", label: "diff delivery p99 ms", get: (r) => r.pipeline?.lagMs.p99, better: "lower" },
    { key: "streamBacklog", label: "max stream backlog", get: (r) => r.pipeline?.maxBacklog, better: "lower" },
    { key: "trimmed", label: "diffs trimmed unread", get: (r) => r.pipeline?.trimmed, better: "lower" },
    { key: "edgeHitRate", label: "edge cache hit rate", get: (r) => r.pipeline?.edgeCache?.hitRate, better: "higher" },
    { key: "stalenessP99", label: "edge staleness p99 ms", get: (r) => r.pipeline?.edgeCache?.stalenessMs.p99, better: "lower" },
    { key: "splits", label: "shard splits", get: (r) => r.pipeline?.splits.length, better: "lower" }
  ],
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
          ? [["edge cache", `${(pl.edgeCache.hitRate * 100).toFixed(1)} % hits (${num(pl.edgeCache.hits)} / ${num(pl.edgeCache.hits + pl.edgeCache.misses)}), ${num(pl.edgeCache.staleHits)} stale, staleness p99 ${num(pl.edgeCache.stalenessMs.p99)} ms`] as const]
          : []),
        ["shard splits", pl.splits.length === 0 ? "none" : pl.splits.map((x) => `${x.name} at ${num(x.atMs / 1000)} s (${num(x.subscribers)} subscribers → ${x.children} cells)`).join(", ")]
      ]
    }
  }
}
