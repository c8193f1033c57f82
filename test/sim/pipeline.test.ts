// The per-bucket pipeline: stream worker queueing and fan-out cost, the backlog cap, the edge
// cache, shard splits (hunters re-subscribe by child cell), and the breaker bounding a
// bucket's backlog under a script latency spike.
import fc from "fast-check"
import ngeohash from "ngeohash"
import { describe, expect, it } from "vitest"
import { Simulator, simulate } from "../../sim/driver.ts"
import { Pipeline } from "../../sim/pipeline.ts"
import { Prng } from "../../sim/prng.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync, type ScenarioInput } from "../../src/scenario.ts"
import { checkProperty } from "../support/property.ts"

const direct = (pipeline: Record<string, unknown>, subscribers = 10) => {
  const s = decodeScenarioSync({ topology: { buckets: 1, nodes: 1 }, pipeline })
  return new Pipeline(s, new Int32Array([subscribers]), [], new Float64Array(1), new Float64Array(1))
}

describe("pipeline worker", () => {
  it("serves one bucket's diffs FIFO: service + fan-out per subscriber, queueing behind each other", () => {
    // 0.5 ms service + 10 subscribers × 0.05 ms = 1 ms per diff.
    const p = direct({ workerServiceMs: { kind: "constant", ms: 0.5 }, fanoutPerSubscriberMs: 0.05 })
    const rng = new Prng(1)
    for (const at of [0, 0.5, 0.6, 5]) p.onClaim(0, 0, false, at, rng)
    p.finish(100, rng)
    // Finishes at 1, 2, 3 and 6: lags 1, 1.5, 2.4, 1.
    expect(p.delivered[0]).toBe(4)
    expect(p.lag.total).toBe(4)
    expect(p.maxLagMs[0]).toBeCloseTo(2.4, 9)
    expect(p.lag.sumUs).toBe(1000 + 1500 + 2400 + 1000)
    expect(p.maxBacklog[0]).toBe(2) // at 0.6: the diff of 0.5 and its own (the first is in service)
  })

  it("trims the oldest unread diffs past the cap; they are never delivered", () => {
    const p = direct({ workerServiceMs: { kind: "constant", ms: 10 }, fanoutPerSubscriberMs: 0, backlogCap: 3 })
    const rng = new Prng(1)
    for (let i = 0; i < 8; i++) p.onClaim(0, 0, false, i * 0.1, rng)
    p.finish(1000, rng)
    // The first starts at once (in service, no longer in the stream); 7 more arrive with 3 slots.
    expect(p.trimmed[0]).toBe(4)
    expect(p.delivered[0]).toBe(4)
    expect(p.diffs[0]).toBe(8)
    expect(p.maxBacklog[0]).toBe(3)
  })

  it("only wins make diffs when diffs is \"wins\"", () => {
    const p = direct({ diffs: "wins" })
    const rng = new Prng(1)
    p.onClaim(0, 0, false, 1, rng)
    p.onClaim(0, 0, true, 2, rng)
    expect(p.diffs[0]).toBe(1)
  })

  it("edge cache: a read within ttl of the last fetch hits, and is stale once a newer diff was delivered", () => {
    const p = direct({ workerServiceMs: { kind: "constant", ms: 1 }, fanoutPerSubscriberMs: 0, edgeCache: { ttlMs: 100 } })
    const rng = new Prng(1)
    p.read(0, 0, rng) // miss: fetched at 0
    p.read(0, 50, rng) // hit, fresh
    p.onClaim(0, 0, false, 60, rng) // delivered at 61
    p.read(0, 80, rng) // hit, stale for 19 ms
    p.read(0, 120, rng) // past ttl: miss, refetched
    p.read(0, 130, rng) // hit, fresh
    expect([p.hits[0], p.misses[0], p.staleHits[0]]).toEqual([3, 2, 1])
    expect(p.staleness.maxUs).toBe(19_000)
  })
})

