/**
 * `huntbench calibrate`: measure a real Redis path and fit a timing profile (src/profile.ts)
 * the model can run with. On the StoreTarget the run would use (a local deployment, or a
 * server given by URL, in a namespace of its own that is removed afterwards):
 * 1. the round trip — PINGs one at a time;
 * 2. each command's time on the server — the server's own LATENCY HISTOGRAM (Redis 7),
 *    read before and after claims and balance reads sent one at a time;
 * 3. load levels — claims with 1, 8, 64 and 256 in flight for a while each: claims/s and
 *    the client's latency, the highest claims/s being the ceiling as this client sees it;
 * 4. the client's event-loop delay throughout, and its overhead: the latency at one in
 *    flight beyond round trip and server time;
 * 5. huntbench's own live driver: open-loop claim hunts at a few rates (the latency a live
 *    run sees there, tail and all), then at higher rates until it no longer sustains one
 *    (the highest it does is its ceiling) — what the model's client takes its path and its
 *    thread from (sim/model/client.ts).
 * The round trip and the server times become `empirical` distributions (quantile tables);
 * the raw figures are kept beside them.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import { Effect } from "effect"
import * as hdr from "hdr-histogram-js"
import { liveRun } from "../live/simulation.ts"
import type { Report } from "../../src/report.ts"
import type { Redis } from "ioredis"
import { Simulator } from "../../sim/driver.ts"
import { compile } from "../../src/distributions.ts"
import { Prng } from "../../sim/prng.ts"
import type { Distribution } from "../../src/scenario.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { StoreError, StoreTarget, type AsyncClaimStore } from "../../src/ports/ClaimStore.ts"
import { PROFILE_VERSION, type Profile } from "../../src/profile.ts"
import { redisConnection } from "./layers.ts"

export interface CalibrateOptions {
  /** Where admin commands (PING, LATENCY HISTOGRAM, INFO) go: the address clients use. */
  readonly adminUrl: () => string
  /** The target's name for the profile (no password). */
  readonly target: string
  /** Seconds per load level (default 2). */
  readonly secondsPerLevel?: number
  readonly levels?: ReadonlyArray<number>
  readonly log?: (line: string) => void
  /** ISO time of the measurement (the caller's clock). */
  readonly now: string
  /** The live driver's open-loop rates (claims/s; default 1 000, 4 000, 16 000); its ceiling is sought above the highest. */
  readonly driverRates?: ReadonlyArray<number>
  /** Runs per driver level; the level is their median, quantile by quantile (default 3). */
  readonly repeats?: number
}

const ARTIFACTS = 20_000
const BUCKETS = 16

/** The hunt calibration claims against: every artifact revealed at once, windows that never close. */
const calibrationScenario = () =>
  decodeScenarioSync({
    seed: 1,
    durationMs: 1000,
    hunters: { count: 10_000 },
    artifacts: { count: ARTIFACTS, claimWindowMs: 1e12, reveal: { kind: "atStart" } },
    topology: { buckets: BUCKETS, nodes: 1, replicas: false }
  })

type Quantiles = Profile["raw"]["rttMs"]

/** p50 … max of `ms` (sorted in place). */
export const quantilesOf = (ms: Array<number>): Quantiles => {
  ms.sort((a, b) => a - b)
  const at = (q: number) => (ms.length === 0 ? 0 : ms[Math.min(ms.length - 1, Math.floor(q * ms.length))])
  const r = (x: number) => Math.round(x * 1e6) / 1e6
  return { p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), p999: r(at(0.999)), max: r(ms.at(-1) ?? 0), count: ms.length }
}

/**
 * An `empirical` distribution from sorted samples (ms): their quantiles at fixed points,
 * from the minimum to the maximum. Example: `empiricalOf([1, 2, 3])` spans 1 to 3.
 */
export const empiricalOf = (sorted: ReadonlyArray<number>): Distribution => {
  const qs = [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]
  let last = 0
  const points = qs.map((q) => {
    const x = sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] ?? 0
    last = Math.max(last, Math.round(x * 1e6) / 1e6)
    return [q, last] as [number, number]
  })
  return { kind: "empirical", quantiles: points }
}

/** A shape of the live driver's hunt: its nodes, and the share of its requests that are balance reads. */
export interface DriverShape {
  readonly nodes: number
  readonly balanceShare: number
}

/**
 * The hunt the live driver is measured on: open-loop claims at `ratePerSec` on one node,
 * artifacts revealed throughout — or in another `shape`. Example: `driverHunt(4000, 3, { nodes: 3, balanceShare: 0 })`.
 */
