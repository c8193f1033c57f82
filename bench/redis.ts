/**
 * Claims per second from one Node process through the real adapter (ioredis,
 * auto-pipelining, many claims in flight) against one local redis-server, beside
 * redis-benchmark running the same EVALSHA on the same server in the same run.
 * Both sides claim random artifacts that are already won (the hot path of a hunt: most
 * polls find the artifact taken), so they do identical work per call.
 */
import { spawnSync } from "node:child_process"
import { Redis } from "ioredis"
import { FaultProxy } from "../adapters/chaos/proxy.ts"
import { startRedisServer } from "../adapters/redis/server.ts"
import { claimScript, RedisClaimStore } from "../adapters/redis/store.ts"
import { FastHistogram, summarize } from "../src/metrics/histogram.ts"
import type { StoreConfig } from "../src/ports/ClaimStore.ts"

const ARTIFACTS = 100_000
const PREFIX = "hbbench:"
const IN_FLIGHT = Number(process.env.HB_IN_FLIGHT ?? 200)

export interface RedisBenchResult {
  readonly bench: string
  readonly claims: number
  readonly wallMs: number
  readonly claimsPerSec: number
  readonly baseline: string
  readonly baselineClaimsPerSec: number
  readonly ratio: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly inFlight: number
  readonly targetRatio: number
}

const seed = async (redis: Redis) => {
  for (let a0 = 0; a0 < ARTIFACTS; a0 += 10_000) {
    const p = redis.pipeline()
    for (let a = a0; a < a0 + 10_000; a++) p.hset(`${PREFIX}{b0}:artifact:${a}`, "revealAt", "0", "windowMs", "1e15", "reward", "10", "winner", "1")
    await p.exec()
  }
}

