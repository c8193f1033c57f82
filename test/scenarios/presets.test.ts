// The shipped presets: every file in scenarios/ is a listed, valid preset, and each
// reference system's "after" variant beats its "before" on the figures its story is about
// (the direction is asserted, not a number).
import { readdirSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/driver.ts"
import { compareReports } from "../../src/compare.ts"
import { presetNames, presets } from "../../src/presets.ts"
import { type Report } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"

type Story = {
  readonly system: string
  readonly before: string
  readonly after: string
  readonly figures: ReadonlyArray<string>
  /** What else the story says, checked on both reports. */
  readonly also?: (a: Report, b: Report) => void
}

const stories: ReadonlyArray<Story> = [
  // System 1: heartbeats every 250 ms saturate 4 app workers, so every poll queues; 8
  // workers, a 2 s interval, a proxy dropping heartbeats and a cheaper script fix it.
  { system: "1 (polling endpoint)", before: "polling-before", after: "polling-after", figures: ["p99", "appWaitP99", "appUtilisation", "throughput"] },
  // System 2: past ~300 hunters the pool of 20 dominates latency, and loot inserts wait out
  // the table's stalls; workers with their own pools remove the queue, an event log takes
  // the inserts off the claim path (totals lag instead), and a dead worker's hunters are
  // retried elsewhere without any claim counted twice.
  {
    system: "2 (coroutine engine, relational sink)",
    before: "coroutine-before",
    after: "coroutine-after",
    figures: ["p50", "p99", "max", "sinkInsertP99", "throughput"],
    also: (a, b) => {
      // Past ~300 hunters the pool of 20 queues: at 250 a claim takes about its round trip.
      const input = presets["coroutine-before"] as { hunters: Record<string, unknown> }
      const few = buildReport(simulate(decodeScenarioSync({ ...input, hunters: { ...input.hunters, count: 250 } })), "few", 0)
      expect(few.latencyMs.p50).toBeLessThan(2 * 12)
      expect(a.latencyMs.p50).toBeGreaterThan(5 * 12)
      expect(a.sink!.stalledInserts).toBeGreaterThan(0)
      expect(b.workers!.failedFast).toBeGreaterThan(0) // requests met the dead worker…
      expect(b.workers!.rerouted).toBeGreaterThan(0) // …and were routed around it once noticed
      expect(b.claims.doubleAwarded).toBe(0) // at-least-once retries, idempotent claims
      expect(b.invariants.every((i) => i.ok)).toBe(true)
      expect(b.sink!.consumerLagMs.max).toBeGreaterThan(a.sink!.consumerLagMs.max) // the price: totals lag
    }
  },
  // System 3: one load-generator process saturates and its own queueing reads as server
  // latency; spread over 8 processes the generator sends on time and the latency is real.
  {
    system: "3 (distributed load generation)",
    before: "contest-before",
    after: "contest-after",
    figures: ["p99", "sendDelayP99", "loadgenBusiest", "throughput"],
    also: (a, b) => {
      expect(a.loadgen!.busiest).toBeGreaterThan(0.9)
      expect(b.loadgen!.sent.length).toBe(8)
      // The coordinator's aggregate: every process's sends add up to the attempts sent.
      expect(b.loadgen!.sent.reduce((x, y) => x + y, 0)).toBe(b.requests - b.errors.byKind.breakerOpen)
      // The server side is the same design: its own queueing is no worse than under the generator's drip.
      expect(b.queueWaitMs.p50).toBeLessThanOrEqual(a.queueWaitMs.p50 + 0.5)
    }
  },
  // System 4: a 50 ms timeout + breaker bounds the backlog a Lua spike builds; a subscriber
  // cap splits the crowded bucket so its fan-out keeps up (no diffs trimmed unread).
  { system: "4 (sharded quest)", before: "quest-before", after: "quest-after", figures: ["faultBacklog", "streamBacklog", "trimmed", "deliveryP99", "p999"] }
]

describe("presets", () => {
  it("every scenarios/*.json is a listed preset, decodes, and says what it is", () => {
    const files = readdirSync("scenarios").filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""))
    expect([...presetNames()].sort()).toEqual([...files].sort())
    for (const name of presetNames()) {
      const s = decodeScenarioSync(presets[name])
      expect(s.name).toBe(name)
      expect(s.description.length).toBeGreaterThan(40)
    }
  })

  for (const st of stories) {
    it(`system ${st.system}: ${st.after} beats ${st.before} on ${st.figures.join(", ")}`, () => {
      const run = (name: string) => buildReport(simulate(decodeScenarioSync(presets[name])), name, 0)
      const a = run(st.before), b = run(st.after)
      expect(a.seed).toBe(b.seed)
      const changes = compareReports(a, b)
      for (const key of st.figures) {
        const c = changes.find((x) => x.key === key)
        expect(c, `figure ${key}`).toBeDefined()
        expect(`${key}: ${c!.verdict} (${c!.a} → ${c!.b})`).toBe(`${key}: better (${c!.a} → ${c!.b})`)
      }
      st.also?.(a, b)
    }, 60_000)
  }
})