const PARIS = { south: 48.845, west: 2.285, north: 48.875, east: 2.365 }
const crowd = (over: Partial<ScenarioInput> = {}, pipeline: Record<string, unknown> = {}) =>
  decodeScenarioSync({
    seed: 9,
    durationMs: 40_000,
    hunters: { count: 3000, behaviour: { model: "closed", pollIntervalMs: 1000, jitterMs: 200 } },
    artifacts: { count: 300, claimWindowMs: 20_000, reveal: { kind: "spread", fromMs: 0, toMs: 35_000 } },
    topology: { nodes: 2 },
    geography: { area: PARIS, precision: 6, viral: { lat: 48.8606, lon: 2.3376, radiusKm: 0.15, atMs: 15_000, share: 0.25 } },
    pipeline: { subscriberCap: 400, split: { durationMs: 1500 }, ...pipeline },
    ...over
  })

describe("shard split", () => {
  it("a bucket past the subscriber cap splits; its hunters re-subscribe by child cell; the split is in the timeline; invariants hold", () => {
    const s = crowd()
    const sim = new Simulator(s)
    while (!sim.step(1 << 20));
    const raw = sim.raw()
    const r = buildReport(raw, "t", 0)
    const viralCell = ngeohash.encode(48.8606, 2.3376, 6)
    const split = r.pipeline!.splits.find((x) => x.name === viralCell)!
    expect(split).toBeDefined()
    expect(split.atMs).toBe(15_000) // the viral artifact draws the crowd at once (no walking)
    expect(split.subscribers).toBeGreaterThan(400)
    expect(split.doneAtMs).toBe(16_500)
    expect(r.timeline[15].splits).toContain(split.bucket)
    expect(r.buckets[split.bucket].stream!.split).toBe(true)
    // Every hunter in the bucket is counted in the child cell it stands in.
    const w = sim.workload, map = w.map!
    const want = new Array(32).fill(0)
    for (let h = 0; h < s.hunters.count; h++)
      if (w.hunterBucket[h] === split.bucket) want["0123456789bcdefghjkmnpqrstuvwxyz".indexOf(ngeohash.encode(map.lat[h], map.lon[h], 7).charAt(6))]++
    expect(raw.pipeline!.childSubscribers(split.bucket)).toEqual(want)
    expect(want.reduce((a, b) => a + b, 0)).toBe(r.buckets[split.bucket].hunters)
    // While it split the bucket's stream waited; afterwards fan-out goes to one child cell's hunters.
    expect(r.buckets[split.bucket].stream!.maxLagMs).toBeGreaterThanOrEqual(1000)
    expect(r.invariants.every((i) => i.ok)).toBe(true)
    // Without a cap, no split, and the crowded bucket's diffs take longer to fan out.
    const { pipeline: _p, ...rest } = s
    const noCap = buildReport(simulate(decodeScenarioSync({ ...rest, pipeline: { split: { durationMs: 1500 } } })), "t", 0)
    expect(noCap.pipeline!.splits).toEqual([])
    const late = (rep: typeof r) => rep.bucketTimeline.streamBacklog!.slice(25).reduce((m, col) => Math.max(m, col[split.bucket]), 0)
    expect(late(r)).toBeLessThan(late(noCap))
  })
})

describe("shard split with walking hunters", () => {
  it("keeps each child cell's subscriber count right as hunters walk in, out and around", () => {
    const s = crowd({}, {})
    // A crowd around the Louvre from the start: its cell splits at once, then people wander.
    const walking = decodeScenarioSync({
      ...s,
      durationMs: 60_000,
      geography: { ...s.geography!, movement: { speedMps: 5 }, hunterHotspots: [{ lat: 48.8606, lon: 2.3376, radiusKm: 0.3, share: 0.3 }] }
    })
    const sim = new Simulator(walking)
    while (!sim.step(1 << 20));
    const raw = sim.raw()
    const split = raw.pipeline!.splits[0]
    expect(split).toBeDefined()
    const w = sim.workload, map = w.map!
    // Hunters in a split bucket are followed every step, so their positions are current.
    const want = new Array(32).fill(0)
    for (let h = 0; h < walking.hunters.count; h++)
      if (w.hunterBucket[h] === split.bucket) want["0123456789bcdefghjkmnpqrstuvwxyz".indexOf(ngeohash.encode(map.lat[h], map.lon[h], 7).charAt(6))]++
    expect(raw.pipeline!.childSubscribers(split.bucket)).toEqual(want)
    expect(raw.crossings).toBeGreaterThan(100)
  })
})