export const driverHunt = (ratePerSec: number, seconds: number, shape: DriverShape = { nodes: 1, balanceShare: 0 }) => ({
  name: `calibrate: open ${ratePerSec}/s`,
  seed: 11,
  durationMs: Math.round(seconds * 1000),
  hunters: {
    count: 5000,
    behaviour: {
      model: "open",
      ratePerSec,
      tasks: [
        { name: "claim", command: "claim", weight: 1 - shape.balanceShare },
        ...(shape.balanceShare > 0 ? [{ name: "balance", command: "balance", weight: shape.balanceShare }] : [])
      ]
    }
  },
  artifacts: { count: ARTIFACTS, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: Math.round(seconds * 1000) } },
  topology: { buckets: BUCKETS, nodes: shape.nodes },
  engine: { timeoutMs: 1000 }
})

const TABLE = [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1]

/**
 * A report's latency as an `empirical` distribution, read off its HdrHistogram at fixed
 * points from the minimum to the maximum. Example: `latencyOf(report).quantiles.at(-1)[1]`
 * is the report's `latencyMs.max`.
 */
export const latencyOf = (report: Report): Distribution => {
  const h = hdr.decodeFromCompressedBase64(report.histogram.hdrBase64)
  let last = 0
  const points = TABLE.map((q) => {
    const us = h.totalCount === 0 ? 0 : q === 0 ? h.minNonZeroValue : q === 1 ? h.maxValue : h.getValueAtPercentile(q * 100)
    last = Math.max(last, Math.round(Math.min(us, h.maxValue)) / 1000)
    return [q, last] as [number, number]
  })
  h.destroy()
  return { kind: "empirical", quantiles: points }
}

/** The raw figures of a quantile table (`[q, ms]` points, rising), with the count it came from. */
const tableFigures = (points: ReadonlyArray<readonly [number, number]>, count: number): Quantiles => {
  const at = (q: number) => points.find(([p]) => p >= q)?.[1] ?? points[points.length - 1][1]
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: points[points.length - 1][1], count }
}

/** Redis's LATENCY HISTOGRAM reply for one command: bucket upper bounds (µs) → cumulative calls. */
type Histogram = Map<number, number>

const histogram = async (admin: Redis, command: string): Promise<Histogram | undefined> => {
  try {
    const reply = (await admin.call("LATENCY", "HISTOGRAM", command)) as Array<unknown>
    const out: Histogram = new Map()
    if (reply.length < 2) return out
    const fields = reply[1] as Array<unknown>
    const i = fields.indexOf("histogram_usec")
    const pairs = (i >= 0 ? fields[i + 1] : []) as Array<number>
    for (let k = 0; k + 1 < pairs.length; k += 2) out.set(Number(pairs[k]), Number(pairs[k + 1]))
    return out
  } catch {
    return undefined // before Redis 7: no LATENCY HISTOGRAM
  }
}

/**
 * The server-time distribution of the calls between two histogram readings: each bucket's
 * share at its upper bound, as a quantile table in ms. Undefined if nothing was counted.
 */
export const serverTimeOf = (before: Histogram, after: Histogram): { readonly dist: Distribution; readonly raw: Quantiles } | undefined => {
  const buckets = [...after.keys()].sort((a, b) => a - b)
  // Cumulative counts per bucket, minus what was there before.
  const counts = buckets.map((b) => {
    const prevCum = [...before.entries()].filter(([k]) => k <= b).reduce((m, [, v]) => Math.max(m, v), 0)
    return [b, (after.get(b) ?? 0) - prevCum] as const
  })
  const total = counts.at(-1)?.[1] ?? 0
  if (total <= 0) return undefined
  const points: Array<[number, number]> = [[0, buckets[0] / 2000]]
  for (const [b, cum] of counts) {
    const q = Math.min(1, cum / total)
    if (q > points[points.length - 1][0]) points.push([q, Math.max(b / 1000, points[points.length - 1][1])])
  }
  if (points[points.length - 1][0] < 1) points.push([1, points[points.length - 1][1]])
  return { dist: { kind: "empirical", quantiles: points }, raw: tableFigures(points, total) }
}

