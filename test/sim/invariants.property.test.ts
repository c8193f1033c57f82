// Properties over random scenarios and random fault timelines: invariants 1, 2, 4 and 6
// always hold; invariant 3 holds, with no loss at all unless a fault that loses state
// occurs (crash, restart, failover); and for each such loss, the acknowledged claims counted
// lost equal those the client was told about whose write was applied on that node after the
// replica's last replicated point (a failover, or a restart from the replica), in the AOF's
// last unsynced second (a restart from disk) or at all (a restart without data).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/driver.ts"
import { buildReport } from "../../sim/report.ts"
import { AOF_FSYNC_MS, losesState } from "../../src/faults.ts"
import { decodeScenarioSync, type ScenarioInput } from "../../src/scenario.ts"
import { checkProperty } from "../support/property.ts"
import { FAULT_KINDS, placeFault } from "../../api/arbitraries.ts"

const FILE = "test/sim/invariants.property.test.ts"

const dist = fc.oneof(
  fc.record({ kind: fc.constant("constant" as const), ms: fc.double({ min: 0, max: 2, noNaN: true }) }),
  fc.record({ kind: fc.constant("exponential" as const), meanMs: fc.double({ min: 0.01, max: 2, noNaN: true }) }),
  fc.record({ kind: fc.constant("lognormal" as const), meanMs: fc.double({ min: 0.01, max: 1, noNaN: true }), ratio: fc.double({ min: 1.5, max: 10, noNaN: true }) })
    .map(({ meanMs, ratio }) => ({ kind: "lognormal" as const, meanMs, p99Ms: meanMs * ratio }))
)

const scenarioArb = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
    durationMs: fc.integer({ min: 3000, max: 15000 }),
    hunters: fc.integer({ min: 5, max: 300 }),
    open: fc.boolean(),
    buckets: fc.integer({ min: 1, max: 12 }),
    nodes: fc.integer({ min: 1, max: 4 }),
    artifacts: fc.integer({ min: 1, max: 300 }),
    windowMs: fc.integer({ min: 200, max: 20000 }),
    spread: fc.boolean(),
    poolSize: fc.integer({ min: 1, max: 40 }),
    rtt: dist,
    claim: dist,
    timeoutMs: fc.integer({ min: 2, max: 400 }),
    retries: fc.integer({ min: 0, max: 3 }),
    breaker: fc.boolean(),
    idempotency: fc.boolean(),
    replicas: fc.boolean(),
    lagMs: fc.integer({ min: 0, max: 50 }),
    detectionMs: fc.integer({ min: 0, max: 3000 }),
    streamCap: fc.integer({ min: 1, max: 30 }),
    lagBeforeCrash: fc.boolean(),
    wait: fc.boolean(),
    faults: fc.array(
      fc.record({
        kind: fc.constantFrom(...FAULT_KINDS),
        at: fc.integer({ min: 0, max: 900 }), // thousandths of the run
        len: fc.integer({ min: 10, max: 500 }),
        target: fc.nat(),
        amount: fc.integer({ min: 1, max: 3000 })
      }),
      { maxLength: 4 }
    )
  })
  .map((r): ScenarioInput => {
    return {
      seed: r.seed,
      durationMs: r.durationMs,
      hunters: {
        count: r.hunters,
        behaviour: r.open
          ? { model: "open", ratePerSec: r.hunters * 2, tasks: [{ name: "claim", command: "claim", weight: 5 }, { name: "balance", command: "balance", weight: 1 }] }
          : { model: "closed", pollIntervalMs: 200, jitterMs: 100 }
      },
      artifacts: {
        count: r.artifacts,
        claimWindowMs: r.windowMs,
        reveal: r.spread || r.lagBeforeCrash ? { kind: "spread", fromMs: 0, toMs: r.durationMs } : { kind: "atStart" }
      },
      topology: {
        buckets: r.buckets,
        nodes: r.nodes,
        poolSize: r.poolSize,
        rttMs: r.rtt,
        replicas: r.replicas,
        replicationLagMs: r.lagMs,
        failover: { detectionMs: r.detectionMs, promotionMs: 200 },
        streamCap: r.streamCap
      },
      timing: { claim: r.claim },
      engine: {
        timeoutMs: r.timeoutMs,
        retries: { max: r.retries, baseMs: 5, maxMs: 50 },
        breaker: { enabled: r.breaker, failureThreshold: 3, openMs: 200 },
        idempotency: r.idempotency,
        ...(r.wait && r.replicas ? { waitReplicas: { replicas: 1, timeoutMs: 1 + (r.lagMs % 7) * 20 } } : {})
      },
      faults: r.faults.flatMap((f) => {
        const placed = placeFault(f, r.durationMs, r.nodes, r.replicas)
        // A replica frozen just before the primary dies: the case that loses acknowledged claims.
        const at = placed.atMs ?? 0
        return f.kind === "crash" && r.lagBeforeCrash && at >= 1
          ? [{ kind: "replicationLag", atMs: Math.max(0, at - 1500), durationMs: Math.min(at + 1, r.durationMs) - Math.max(0, at - 1500), target: placed.target, lagMs: 2000 }, placed]
          : [placed]
      })
    } as ScenarioInput
  })

describe("invariants over random hunts and fault timelines", () => {
  it("hold, and lost acknowledged claims are exactly those past the replicated point", () =>
    checkProperty(
      "invariants hold",
      FILE,
      fc.property(scenarioArb, (input) => {
        const s = decodeScenarioSync(input)
        const raw = simulate(s)
        const report = buildReport(raw, "prop", 0)
        const byName = new Map(report.invariants.map((i) => [i.name, i]))
        for (const name of ["oneWinnerPerArtifact", "balanceMatchesHoldings", "acknowledgedClaimsDurable", "idempotentRetries", "streamWithinCap"])
          expect(byName.get(name)?.ok, `${name}: ${JSON.stringify(byName.get(name)?.examples)}`).toBe(true)
        if (!s.faults.some(losesState)) {
          expect(report.claims.lostAcknowledged).toBe(0)
          expect(report.claims.doubleAwarded).toBe(0)
        }
        // Independent count per loss: acknowledged wins on that node applied before the
        // crash and after the replica's last replicated write, not already lost earlier.
        const store = raw.store
        const counted = new Set<number>()
        for (const loss of raw.losses) {
          let expected = 0
          for (const a of raw.acks) {
            if (a.write < 0 || counted.has(a.write)) continue
            const w = store.writes[a.write]
            if (raw.bucketNode[w.bucket] !== loss.node || w.appliedAt > loss.at) continue
            if (w.lostBy >= 0 && w.lostBy !== loss.fault) continue
            const lost =
              loss.kind === "wipe" ? true : loss.kind === "disk" ? w.appliedAt > loss.at - AOF_FSYNC_MS : w.appliedAt > loss.replicatedUpTo
            if (lost) {
              expected++
              counted.add(a.write)
            }
          }
          expect(report.faults[loss.fault].lostAcknowledged).toBe(expected)
          // A win acknowledged only once WAIT saw the replica have it survives a promotion.
          if (s.engine.waitReplicas && loss.kind === "failover") expect(report.faults[loss.fault].lostAcknowledged).toBe(0)
        }
        expect(report.claims.lostAcknowledged).toBe(report.faults.reduce((n, f) => n + f.lostAcknowledged, 0))
      }),
      { numRuns: 120 }
    ))
})
