// The timing model on hand-checkable cases: constant service and RTT, so every start and
// reply time follows from the rules (pool FIFO, node FIFO, pause, crash, spike, shrink).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ModelTiming, Outcome, Pool } from "../../../sim/model/timing.ts"
import { compile, normalQuantile } from "../../../src/distributions.ts"
import { Command } from "../../../src/engine/protocol.ts"
import { compileFaults } from "../../../src/faults.ts"
import { decodeScenarioSync, type ScenarioInput } from "../../../src/scenario.ts"
import { Prng } from "../../../sim/prng.ts"
import { simulate } from "../../../sim/driver.ts"
import { summarize } from "../../../src/metrics/histogram.ts"
import { checkProperty } from "../../support/property.ts"

const FILE = "test/sim/model/timing.test.ts"
const rng = new Prng(1)

const make = (over: Partial<ScenarioInput> = {}, poolSize = 1) => {
  const s = decodeScenarioSync({ durationMs: 100_000, topology: { nodes: 1, buckets: 1, poolSize, rttMs: { kind: "constant", ms: 2 } }, ...over })
  return new ModelTiming({
    nodes: 1,
    poolSize,
    rtt: compile({ kind: "constant", ms: 2 }),
    service: [compile({ kind: "constant", ms: 10 }), compile({ kind: "constant", ms: 1 })],
    baseLagMs: 1,
    plan: compileFaults(s)
  })
}