const redisBenchmark = (port: number, sha: string, n: number, clients: number, pipeline: number): number => {
  const k = (s: string) => `${PREFIX}{b0}:${s}`
  const r = spawnSync(
    "redis-benchmark",
    ["-h", "127.0.0.1", "-p", String(port), "-n", String(n), "-c", String(clients), "-P", String(pipeline), "-r", String(ARTIFACTS), "--csv",
      "EVALSHA", sha, "5", k("artifact:__rand_int__"), k("balance:__rand_int__"), k("stream"), k("stream:appended"), k("idem:__rand_int__"),
      "7", "5", "100", `${PREFIX}diffs:0`, "__rand_int__", "1"],
    { encoding: "utf8", timeout: 120_000 }
  )
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr || r.error}`)
  // --csv: a header line, then "test","rps",...
  const line = r.stdout.trim().split("\n").find((l) => l.startsWith('"EVALSHA'))
  const rps = line ? Number(JSON.parse(`[${line}]`)[1]) : NaN
  if (!(rps > 0)) throw new Error(`cannot read redis-benchmark output: ${r.stdout}`)
  return rps
}

const nodeClaims = async (url: string, n: number, inFlight: number) => {
  const redis = new Redis(url, { enableAutoPipelining: true })
  const cfg: StoreConfig = {
    artifactBucket: new Int32Array(0), artifactRevealAt: new Float64Array(0), claimWindowMs: 1e15, reward: 10,
    buckets: 1, hunters: ARTIFACTS, bucketNode: new Int32Array(1), nodes: 1, streamCap: 100, idempotency: true
  }
  const store = new RedisClaimStore("redis", redis, PREFIX, cfg, true)
  const hist = new FastHistogram(3)
  let next = 0
  let x = 12345
  const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % ARTIFACTS
  // Warm up (script cached, connection established).
  await Promise.all(Array.from({ length: 1000 }, () => store.claim(0, rand(), rand(), rand(), 5)))
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < n) {
        const s = performance.now()
        await store.claim(0, rand(), rand(), rand(), 5)
        hist.recordMs(performance.now() - s)
      }
    })
  )
  const wallMs = performance.now() - t0
  await redis.quit()
  return { wallMs, hist }
}

export interface ProxyBenchResult {
  readonly bench: "redis-proxy"
  readonly claims: number
  readonly claimsPerSec: number
  readonly baseline: string
  readonly baselineClaimsPerSec: number
  readonly ratio: number
  readonly p50Ms: number
  readonly baselineP50Ms: number
  readonly targetRatio: number
}

/**
 * Claims/s through the fault proxy with no toxic (adapters/chaos/proxy.ts) against the same
 * claims straight to the server, alternated three times, best of each: what the proxy costs.
 */
const benchProxy = async (server: { readonly port: number; readonly url: string }, n: number): Promise<ProxyBenchResult> => {
  const proxy = await FaultProxy.start({ host: "127.0.0.1", port: server.port })
  try {
    const direct: Array<{ wallMs: number; hist: FastHistogram }> = [], through: Array<{ wallMs: number; hist: FastHistogram }> = []
    for (let round = 0; round < 3; round++) {
      direct.push(await nodeClaims(server.url, n, IN_FLIGHT))
      through.push(await nodeClaims(proxy.url, n, IN_FLIGHT))
    }
    const best = (xs: typeof direct) => xs.reduce((a, b) => (a.wallMs < b.wallMs ? a : b))
    const d = best(direct), p = best(through)
    const cps = (n / p.wallMs) * 1000, base = (n / d.wallMs) * 1000
    return {
      bench: "redis-proxy",
      claims: n,
      claimsPerSec: Math.round(cps),
      baseline: "the same claims straight to the server",
      baselineClaimsPerSec: Math.round(base),
      ratio: Math.round((cps / base) * 1000) / 1000,
      p50Ms: summarize(p.hist).p50,
      baselineP50Ms: summarize(d.hist).p50,
      targetRatio: 0.9
    }
  } finally {
    await proxy.close()
  }
}

/** Run the comparison; starts and stops its own redis-server. */
export const benchRedis = async (quick: boolean): Promise<Array<RedisBenchResult | ProxyBenchResult>> => {
  const server = await startRedisServer()
  try {
    const redis = new Redis(server.url)
    await seed(redis)
    const sha = String(await redis.script("LOAD", claimScript))
    await redis.quit()
    const n = quick ? 100_000 : 400_000
    const out: Array<RedisBenchResult | ProxyBenchResult> = []
    // redis-benchmark with its default concurrency (50 connections, no pipelining) is the
    // baseline; with pipelines of 16 it shows the server's own ceiling. Alternated, twice.
    const base: Array<number> = [], ceiling: Array<number> = [], ours: Array<{ wallMs: number; hist: FastHistogram }> = []
    for (let round = 0; round < 2; round++) {
      base.push(redisBenchmark(server.port, sha, n, 50, 1))
      ceiling.push(redisBenchmark(server.port, sha, n, 50, 16))
      ours.push(await nodeClaims(server.url, n, IN_FLIGHT))
    }
    const best = ours.reduce((a, b) => (a.wallMs < b.wallMs ? a : b))
    const cps = (n / best.wallMs) * 1000
    const lat = summarize(best.hist)
    const row = (baseline: string, rps: number): RedisBenchResult => ({
      bench: "redis-claims",
      claims: n,
      wallMs: Math.round(best.wallMs),
      claimsPerSec: Math.round(cps),
      baseline,
      baselineClaimsPerSec: Math.round(rps),
      ratio: Math.round((cps / rps) * 1000) / 1000,
      p50Ms: lat.p50,
      p99Ms: lat.p99,
      inFlight: IN_FLIGHT,
      targetRatio: 0.6
    })
    out.push(row("redis-benchmark -c 50 (default), same EVALSHA", Math.max(...base)))
    out.push(row("redis-benchmark -c 50 -P 16 (server ceiling), same EVALSHA", Math.max(...ceiling)))
    out.push(await benchProxy(server, n))
    return out
  } finally {
    await server.stop()
  }
}
