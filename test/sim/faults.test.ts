// The fault kinds that lose state or cut the link, end to end in a hunt: each restart loses
// exactly the writes its source of truth lacked (none kept without persistence, the last
// unsynced second with an AOF, the unreplicated tail with a replica), a controlled failover
// loses the replica's lag, a partition holds requests (they time out, then run when it
// heals) without losing anything, and
// connection resets fail requests at once without running them.
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/driver.ts"
import { buildReport } from "../../sim/report.ts"
import { AOF_FSYNC_MS } from "../../src/faults.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"

const AT = 6000

const hunt = (faults: Array<Record<string, unknown>>, lagMs = 1) =>
  decodeScenarioSync({
    seed: 12,
    durationMs: 10_000,
    hunters: { count: 400, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 50 } },
    artifacts: { count: 3000, claimWindowMs: 3000, reveal: { kind: "spread", fromMs: 0, toMs: 9000 } },
    topology: { buckets: 4, nodes: 1, replicationLagMs: lagMs },
    engine: { timeoutMs: 100, retries: { max: 1, baseMs: 5, maxMs: 20 }, breaker: { enabled: false } },
    faults
  })

/** Writes applied on the node before `AT` that match `pred`, from the run's own write log. */
const countWrites = (raw: ReturnType<typeof simulate>, pred: (appliedAt: number, replicateAt: number) => boolean) =>
  raw.store.writes.filter((w) => w.appliedAt <= AT && pred(w.appliedAt, w.replicateAt)).length

describe("faults that lose state, in a hunt", () => {
  it("restart from empty loses every write the node had; from disk, the last unsynced second", () => {
    const empty = simulate(hunt([{ kind: "restart", atMs: AT, durationMs: 500, target: 0, from: "empty" }]))
    const all = countWrites(empty, () => true)
    expect(all).toBeGreaterThan(500)
    expect(empty.losses[0].lostWrites).toBe(all)
    const disk = simulate(hunt([{ kind: "restart", atMs: AT, durationMs: 500, target: 0, from: "disk" }]))
    const lastSecond = countWrites(disk, (applied) => applied > AT - AOF_FSYNC_MS)
    expect(lastSecond).toBeGreaterThan(20)
    expect(disk.losses[0].lostWrites).toBe(lastSecond)
    expect(buildReport(disk, "t", 0).faults[0].lostWrites).toBe(lastSecond)
  })

  it("restart from the replica and a controlled failover lose what had not replicated", () => {
    for (const fault of [
      { kind: "restart", atMs: AT, durationMs: 500, target: 0, from: "replica" },
      { kind: "failover", atMs: AT, durationMs: 2000, target: 0, via: "promote" }
    ]) {
      // A replica 300 ms behind: the writes of the last ~300 ms are lost.
      const raw = simulate(hunt([fault], 300))
      const unreplicated = countWrites(raw, (_, replicateAt) => replicateAt > AT)
      expect(unreplicated, fault.kind).toBeGreaterThan(5)
      expect(raw.losses[0].lostWrites, fault.kind).toBe(unreplicated)
      const report = buildReport(raw, "t", 0)
      expect(report.claims.lostAcknowledged, fault.kind).toBeGreaterThan(0)
      expect(report.faults[0].lostAcknowledged).toBe(report.claims.lostAcknowledged)
    }
  })

  it("a partition times requests out and loses nothing; what was sent during it runs after", () => {
    const r = buildReport(simulate(hunt([{ kind: "partition", atMs: AT, durationMs: 2000, target: 0 }])), "t", 0)
    // Hung connections soon fill the pool: the first requests time out, the rest wait for a
    // connection until their deadline.
    expect(r.errors.byKind.timeout).toBeGreaterThan(0)
    expect(r.errors.byKind.timeout + r.errors.byKind.poolTimeout).toBeGreaterThan(100)
    expect(r.errors.byKind.connection ?? 0).toBe(0)
    expect(r.claims.lostAcknowledged).toBe(0)
    // Claims sent during it run when it heals, after their clients gave up.
    expect(r.claims.appliedUnacknowledged).toBeGreaterThan(0)
    // Nothing leaving in the window reached the node: no claim ran during it.
    const during = r.timeline.filter((row) => row.second * 1000 >= AT + 500 && (row.second + 1) * 1000 <= AT + 2000)
    expect(during.length).toBeGreaterThan(0)
    for (const row of during) expect(row.ok, `second ${row.second}`).toBe(0)
    for (const inv of r.invariants) expect(inv.ok, inv.name).toBe(true)
  })

  it("connection resets fail requests at once, without running them", () => {
    const none = buildReport(simulate(hunt([])), "t", 0)
    const r = buildReport(simulate(hunt([{ kind: "connectionReset", atMs: AT, durationMs: 1000, target: 0, probability: 1 }])), "t", 0)
    expect(r.errors.byKind.connection).toBeGreaterThan(100)
    expect(r.errors.byKind.timeout ?? 0).toBe(0)
    expect(r.claims.appliedUnacknowledged).toBe(0)
    expect(r.claims.won).toBeLessThan(none.claims.won)
  })
})