describe("ModelTiming", () => {
  it("one connection: requests wait for the pool, then RTT/2 + service + RTT/2", () => {
    const t = make()
    t.send(0, Command.CLAIM, 0, 1000, rng)
    expect([t.outcome, t.startAt, t.replyAt]).toEqual([Outcome.REPLY, 1, 12])
    // Sent at 5 but the only connection is busy until 12.
    t.send(0, Command.CLAIM, 5, 1000, rng)
    expect([t.startAt, t.replyAt]).toEqual([13, 24])
    // A deadline before the connection frees: never sent.
    t.send(0, Command.CLAIM, 6, 20, rng)
    expect([t.outcome, t.replyAt]).toEqual([Outcome.POOL_TIMEOUT, 20])
  })

  it("many connections: the node's single thread queues them FIFO", () => {
    const t = make({}, 10)
    const starts: Array<number> = []
    for (let i = 0; i < 3; i++) {
      t.send(0, Command.CLAIM, 0, 1000, rng)
      starts.push(t.startAt)
    }
    expect(starts).toEqual([1, 11, 21])
    expect(t.queueWait[0]).toBe(0 + 10 + 20)
  })

  it("a slow link delays both ways and holds the connection, while the node stays idle", () => {
    const t = make({ faults: [{ kind: "linkLatency", atMs: 100, durationMs: 50, target: 0, extraMs: 7 }] })
    // Before the window: 1 + 10 + 1.
    t.send(0, Command.CLAIM, 0, 1000, rng)
    expect([t.startAt, t.replyAt]).toEqual([1, 12])
    // Leaves at 100 (in the window): out 1 + 7, service 10, back 1 + 7 (the reply leaves at 118, still in it).
    t.send(0, Command.CLAIM, 100, 1000, rng)
    expect([t.startAt, t.replyAt]).toEqual([108, 126])
    // The one connection was held until 126: the next request waits for it and leaves at 126,
    // still in the window — slow both ways: 126 + 8, + 10, + 8.
    t.send(0, Command.CLAIM, 120, 1000, rng)
    expect([t.startAt, t.replyAt]).toEqual([134, 152])
    // Held until 152, after the window: the next one leaves then at the normal pace.
    t.send(0, Command.CLAIM, 140, 1000, rng)
    expect([t.startAt, t.replyAt]).toEqual([153, 164])
    // The node itself was not slowed: every service took 10 ms.
    expect(t.served[0]).toBe(4)
    // With jitter, the extra delay stays within extraMs ± jitterMs each way.
    const j = make({ faults: [{ kind: "linkLatency", atMs: 0, durationMs: 100_000, target: 0, extraMs: 5, jitterMs: 2 }] }, 100)
    for (let i = 0; i < 200; i++) {
      j.send(0, Command.BALANCE, i * 100, 100_000, rng)
      const total = j.replyAt - i * 100 - 2 - 1 // minus the normal RTT and the service
      expect(total).toBeGreaterThanOrEqual(6 - 1e-9)
      expect(total).toBeLessThanOrEqual(14 + 1e-9)
    }
  })

  it("a partition holds what leaves either way until it heals", () => {
    const t = make({ faults: [{ kind: "partition", atMs: 100, durationMs: 50, target: 0 }] })
    // Leaves at 100: held until 150, then out 1, run 151–161, back 1. A client with a
    // deadline before 162 has timed out meanwhile, but the claim still ran.
    t.send(0, Command.CLAIM, 100, 120, rng)
    expect([t.outcome, t.startAt, t.replyAt]).toEqual([Outcome.REPLY, 151, 162])
    // Its connection hung until then: the next request leaves at 162.
    t.send(0, Command.CLAIM, 110, 1000, rng)
    expect([t.startAt, t.replyAt]).toEqual([163, 174])
    // Run just before the cut: its reply leaves at 106, inside it, and comes back at 150 + 1.
    const r = make({ faults: [{ kind: "partition", atMs: 100, durationMs: 50, target: 0 }] })
    r.send(0, Command.CLAIM, 95, 500, rng)
    expect([r.outcome, r.startAt, r.replyAt]).toEqual([Outcome.REPLY, 96, 151])
    // After the window the link carries both ways at once again.
    r.send(0, Command.CLAIM, 600, 1000, rng)
    expect(r.replyAt).toBe(612)
  })

  it("WAIT after a win returns when the replica has it, or unconfirmed after its timeout", () => {
    // Replication lag 1 ms (make()'s baseLagMs): run 1–11, reply at 12; WAIT arrives at 13,
    // the replica had the write at 2: confirmed at once, back at 14.
    const t = make({}, 10)
    t.send(0, Command.CLAIM, 0, 1000, rng)
    t.awaitReplica(50)
    expect([t.outcome, t.replyAt]).toEqual([Outcome.REPLY, 14])
    // A replica 200 ms behind; a claim at 0 (run 1–11, reply at 12), then WAIT with `timeoutMs`.
    const waited = (timeoutMs: number, poolSize: number) => {
      const m = make({ faults: [{ kind: "replicationLag", atMs: 0, durationMs: 1000, target: 0, lagMs: 200 }] }, poolSize)
      m.send(0, Command.CLAIM, 0, 1000, rng)
      m.awaitReplica(timeoutMs)
      return m
    }
    // Timeout 50: the WAIT gives up at 13 + 50, back at 64.
    const lag = waited(50, 10)
    expect([lag.outcome, lag.replyAt]).toEqual([Outcome.UNCONFIRMED, 64])
    // Timeout 500: it waits for the replica, 1 + 200, back at 202.
    const patient = waited(500, 10)
    expect([patient.outcome, patient.replyAt]).toEqual([Outcome.REPLY, 202])
    // The connection was held until then: with a pool of one, the next request leaves at 202.
    const one = waited(500, 1)
    one.send(0, Command.BALANCE, 10, 1000, rng)
    expect(one.startAt).toBe(203)
  })

  it("connection resets: with probability 1 every request leaving in the window fails at once, unapplied", () => {
    const t = make({ faults: [{ kind: "connectionReset", atMs: 100, durationMs: 50, target: 0 }] }, 10)
    t.send(0, Command.CLAIM, 120, 1000, rng)
    expect([t.outcome, t.replyAt]).toEqual([Outcome.CONNECTION, 121]) // the RST comes back after half an RTT
    expect(t.served[0]).toBe(0)
    t.send(0, Command.CLAIM, 150, 1000, rng) // the window has ended
    expect(t.outcome).toBe(Outcome.REPLY)
    // With probability 0.3, about 30 % of 2 000 requests are reset.
    const p = make({ faults: [{ kind: "connectionReset", atMs: 0, durationMs: 100_000, target: 0, probability: 0.3 }] }, 100)
    let resets = 0
    for (let i = 0; i < 2000; i++) {
      p.send(0, Command.BALANCE, i * 20, 100_000, rng)
      if (p.outcome === Outcome.CONNECTION) resets++
    }
    expect(resets / 2000).toBeGreaterThan(0.26)
    expect(resets / 2000).toBeLessThan(0.34)
  })

  it("a restart is down for its window; a failover only for the promotion", () => {
    const restart = make({ faults: [{ kind: "restart", atMs: 100, durationMs: 500, target: 0, from: "disk" }] }, 10)
    restart.send(0, Command.CLAIM, 300, 1000, rng)
    expect([restart.outcome, restart.replyAt]).toEqual([Outcome.CONNECTION, 302]) // refused: nobody listening
    restart.send(0, Command.CLAIM, 600, 1000, rng)
    expect(restart.outcome).toBe(Outcome.REPLY)
    // topology.failover.promotionMs is 400 by default: refused until 500, then served.
    const fo = make({ faults: [{ kind: "failover", atMs: 100, durationMs: 5000, target: 0 }] }, 10)
    fo.send(0, Command.CLAIM, 450, 1000, rng)
    expect(fo.outcome).toBe(Outcome.CONNECTION)
    fo.send(0, Command.CLAIM, 500, 1000, rng)
    expect([fo.outcome, fo.replyAt]).toEqual([Outcome.REPLY, 512])
    // Without its replica until the old primary rejoins (at 5 100): nothing replicates.
    expect(fo.lagMs).toBe(Infinity)
  })

  it("a pause holds requests until it ends; a script spike slows claims only", () => {
    const t = make({
      faults: [
        { kind: "pause", atMs: 100, durationMs: 50, target: 0 },
        { kind: "latencySpike", atMs: 300, durationMs: 50, target: 0, extraMs: 5, scope: "script" }
      ]
    }, 10)
    t.send(0, Command.CLAIM, 110, 1000, rng)
    expect([t.startAt, t.replyAt]).toEqual([150, 161])
    t.send(0, Command.CLAIM, 310, 1000, rng)
    expect(t.replyAt).toBe(311 + 15 + 1)
    t.send(0, Command.BALANCE, 330, 1000, rng)
    expect(t.replyAt).toBe(331 + 1 + 1)
  })

  it("a crashed node refuses at once; one dying mid-script applied it but never replied", () => {
    const t = make({ faults: [{ kind: "crash", atMs: 1000, durationMs: 10_000, target: 0 }] }, 10)
    t.send(0, Command.CLAIM, 990, 5000, rng) // starts 991, would finish 1001: dies mid-script
    expect([t.outcome, t.startAt, t.replyAt]).toEqual([Outcome.APPLIED_NO_REPLY, 991, 1001])
    t.send(0, Command.CLAIM, 1500, 5000, rng) // down (failover takes detection + promotion)
    expect([t.outcome, t.replyAt]).toEqual([Outcome.CONNECTION, 1502])
    t.send(0, Command.CLAIM, 3500, 5000, rng) // promoted at 1000 + 2000 + 400
    expect(t.outcome).toBe(Outcome.REPLY)
  })

  it("a pool shrink makes requests wait until the busy connections drop under the new size", () => {
    const t = make({}, 3)
    for (let i = 0; i < 3; i++) t.send(0, Command.CLAIM, 0, 1000, rng) // replies at 12, 22, 32
    t.resizePool(0, 2, 0)
    t.send(0, Command.CLAIM, 0, 1000, rng)
    // At most two busy: wait for the first release (12), arrive 13, queue behind 31.
    expect([t.startAt, t.replyAt]).toEqual([31, 42])
    const u = make({}, 3)
    for (let i = 0; i < 3; i++) u.send(0, Command.CLAIM, 0, 1000, rng)
    u.resizePool(0, 1, 0)
    u.send(0, Command.CLAIM, 0, 1000, rng)
    // At most one busy: all three must be released (32), arrive 33.
    expect(u.startAt).toBe(33)
    u.resizePool(0, 3, 40)
    u.send(0, Command.CLAIM, 40, 1000, rng)
    expect(u.startAt).toBe(43) // grown back: a connection at once (40), arrives 41, queued behind 43
  })
})

