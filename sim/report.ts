/**
 * Shaping a run's raw figures into a Report (src/report.ts): percentiles from the HDR
 * histograms, the invariants checked, per-bucket and per-tier sections, the SLO verdict and
 * the replay line. Pure: the same RawRun gives the same Report.
 */
import { checkInvariants } from "../src/invariants.ts"
import { encodeHdr, summarize } from "../src/metrics/histogram.ts"
import { errorNames, replyNames } from "../src/engine/protocol.ts"
import { cellBounds } from "../src/geo.ts"
import { REPORT_VERSION, replayCommand, type BucketReport, type Report, type RunInfo } from "../src/report.ts"
import type { RawRun } from "./raw.ts"
import { tierReports } from "./tiers.ts"
import { compileThresholds, judge } from "../src/thresholds.ts"

const r3 = (x: number) => Math.round(x * 1000) / 1000
const r6 = (x: number) => Math.round(x * 1e6) / 1e6
const sum = (xs: ArrayLike<number>) => {
  let n = 0
  for (let i = 0; i < xs.length; i++) n += xs[i]
  return n
}

/**
 * Shape a finished run into a Report. `source` is the preset name or file the scenario came
 * from (for the replay line); `wallMs` is measured by the caller. Example:
 * `buildReport(simulate(s), "default", 812)`.
 */