describe("breaker bounds backlog", () => {
  // A 2 ms script spike on one node: its buckets' requests queue up (the node then serves
  // ~480 claims/s, its hunters send ~1 000/s). A 50 ms timeout with a breaker sheds that
  // load; without them (a 10 s timeout, breaker off) the backlog grows until every hunter
  // of those buckets waits.
  const spike = (timeoutMs: number, breaker: boolean) =>
    buildReport(
      simulate(
        decodeScenarioSync({
          seed: 4,
          durationMs: 30_000,
          hunters: { count: 2000, start: { kind: "ramp", perSecond: 1000 }, behaviour: { model: "closed", pollIntervalMs: 1000, jitterMs: 200 } },
          artifacts: { count: 200, reveal: { kind: "spread", fromMs: 0, toMs: 25_000 } },
          topology: { buckets: 8, nodes: 2, rttMs: { kind: "constant", ms: 0.3 } },
          timing: { claim: { kind: "constant", ms: 0.05 } },
          engine: { timeoutMs, retries: { max: 0 }, breaker: { enabled: breaker, failureThreshold: 5, openMs: 1000 } },
          faults: [{ kind: "latencySpike", atMs: 10_000, durationMs: 10_000, target: 0, extraMs: 2, scope: "script" }]
        })
      ),
      "t",
      0
    )
  it("the max backlog with a 50 ms timeout + breaker is at most half of that without (same seed)", () => {
    const guarded = spike(50, true), bare = spike(10_000, false)
    const maxBacklog = (r: ReturnType<typeof spike>) => Math.max(...r.buckets.filter((b) => b.node === 0).map((b) => b.maxBacklog))
    expect(guarded.breakers.trips).toBeGreaterThan(0)
    expect(maxBacklog(bare)).toBeGreaterThan(100)
    expect(maxBacklog(guarded)).toBeLessThanOrEqual(maxBacklog(bare) / 2)
    // The heat map's breaker state: open seconds only where breakers tripped, and during the spike.
    const open = guarded.bucketTimeline.breakerOpen
    guarded.buckets.forEach((b) => {
      const seconds = open.reduce((n, col) => n + col[b.bucket], 0)
      if (b.breakerTrips === 0) expect(seconds).toBe(0)
      else expect(seconds).toBeGreaterThan(0)
    })
    open.forEach((col, c) => {
      if (c < 10 || c > 21) expect(col.every((v) => v === 0), `second ${c}`).toBe(true)
    })
  })
})

describe("pipeline edge cases (found in review)", () => {
  it("a split that starts with unread diffs hands them to the child cells of their artifacts", () => {
    const s = decodeScenarioSync({
      topology: { nodes: 1 },
      geography: { area: PARIS, precision: 6 },
      pipeline: { workerServiceMs: { kind: "constant", ms: 10 }, fanoutPerSubscriberMs: 0, subscriberCap: 5, split: { durationMs: 100 } }
    })
    const cell = ngeohash.encode(48.86, 2.33, 6)
    const p = new Pipeline(s, new Int32Array([10]), [cell], new Float64Array([48.86]), new Float64Array([2.33]))
    const rng = new Prng(1)
    for (const at of [0, 0.1, 0.2]) p.onClaim(0, 0, false, at, rng)
    const hunters = 10
    expect(p.maybeSplit(0, 1, new Float64Array(hunters).fill(48.86), new Float64Array(hunters).fill(2.33), new Int32Array(hunters), rng)).toBe(101)
    expect(p.backlog(0)).toBe(2) // the first is in service; two wait
    p.finishSplit(0, 101)
    p.finish(1000, rng)
    expect(p.delivered[0]).toBe(3)
    expect(p.backlog(0)).toBe(0)
  })

  it("a refetch before a diff in service is delivered still goes stale when it is", () => {
    const p = direct({ workerServiceMs: { kind: "constant", ms: 50 }, fanoutPerSubscriberMs: 0, edgeCache: { ttlMs: 100 } })
    const rng = new Prng(1)
    p.read(0, 0, rng) // miss: fetched at 0
    p.onClaim(0, 0, false, 90, rng) // in service 90–140
    p.read(0, 101, rng) // miss: refetched at 101, before that diff is delivered
    p.read(0, 150, rng) // hit, stale since 140
    expect([p.hits[0], p.misses[0], p.staleHits[0]]).toEqual([1, 2, 1])
    expect(p.staleness.maxUs).toBe(10_000)
  })
})