describe("the fault span shortcut", () => {
  // The timing model skips the window scans for requests clear of a node's fault span;
  // the same requests timed with the span widened to everything must come out the same.
  const fault = fc.record({
    kind: fc.constantFrom("pause", "latencySpike", "crash", "replicationLag"),
    atMs: fc.integer({ min: 0, max: 900 }),
    durationMs: fc.integer({ min: 1, max: 300 })
  })
  it("times every request exactly as the full scan does", () => {
    checkProperty(
      "fault span = full scan",
      "test/sim/model/timing.test.ts",
      fc.property(fc.array(fault, { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 1, maxLength: 60 }), fc.boolean(), (faults, sends, exp) => {
        const s = decodeScenarioSync({
          durationMs: 2000,
          topology: { nodes: 1, buckets: 1, poolSize: 3, replicas: exp },
          faults: faults.map((f) => ({ ...f, target: 0, ...(f.kind === "latencySpike" ? { extraMs: 4, scope: "script" } : f.kind === "replicationLag" ? { lagMs: 50 } : {}) }))
        })
        const plan = compileFaults(s)
        const wide = { ...plan, nodes: plan.nodes.map((n) => ({ ...n, first: n.any ? -Infinity : Infinity, last: n.any ? Infinity : -Infinity })) }
        const mk = (p: typeof plan) =>
          new ModelTiming({ nodes: 1, poolSize: 3, rtt: compile({ kind: "exponential", meanMs: 2 }), service: [compile({ kind: "exponential", meanMs: 6 }), compile({ kind: "constant", ms: 1 })], baseLagMs: 1, plan: p })
        const a = mk(plan), b = mk(wide), ra = new Prng(5), rb = new Prng(5)
        for (const [i, t] of [...sends].sort((x, y) => x - y).entries()) {
          const cmd = i % 3 === 0 ? Command.BALANCE : Command.CLAIM
          a.send(0, cmd, t, t + 400, ra)
          b.send(0, cmd, t, t + 400, rb)
          expect([a.outcome, a.startAt, a.replyAt, a.lagMs]).toEqual([b.outcome, b.startAt, b.replyAt, b.lagMs])
        }
      }),
      { numRuns: 300 }
    )
  })

  it("spans every window that changes timing, and nothing on a fault-free node", () => {
    const s = decodeScenarioSync({
      durationMs: 100_000,
      topology: { nodes: 3, buckets: 3 },
      faults: [
        { kind: "latencySpike", atMs: 2000, durationMs: 1000, target: 0, extraMs: 1 },
        { kind: "crash", atMs: 10_000, durationMs: 20_000, target: 0 },
        { kind: "poolShrink", atMs: 5000, durationMs: 1000, target: 2, poolSize: 1 }
      ]
    })
    const [n0, n1, n2] = compileFaults(s).nodes
    expect([n0.first, n0.last]).toEqual([2000, 30_000]) // the spike starts it; no replica until the old primary rejoins
    expect([n1.first, n1.last]).toEqual([Infinity, -Infinity])
    expect(n2.any && n2.first === Infinity).toBe(true) // a pool shrink is an event, not a window
  })
})