export const buildReport = (
  raw: RawRun,
  source: string,
  wallMs: number,
  run: RunInfo = {}
): Report => {
  const s = raw.scenario
  const inv = checkInvariants({
    scenario: s,
    store: raw.store,
    acks: raw.acks,
    artifactBucket: raw.workload.artifactBucket,
    hunters: s.hunters.count
  })
  const errorsTotal = sum(raw.errorsByKind)
  const finished = raw.ok + errorsTotal
  const errorRate = finished > 0 ? errorsTotal / finished : 0
  const u = raw.unfinished
  const unfinishedTotal = u.inFlight + u.retryWait + u.appQueue + u.loadgen
  const latencyMs = summarize(raw.latency)
  const byKind: Record<string, number> = {}
  for (let k = 1; k < errorNames.length; k++) byKind[errorNames[k]] = raw.errorsByKind[k]
  const replies: Record<string, number> = {}
  for (let k = 1; k < replyNames.length; k++) replies[replyNames[k]] = raw.repliesByCode[k]
  const wonArtifacts = new Set(raw.acks.map((a) => a.artifact)).size
  const breaches: Array<string> = []
  if (latencyMs.p99 > s.slo.p99Ms) breaches.push(`p99 latency ${latencyMs.p99} ms > ${s.slo.p99Ms} ms`)
  if (errorRate > s.slo.maxErrorRate)
    breaches.push(`error rate ${(errorRate * 100).toFixed(3)} % > ${(s.slo.maxErrorRate * 100).toFixed(3)} %`)
  for (const r of inv.results) if (!r.ok) breaches.push(`invariant ${r.name} violated ${r.violations} time(s)`)
  if (run.abortedBy) breaches.push(`aborted at ${r3(raw.endMs / 1000)} s of ${r3(s.durationMs / 1000)} s: threshold ${run.abortedBy} failed (abortOnFail)`)
  else if (run.partial) breaches.push(`not judged: the run was interrupted at ${r3(raw.endMs / 1000)} s of ${r3(s.durationMs / 1000)} s`)
  const faults = s.faults.map((f, index) => {
    const loss = raw.losses.find((l) => l.fault === index)
    return {
      index,
      kind: f.kind,
      target: f.target,
      atMs: f.atMs,
      durationMs: f.durationMs,
      lostWrites: loss?.lostWrites ?? 0,
      lostAcknowledged: inv.lostByFault[index],
      replicatedUpToMs: loss && loss.replicatedUpTo >= 0 ? r3(loss.replicatedUpTo) : null
    }
  })
  const cells = raw.workload.cells
  const pl = raw.pipeline
  const buckets: Array<BucketReport> = []
  for (let b = 0; b < raw.bucketRequests.length; b++) {
    buckets.push({
      bucket: b,
      node: raw.bucketNode[b],
      requests: raw.bucketRequests[b],
      errors: raw.bucketErrors[b],
      collisions: raw.bucketCollisions[b],
      p99: r3(raw.bucketLatency[b].percentileMs(99)),
      maxBacklog: raw.bucketMaxBacklog[b],
      streamLength: raw.store.streamLength[b],
      streamTrimmed: raw.store.streamTrimmed[b],
      breakerTrips: raw.breakerTrips[b],
      ...(cells.length > 0 ? { name: cells[b], bounds: cellBounds(cells[b]), hunters: raw.bucketHunters[b], maxHunters: raw.bucketMaxHunters[b] } : {}),
      ...(pl
        ? {
            stream: {
              diffs: pl.diffs[b],
              delivered: pl.delivered[b],
              trimmed: pl.trimmed[b],
              maxBacklog: pl.maxBacklog[b],
              maxLagMs: r3(pl.maxLagMs[b]),
              split: pl.isSplit(b),
              ...(pl.cfg.edgeCache ? { cacheHits: pl.hits[b], cacheMisses: pl.misses[b] } : {})
            }
          }
        : {})
    })
  }
  const nodes = Array.from(raw.nodeServed, (served, node) => ({
    node,
    served,
    meanQueueWaitMs: r6(served > 0 ? raw.nodeQueueWaitMs[node] / served : 0)
  }))
  const report: Report = {
    version: REPORT_VERSION,
    ...(run.abortedBy ? { partial: { atMs: r3(raw.endMs), reason: "aborted" as const, threshold: run.abortedBy } } : run.partial ? { partial: { atMs: r3(raw.endMs), reason: "interrupted" as const } } : {}),
    mode: run.mode ?? "sim",
    target: run.target ?? "model",
    seed: s.seed,
    replay: replayCommand(source, s.seed, run.target, run.replayFlags),
    scenario: s,
    latencyMs,
    queueWaitMs: summarize(raw.queueWait),
    throughputPerSec: r3(finished / (raw.endMs / 1000)),
    requests: raw.requests,
    attempts: raw.attempts,
    retries: raw.retries,
    inFlightAtEnd: raw.inFlightAtEnd,
    unfinished: { total: unfinishedTotal, rate: r6(raw.requests > 0 ? unfinishedTotal / raw.requests : 0), ...u },
    errors: { total: errorsTotal, rate: r6(errorRate), byKind },
    replies,
    claims: {
      attempted: raw.claimsAttempted,
      won: wonArtifacts,
      lostAcknowledged: inv.lostAcknowledged,
      doubleAwarded: inv.doubleAwarded,
      appliedUnacknowledged: raw.appliedUnacknowledged,
      collisions: raw.bucketCollisions.reduce((a, b) => a + b, 0)
    },
    breakers: { trips: raw.totalTrips },
    invariants: inv.results,
    faults,
    slo: { pass: breaches.length === 0, breaches },
    timeline: raw.timeline,
    buckets,
    bucketTimeline: {
      everySec: raw.bucketTimeline.everySec,
      requests: raw.bucketTimeline.requests.map((c) => Array.from(c)),
      errors: raw.bucketTimeline.errors.map((c) => Array.from(c)),
      maxBacklog: raw.bucketTimeline.maxBacklog.map((c) => Array.from(c)),
      hunters: raw.bucketTimeline.hunters.map((c) => Array.from(c)),
      breakerOpen: raw.bucketTimeline.breakerOpen.map((c) => Array.from(c)),
      ...(pl ? { streamBacklog: raw.bucketTimeline.streamBacklog.map((c) => Array.from(c)) } : {})
    },
    // Each tier's section (its Schema is in src/tiers/), in the report's key order.
    ...tierSections(raw),
    nodes,
    histogram: { unit: "us", hdrBase64: encodeHdr(raw.latency) },
    sim: { events: raw.events, wallMs: Math.round(wallMs), eventsPerSec: wallMs > 0 ? Math.round((raw.events / wallMs) * 1000) : 0 }
  }
  return withThresholds(report)
}

/**
 * The report with `slo.thresholds` judged on it (src/thresholds.ts): each one that fails is a
 * breach naming its figure and value. Unchanged when the scenario has none.
 */
const withThresholds = (report: Report): Report => {
  const compiled = compileThresholds(report.scenario.slo.thresholds).thresholds
  if (compiled.length === 0) return report
  const results = judge(report, compiled)
  const breaches = [
    ...report.slo.breaches,
    ...results.filter((r) => !r.pass).map((r) => `threshold ${r.path} ${r.threshold}: ${r.actual === null ? "this run's report has no such figure" : `is ${r.actual}`}`)
  ]
  return { ...report, slo: { pass: breaches.length === 0, breaches, thresholds: results } }
}

/** Each tier's report section from a finished run, or nothing for a tier the scenario lacks. */
const tierSections = (raw: RawRun) => ({
  ...(raw.pipeline ? { pipeline: raw.pipeline.report() } : {}),
  ...tierReports(raw.tiers, raw.endMs),
  ...(raw.scenario.geography ? { geography: { crossings: raw.crossings, viralJoined: raw.viralJoined } } : {})
})