describe("pipeline conservation (property)", () => {
  it("every diff is delivered, trimmed or still unread; split buckets' child counts add up to their hunters", () => {
    checkProperty(
      "pipeline conservation",
      "test/sim/pipeline.test.ts",
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1000 }),
          hunters: fc.integer({ min: 50, max: 800 }),
          speed: fc.constantFrom(0, 2, 20),
          cap: fc.integer({ min: 20, max: 300 }),
          backlogCap: fc.integer({ min: 1, max: 50 }),
          serviceMs: fc.constantFrom(0.05, 1, 5),
          fanoutMs: fc.constantFrom(0, 0.01, 0.2),
          splitMs: fc.integer({ min: 0, max: 3000 }),
          viral: fc.boolean(),
          wins: fc.boolean()
        }),
        (p) => {
          const s = decodeScenarioSync({
            seed: p.seed,
            durationMs: 20_000,
            hunters: { count: p.hunters, behaviour: { model: "closed", pollIntervalMs: 300, jitterMs: 100 } },
            artifacts: { count: 60, claimWindowMs: 5000, reveal: { kind: "spread", fromMs: 0, toMs: 18_000 } },
            topology: { nodes: 2 },
            geography: {
              area: PARIS,
              precision: 6,
              hunterHotspots: [{ lat: 48.8606, lon: 2.3376, radiusKm: 0.3, share: 0.3 }],
              ...(p.speed > 0 ? { movement: { speedMps: p.speed } } : {}),
              ...(p.viral ? { viral: { lat: 48.858, lon: 2.2945, radiusKm: 0.2, atMs: 8000, share: 0.3 } } : {})
            },
            pipeline: {
              diffs: p.wins ? "wins" : "claims",
              workerServiceMs: { kind: "constant", ms: p.serviceMs },
              fanoutPerSubscriberMs: p.fanoutMs,
              backlogCap: p.backlogCap,
              subscriberCap: p.cap,
              split: { durationMs: p.splitMs },
              edgeCache: { ttlMs: 500 }
            }
          })
          const sim = new Simulator(s)
          while (!sim.step(1 << 20));
          const raw = sim.raw()
          const pl = raw.pipeline!
          const B = s.topology.buckets
          let hunters = 0
          for (let b = 0; b < B; b++) {
            expect(pl.diffs[b]).toBe(pl.delivered[b] + pl.trimmed[b] + pl.backlog(b))
            expect(pl.backlog(b)).toBeLessThanOrEqual(p.backlogCap * (pl.isSplit(b) ? 32 : 1))
            expect(raw.bucketHunters[b]).toBeGreaterThanOrEqual(0)
            hunters += raw.bucketHunters[b]
            const kids = pl.childSubscribers(b)
            if (kids) expect(kids.reduce((x, y) => x + y, 0)).toBe(raw.bucketHunters[b])
          }
          expect(hunters).toBe(s.hunters.count)
          for (let h = 0; h < s.hunters.count; h++) expect(sim.workload.hunterBucket[h]).toBeGreaterThanOrEqual(0)
          const r = buildReport(raw, "t", 0)
          expect(r.invariants.every((i) => i.ok)).toBe(true)
        }
      ),
      { numRuns: 25 }
    )
  }, 120_000)
})