describe("lognormal sampling", () => {
  it("matches the exact quantile function within 5e-5 everywhere and has the asked mean and p99", () => {
    const d = compile({ kind: "lognormal", meanMs: 0.05, p99Ms: 0.25 })
    const Z99 = 2.3263478740408408
    const s = Z99 - Math.sqrt(Z99 * Z99 - 2 * Math.log(5))
    const mu = Math.log(0.05) - (s * s) / 2
    let worst = 0
    for (let k = 1; k < 200_000; k++) {
      const u = k / 200_000
      const got = d.sample({ next: () => u })
      worst = Math.max(worst, Math.abs(got / Math.exp(mu + s * normalQuantile(u)) - 1))
    }
    expect(worst).toBeLessThan(5e-5)
    const r = new Prng(9)
    const xs = Float64Array.from({ length: 400_000 }, () => d.sample(r)).sort()
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length
    expect(Math.abs(mean / 0.05 - 1)).toBeLessThan(0.01)
    expect(Math.abs(xs[Math.floor(xs.length * 0.99)] / 0.25 - 1)).toBeLessThan(0.02)
  })
})

describe("Pool", () => {
  // Against the definition: the busy connections are the release times still ahead; a
  // request waits only when `cap` of them are busy, for the earliest; resize keeps the
  // latest-released ones. Random sequences of requests (times non-decreasing, holds of any
  // length) and resizes.
  const op = fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant("req" as const), dt: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })), hold: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 10, noNaN: true })) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("resize" as const), size: fc.integer({ min: 1, max: 9 }) }) }
  )
  it("waits exactly as the definition says, across resizes", () => {
    checkProperty(
      "Pool against its definition",
      FILE,
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(op, { maxLength: 200 }), (size, ops) => {
        const pool = new Pool(size)
        let busy: Array<number> = []
        let cap = size
        let t = 0
        for (const o of ops) {
          if (o.op === "resize") {
            busy = busy.filter((x) => x > t).sort((a, b) => a - b)
            if (busy.length > o.size) busy.splice(0, busy.length - o.size)
            cap = o.size
            pool.resize(o.size, t)
            continue
          }
          t += o.dt
          busy = busy.filter((x) => x > t).sort((a, b) => a - b)
          const want = busy.length >= cap ? busy[0] : t
          const got = pool.acquire(t)
          if (got !== want) throw new Error(`acquire(${t}) = ${got}, expected ${want} (busy ${busy.join(", ")}, cap ${cap})`)
          if (busy.length >= cap) busy.shift()
          busy.push(want + o.hold)
          pool.occupy(want + o.hold)
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe("a timing profile (huntbench calibrate)", () => {
  const profile = (clientOverheadMs: number) => ({
    huntbenchProfile: 1,
    target: "test",
    measuredAt: "2026-12-01T00:00:00.000Z",
    redisVersion: "7.0.15",
    rttMs: { kind: "empirical", quantiles: [[0, 0.2], [0.5, 0.3], [1, 0.6]] },
    timing: { claim: { kind: "constant", ms: 0.02 }, balance: { kind: "constant", ms: 0.01 } },
    clientOverheadMs,
    eventLoopDelayMs: { p50: 0.01, p99: 0.1, max: 1 },
    ceilingPerSec: 50_000,
    levels: [],
    raw: { rttMs: { p50: 0.3, p90: 0.5, p99: 0.6, p999: 0.6, max: 0.6, count: 100 }, claimServerMs: { p50: 0.02, p90: 0.02, p99: 0.02, p999: 0.02, max: 0.02, count: 100 }, balanceServerMs: { p50: 0.01, p90: 0.01, p99: 0.01, p999: 0.01, max: 0.01, count: 100 } }
  })
  const median = (clientOverheadMs: number) =>
    summarize(simulate(decodeScenarioSync({ seed: 2, durationMs: 5000, hunters: { count: 20 }, topology: { rttMs: { kind: "constant", ms: 50 } }, timing: { profile: profile(clientOverheadMs) } })).latency).p50
  it("replaces the round trip and service times, and adds the client's overhead", () => {
    const [none, five] = [median(0), median(5)]
    // The profile's round trip (p50 0.3 ms), not the scenario's 50 ms; service 0.02 ms.
    expect(none).toBeGreaterThan(0.25)
    expect(none).toBeLessThan(0.45)
    expect(five - none).toBeGreaterThan(4.5)
    expect(five - none).toBeLessThan(5.5)
  })
})
