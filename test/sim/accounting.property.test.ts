// Every request is counted once, wherever the run ends it: a success, an error of a named
// kind, or unfinished in the one place it waits (at Redis, between retries, in the app
// queue, in a load-generator process). So errors.total is always the sum of errors.byKind,
// and requests = ok + errors + unfinished — over random hunts with every tier on, and for
// runs stopped early (Ctrl-C) too.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulator, simulate } from "../../sim/driver.ts"
import { presets } from "../../src/presets.ts"
import { type Report } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync, type ScenarioInput } from "../../src/scenario.ts"
import { checkProperty } from "../support/property.ts"

const FILE = "test/sim/accounting.property.test.ts"

const ms = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((x) => ({ kind: "constant" as const, ms: x / 100 }))

const scenarioArb = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
    durationMs: fc.integer({ min: 2000, max: 8000 }),
    hunters: fc.integer({ min: 5, max: 400 }),
    pollMs: fc.integer({ min: 20, max: 500 }),
    buckets: fc.integer({ min: 1, max: 8 }),
    nodes: fc.integer({ min: 1, max: 3 }),
    poolSize: fc.integer({ min: 1, max: 20 }),
    claim: ms(0.01, 3),
    timeoutMs: fc.integer({ min: 2, max: 400 }),
    retries: fc.integer({ min: 0, max: 3 }),
    breaker: fc.boolean(),
    app: fc.option(fc.record({ workers: fc.integer({ min: 1, max: 4 }), parseMs: ms(0.01, 2), heartbeat: fc.boolean() })),
    loadgen: fc.option(fc.record({ processes: fc.integer({ min: 1, max: 3 }), cpuMsPerRequest: ms(0.01, 1) })),
    sink: fc.option(fc.constantFrom("sync" as const, "log" as const)),
    workers: fc.option(fc.record({ count: fc.integer({ min: 1, max: 4 }), fail: fc.boolean() })),
    gateway: fc.option(fc.record({ processes: fc.integer({ min: 1, max: 3 }), maxConnections: fc.integer({ min: 1, max: 100 }) })),
    pipeline: fc.boolean(),
    faults: fc.array(
      fc.record({ kind: fc.constantFrom("latencySpike", "pause", "poolShrink", "linkLatency", "partition", "connectionReset"), at: fc.double({ min: 0, max: 0.9, noNaN: true }), len: fc.double({ min: 0.01, max: 0.5, noNaN: true }) }),
      { maxLength: 3 }
    ),
    stopAt: fc.option(fc.double({ min: 0.05, max: 0.95, noNaN: true }))
  })
  .map((r) => {
    const input = {
      seed: r.seed,
      durationMs: r.durationMs,
      hunters: { count: r.hunters, behaviour: { model: "closed", pollIntervalMs: r.pollMs, jitterMs: r.pollMs / 4 } },
      artifacts: { count: 50, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: r.durationMs } },
      topology: { buckets: r.buckets, nodes: r.nodes, poolSize: r.poolSize },
      timing: { claim: r.claim },
      engine: { timeoutMs: r.timeoutMs, retries: { max: r.retries, baseMs: 5, maxMs: 50 }, breaker: { enabled: r.breaker, failureThreshold: 3, openMs: 200 } },
      ...(r.app ? { app: { workers: r.app.workers, parseMs: r.app.parseMs, ...(r.app.heartbeat ? { heartbeat: { intervalMs: 250 } } : {}) } } : {}),
      ...(r.loadgen ? { loadgen: r.loadgen } : {}),
      ...(r.sink ? { sink: { mode: r.sink, ...(r.sink === "sync" ? { stall: { everyMs: 1000, durationMs: 200 } } : { aggregateEveryMs: 1000 }) } } : {}),
      ...(r.workers
        ? { workers: { count: r.workers.count, detectMs: 300, failures: r.workers.fail ? [{ worker: 0, atMs: Math.floor(r.durationMs / 3), durationMs: 1000 }] : [] } }
        : {}),
      ...(r.gateway ? { gateway: { ...r.gateway, processes: Math.min(r.gateway.processes, r.hunters) } } : {}),
      ...(r.pipeline ? { pipeline: { backlogCap: 20 } } : {}),
      faults: r.faults.map((f) => {
        const atMs = Math.floor(f.at * r.durationMs)
        const base = { atMs, durationMs: Math.max(1, Math.min(Math.floor(f.len * r.durationMs), r.durationMs - atMs)), target: 0 }
        return f.kind === "latencySpike" || f.kind === "linkLatency"
          ? { ...base, kind: f.kind, extraMs: 5 }
          : f.kind === "poolShrink"
            ? { ...base, kind: f.kind, poolSize: 1 }
            : f.kind === "connectionReset"
              ? { ...base, kind: f.kind, probability: 0.5 }
              : f.kind === "pause"
                ? { ...base, kind: f.kind, mode: f.len > 0.25 ? "writes" : "all" }
                : { ...base, kind: f.kind }
      })
    } as ScenarioInput
    return { input, stopAt: r.stopAt }
  })

const expectAccounted = (r: Report) => {
  const byKind = Object.values(r.errors.byKind).reduce((a, b) => a + b, 0)
  expect(r.errors.total).toBe(byKind)
  const u = r.unfinished
  expect(u.total).toBe(u.inFlight + u.retryWait + u.appQueue + u.loadgen)
  const ok = Object.values(r.replies).reduce((a, b) => a + b, 0)
  expect(r.requests).toBe(ok + r.errors.total + u.total)
  for (const n of [u.inFlight, u.retryWait, u.appQueue, u.loadgen]) expect(n).toBeGreaterThanOrEqual(0)
}

describe("request accounting", () => {
  it("every request is ok, an error of a named kind, or unfinished where it waits — also when stopped early", () =>
    checkProperty(
      "request accounting",
      FILE,
      fc.property(scenarioArb, ({ input, stopAt }) => {
        const s = decodeScenarioSync(input)
        if (stopAt === null) {
          expectAccounted(buildReport(simulate(s), "prop", 0))
          return
        }
        const sim = new Simulator(s)
        while (!sim.step(5000) && sim.now < stopAt * s.durationMs);
        sim.stop()
        expectAccounted(buildReport(sim.raw(), "prop", 0, { partial: true }))
      }),
      { numRuns: 80 }
    ))

  it("requests queued in the app tier at the end are unfinished, not errors (polling-before, 90 s, no faults)", () => {
    const s = decodeScenarioSync({ ...(structuredClone(presets["polling-before"]) as object), durationMs: 90_000, faults: [] })
    const r = buildReport(simulate(s), "polling-before", 0)
    expect(Object.values(r.errors.byKind).every((n) => n === 0)).toBe(true)
    expect(r.errors.total).toBe(0)
    expect(r.unfinished.appQueue).toBeGreaterThan(100) // the 4 saturated workers' queue
    expect(r.slo.breaches.some((b) => b.startsWith("error rate"))).toBe(false)
    expectAccounted(r)
  })
})
