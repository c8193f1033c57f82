// A rehearsal (sim/rehearsal.ts) exists to take, early and briefly, every path the real run
// will take — so it must be a valid scenario, short, keep the faults in order, and really
// reach the outcomes the full run reaches; and running it must not change the real run.
import { describe, expect, it } from "vitest"
import { simulate, type RawRun } from "../../sim/driver.ts"
import { expectedEvents, rehearsal, rehearsalMs } from "../../sim/rehearsal.ts"
import { presets, presetNames } from "../../src/presets.ts"
import { deterministicPart } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { ErrorKind } from "../../src/engine/protocol.ts"

/**
 * The outcomes a run met at least once: replies (`reply:n`), final error kinds (`error:n`),
 * retries, breaker trips. A final timeout is left out: an attempt that times out is retried,
 * and whether the request finally ends as a timeout or rejected by the breaker that the
 * timeouts opened depends on how long the fault lasts — which is what a rehearsal shortens —
 * not on a code path of its own (`retry` covers the attempt's timeout).
 */
const outcomes = (raw: RawRun): Set<string> => {
  const seen = new Set<string>()
  raw.repliesByCode.forEach((n, code) => n > 0 && seen.add(`reply:${code}`))
  raw.errorsByKind.forEach((n, kind) => n > 0 && kind !== ErrorKind.TIMEOUT && seen.add(`error:${kind}`))
  if (raw.retries > 0) seen.add("retry")
  if (raw.totalTrips > 0) seen.add("breakerTrip")
  return seen
}

describe("rehearsal", () => {
  it("of every preset: a valid scenario, at most 15 s and 0.5 M events, faults kept in order inside it", () => {
    for (const name of presetNames()) {
      const s = decodeScenarioSync(presets[name])
      const r = rehearsal(s)
      const again = decodeScenarioSync(JSON.parse(JSON.stringify(r)))
      expect(again.durationMs, name).toBe(r.durationMs)
      expect(r.durationMs, name).toBeLessThanOrEqual(Math.min(15_000, s.durationMs))
      expect(expectedEvents(r), name).toBeLessThanOrEqual(Math.max(500_000, expectedEvents(s)) + 1)
      expect(r.faults.map((f) => [f.kind, f.target]), name).toEqual(s.faults.map((f) => [f.kind, f.target]))
      for (const f of r.faults) expect(f.atMs + f.durationMs, name).toBeLessThanOrEqual(r.durationMs)
      if (s.durationMs <= rehearsalMs(s)) expect(r, name).toBe(s)
    }
  })

  // (Not whether a failover loses writes: that depends on wins landing in the few ms before the
  // crash, and it is handled once per failover, outside the per-request path.)
  it("reaches every outcome the full run reaches (timeouts, retries, breaker, refused connections, expiry)", () => {
    // The reference's timeline in 10 minutes, on fewer hunters with a spike big enough to
    // overload its node (timeouts): the full run takes about 3 M events, the rehearsal 0.5 M at most.
    const s = decodeScenarioSync({
      ...(structuredClone(presets.reference) as object),
      durationMs: 600_000,
      hunters: { count: 3000, behaviour: { model: "closed", pollIntervalMs: 1200, jitterMs: 200 } },
      artifacts: { count: 1000, claimWindowMs: 60_000, reveal: { kind: "spread", fromMs: 0, toMs: 500_000 } },
      faults: [
        { kind: "latencySpike", atMs: 120_000, durationMs: 30_000, target: 2, extraMs: 20, scope: "script" },
        { kind: "replicationLag", atMs: 299_000, durationMs: 3000, target: 1, lagMs: 2000 },
        { kind: "crash", atMs: 300_000, durationMs: 60_000, target: 1 }
      ]
    })
    const fullRun = simulate(s)
    expect(fullRun.errorsByKind[ErrorKind.TIMEOUT]).toBeGreaterThan(0)
    const full = outcomes(fullRun)
    const short = outcomes(simulate(rehearsal(s)))
    for (const o of ["error:2", "error:3", "retry", "breakerTrip", "reply:4"]) expect(full, o).toContain(o)
    expect([...full].filter((o) => !short.has(o))).toEqual([])
  })

  it("running one first leaves the real run's report unchanged", () => {
    const s = decodeScenarioSync(presets.default)
    const alone = deterministicPart(buildReport(simulate(s), "default", 0))
    simulate(rehearsal(s, s.durationMs / 4))
    const after = deterministicPart(buildReport(simulate(s), "default", 0))
    expect(JSON.stringify(after)).toBe(JSON.stringify(alone))
  })
})