/** Run `n` calls of `call`, `inFlight` at a time, for `ms` (or until `n`); returns each latency (ms) and the rate. */
const drive = async (call: (i: number) => Promise<unknown>, inFlight: number, ms: number, n = Infinity): Promise<{ latencies: Array<number>; perSec: number }> => {
  const latencies: Array<number> = []
  const start = performance.now(), end = start + ms
  let issued = 0
  const worker = async () => {
    while (issued < n && performance.now() < end) {
      const i = issued++
      const t = performance.now()
      await call(i)
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return { latencies, perSec: (latencies.length * 1000) / (performance.now() - start) }
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]
const mean = (xs: ReadonlyArray<number>) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)

/**
 * Measure the path to the provided StoreTarget and return a profile. Example:
 * `calibrate({ target: "local", adminUrl: () => url, now }).pipe(Effect.provide(layerLocalTarget(…)), Effect.scoped)`.
 */
export const calibrate = Effect.fn("Calibrate.run")(function* (opts: CalibrateOptions) {
  const log = opts.log ?? (() => undefined)
  const seconds = opts.secondsPerLevel ?? 2
  const levels = opts.levels ?? [1, 8, 64, 256]
  const target = yield* StoreTarget
  const sim = new Simulator(calibrationScenario())
  const cfg = sim.storeConfig
  // Steps 1–4 in a scope of their own: their keys (and a local deployment) are gone before
  // the live driver's runs each claim a namespace, or start a deployment, of their own.
  const measured = yield* Effect.scoped(Effect.gen(function* () {
    const store: AsyncClaimStore = yield* target.open(cfg)
    // One command at a time: no auto-pipelining, so a PING's round trip is its own.
    const admin = yield* redisConnection(opts.adminUrl(), undefined, false)
    return yield* Effect.tryPromise({
      try: async (): Promise<Profile> => {
        const info = await admin.info("server")
        const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown"
        const loop = monitorEventLoopDelay({ resolution: 10 })
        loop.enable()
        // 1. The round trip.
        log("measuring the round trip (PING, one at a time)")
        await drive(() => admin.ping(), 1, 10_000, 200)
        const rtt = (await drive(() => admin.ping(), 1, seconds * 1000, 3000)).latencies.sort((a, b) => a - b)
        // 2. Server time per command, one call at a time.
        const rng = new Prng(7)
        let key = 0
        const claim = () => {
          const a = Math.floor(rng.next() * ARTIFACTS)
          return store.claim(cfg.artifactBucket[a], a, Math.floor(rng.next() * 10_000), ++key, 0)
        }
        const balance = () => store.balance(Math.floor(rng.next() * BUCKETS), Math.floor(rng.next() * 10_000))
        log("measuring the server's time per command (LATENCY HISTOGRAM around calls one at a time)")
        const [claimBefore, balanceBefore] = [await histogram(admin, "evalsha"), await histogram(admin, "get")]
        const claimsAlone = await drive(claim, 1, seconds * 1000, 5000)
        const balancesAlone = await drive(balance, 1, seconds * 1000, 5000)
        const [claimAfter, balanceAfter] = [await histogram(admin, "evalsha"), await histogram(admin, "get")]
        const claimServer = claimBefore && claimAfter ? serverTimeOf(claimBefore, claimAfter) : undefined
        const balanceServer = balanceBefore && balanceAfter ? serverTimeOf(balanceBefore, balanceAfter) : undefined
        const rttMean = mean(rtt)
        // Without the server's histogram: what the client sees beyond the round trip.
        const fallback = (latencies: ReadonlyArray<number>): Distribution => ({ kind: "constant", ms: Math.max(0.001, Math.round((mean(latencies) - rttMean) * 1e6) / 1e6) })
        if (!claimServer || !balanceServer) log(`${opts.target} has no LATENCY HISTOGRAM (Redis < 7): server times are the client's latency minus the round trip`)
        // 3. Load levels.
        const measured: Array<Profile["levels"][number]> = []
        for (const inFlight of levels) {
          log(`load level: ${inFlight} claim(s) in flight for ${seconds} s`)
          const r = await drive(claim, inFlight, seconds * 1000)
          measured.push({ inFlight, claimsPerSec: Math.round(r.perSec), latencyMs: quantilesOf(r.latencies) })
        }
        loop.disable()
        const claimServerMean = claimServer ? compile(claimServer.dist).mean : 0
        const overhead = Math.max(0, mean(claimsAlone.latencies) - rttMean - claimServerMean)
        const ms = (ns: number) => Math.round(ns / 1e3) / 1e3
        return {
          huntbenchProfile: PROFILE_VERSION,
          target: opts.target,
          measuredAt: opts.now,
          redisVersion,
          rttMs: empiricalOf(rtt),
          timing: {
            claim: claimServer?.dist ?? fallback(claimsAlone.latencies),
            balance: balanceServer?.dist ?? fallback(balancesAlone.latencies)
          },
          clientOverheadMs: Math.round(overhead * 1e6) / 1e6,
          eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
          ceilingPerSec: Math.max(1, ...measured.map((l) => l.claimsPerSec)),
          levels: measured,
          raw: {
            rttMs: quantilesOf([...rtt]),
            claimServerMs: claimServer?.raw ?? quantilesOf([...claimsAlone.latencies]),
            balanceServerMs: balanceServer?.raw ?? quantilesOf([...balancesAlone.latencies])
          }
        }
      },
      catch: (e) => new StoreError({ message: `calibrate on ${opts.target}: ${e instanceof Error ? e.message : String(e)}` })
    })
  }))
  // 5. The live driver, each rate on a store of its own (a fresh deployment on local).
  const rates = opts.driverRates ?? [1000, 4000, 16_000]
  const repeats = opts.repeats ?? 3
  const once = (rate: number, shape?: DriverShape) =>
    liveRun(driverHunt(rate, seconds, shape)).pipe(
      Effect.scoped,
      Effect.mapError((e) => new StoreError({ message: `calibrate on ${opts.target}: the live driver at ${rate} claims/s: ${"message" in e ? e.message : String(e)}` }))
    )
  type Level = NonNullable<Profile["driver"]>["levels"][number]
  // A short run's figures are at the mercy of one GC pause more or less: the level is the
  // median of `repeats` runs, quantile by quantile (a median of rising curves rises too).
  const levelOf = (rate: number, runs: ReadonlyArray<Report>): Level => {
    const tables = runs.flatMap((r) => {
      const d = latencyOf(r)
      return d.kind === "empirical" ? [d.quantiles] : []
    })
    const quantiles = tables[0].map(([q], j) => [q, median(tables.map((t) => t[j][1]))] as [number, number])
    return { ratePerSec: rate, claimsPerSec: Math.round(median(runs.map((r) => r.throughputPerSec))), latencyMs: { kind: "empirical", quantiles }, raw: tableFigures(quantiles, median(runs.map((r) => r.latencyMs.count))) }
  }
  const driveLive = (rate: number) =>
    Effect.gen(function* () {
      const runs: Array<Report> = []
      for (let i = 0; i < repeats; i++) runs.push(yield* once(rate))
      return levelOf(rate, runs)
    })
  // The base rates in rounds (each rate once a round), so that a slow minute on a shared
  // machine spoils one run of every level rather than every run of one: their medians keep
  // it out (one level measured three times in a bad minute had p99 76 ms where its
  // neighbours had 10, and the model followed it).
  // In the same rounds, the shapes the levels are not, at base rates: balance reads beside
  // the claims at the two upper ones (a read's reply costs the client less, the more so the
  // busier it is), and on a deployment huntbench starts three nodes' connections at the
  // middle one (each costs the client more; on a server given by URL every node shares one
  // connection, so there is nothing to measure).
  const reads: DriverShape = { nodes: 1, balanceShare: 0.5 }
  const shapes: ReadonlyArray<readonly [DriverShape, number]> = [
    ...rates.slice(1).map((r) => [reads, r] as const),
    ...(target.faults?.owned ? [[{ nodes: 3, balanceShare: 0 }, rates[rates.length >> 1]] as const] : [])
  ]
  const runsAt: Array<Array<Report>> = rates.map(() => [])
  const shapeRuns: Array<Array<Report>> = shapes.map(() => [])
  for (let round = 0; round < repeats; round++) {
    log(`the live driver: open-loop claims at ${rates.map((r) => r.toLocaleString("en-US")).join(", ")}/s, then half balance reads${shapes.length > rates.length - 1 ? " and over 3 nodes" : ""}, for ${seconds} s each${repeats > 1 ? ` (round ${round + 1} of ${repeats})` : ""}`)
    for (let i = 0; i < rates.length; i++) runsAt[i].push(yield* once(rates[i]))
    for (let i = 0; i < shapes.length; i++) shapeRuns[i].push(yield* once(shapes[i][1], shapes[i][0]))
  }
  const driverLevels: Array<Level> = rates.map((rate, i) => levelOf(rate, runsAt[i]))
  const driverShapes = shapes.map(([shape, rate], i) => {
    const { ratePerSec, latencyMs, raw } = levelOf(rate, shapeRuns[i])
    return { ...shape, ratePerSec, latencyMs, raw }
  })
  // Then a quarter more each step until the driver cannot sustain the rate — it falls behind
  // what it is offered, or its p99 passes 10× its p99 at the lowest rate (stalls that a
  // thread with headroom absorbs now leave a backlog behind them): each rate it sustains is
  // a level too, and the highest is its ceiling, past which the model's client queues.
  const healthy = 10 * driverLevels[0].raw.p99
  let offered = Math.max(...rates), ceiling = 0
  for (let step = 0; step < 10 && ceiling === 0; step++) {
    offered = Math.round(offered * 1.25)
    log(`the live driver: open-loop claims at ${offered.toLocaleString("en-US")}/s for ${seconds} s${repeats > 1 ? `, ${repeats} times` : ""} (seeking its ceiling)`)
    const l = yield* driveLive(offered)
    if (l.claimsPerSec < 0.97 * offered || l.raw.p99 > healthy) ceiling = driverLevels.at(-1)!.claimsPerSec
    else driverLevels.push(l)
  }
  if (ceiling === 0) {
    ceiling = offered
    log(`the live driver sustained ${offered.toLocaleString("en-US")} claims/s: its ceiling is at least that`)
  }
  return { ...measured, driver: { levels: driverLevels, ceilingPerSec: ceiling, shapes: driverShapes } } satisfies Profile
})
