/**
 * The claim store on Redis: the Lua claim script (claim.lua, the source of truth) run
 * through ioredis `defineCommand` — EVALSHA with a fallback to EVAL — against a real server
 * or ioredis-mock (fengari Lua 5.3, in-process). Every key is under the run's prefix; the
 * store never touches another key, never FLUSHes, and `cleanup` removes only its own keys.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import type { Redis as IORedis } from "ioredis"
import type { AsyncClaimStore, StoreConfig, StoreSnapshot } from "../../src/ports/ClaimStore.ts"
import { Keys } from "./keys.ts"

export const claimScript = readFileSync(new URL("./claim.lua", import.meta.url), "utf8")
export const claimSha = createHash("sha1").update(claimScript).digest("hex")

type ClaimCommand = (k1: string, k2: string, k3: string, k4: string, k5: string, ...argv: Array<string>) => Promise<[number | string, string]>

/** The subset of ioredis this store uses; ioredis-mock provides the same. */
export type RedisLike = IORedis

/** GET after spinning ARGV[1] ms on the server: a balance read during a node-wide latency spike. */
const SPIN_GET = `local t = redis.call("TIME")
local stop = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
repeat t = redis.call("TIME") until tonumber(t[1]) * 1000000 + tonumber(t[2]) >= stop
return redis.call("GET", KEYS[1])`

export class RedisClaimStore implements AsyncClaimStore {
  readonly name: string
  readonly keys: Keys
  private readonly redis: RedisLike
  private readonly cfg: StoreConfig
  private readonly claimCmd: ClaimCommand

  // Per-bucket key parts, built once: the hot path only appends ids.
  private readonly bucketKeys: Array<{ base: string; stream: string; appended: string; channel: string }>
  private readonly cap: string
  private readonly idemFlag: string
  private readonly evalsha: boolean
  /** While a latency spike is injected: ms every claim spins on the server first. */
  spinMs = 0
  /** While a node-wide latency spike is injected: ms every balance read spins first (a script then). */
  balanceSpinMs = 0
  /** With several nodes: the node this server is, whose buckets alone it seeds. */
  private readonly node: number | undefined
  /** Where balance reads go: a connection of their own, or the claims'. */
  private readonly reads: RedisLike

  /**
   * Example: `const s = new RedisClaimStore("redis", client, "huntbench:r1:", cfg); await s.setup()`.
   * `evalsha` (real Redis) calls EVALSHA directly and falls back to EVAL on NOSCRIPT;
   * otherwise (ioredis-mock, which has no EVALSHA) the script goes through defineCommand.
   * `node`: this server is one node of several and holds only that node's buckets.
   * `reads`: a connection for balance reads (default: the claims' connection).
   */
  constructor(name: string, redis: RedisLike, prefix: string, cfg: StoreConfig, evalsha = false, node?: number, reads: RedisLike = redis) {
    this.name = name
    this.node = node
    this.redis = redis
    this.reads = reads
    this.keys = new Keys(prefix)
    this.cfg = cfg
    this.evalsha = evalsha
    if (typeof (redis as unknown as Record<string, unknown>).hbClaim !== "function")
      redis.defineCommand("hbClaim", { numberOfKeys: 5, lua: claimScript })
    this.claimCmd = (redis as unknown as { hbClaim: ClaimCommand }).hbClaim.bind(redis)
    this.bucketKeys = Array.from({ length: cfg.buckets }, (_, b) => ({
      base: this.keys.bucketBase(b),
      stream: this.keys.stream(b),
      appended: this.keys.streamAppended(b),
      channel: this.keys.channel(b)
    }))
    this.cap = String(cfg.streamCap)
    this.idemFlag = cfg.idempotency ? "1" : "0"
  }

  /** Load the script (real Redis) and seed the artifacts (reveal time, window, reward) in one pipeline. */
  async setup(): Promise<void> {
    if (this.evalsha) await this.redis.script("LOAD", claimScript)
    const p = this.redis.pipeline()
    const { artifactBucket, artifactRevealAt, claimWindowMs, reward, bucketNode } = this.cfg
    for (let a = 0; a < artifactBucket.length; a++)
      if (this.node === undefined || bucketNode[artifactBucket[a]] === this.node)
        p.hset(this.keys.artifact(artifactBucket[a], a), "revealAt", String(artifactRevealAt[a]), "windowMs", String(claimWindowMs), "reward", String(reward))
    await p.exec()
  }

  async claim(bucket: number, artifact: number, hunter: number, requestKey: number, now: number): Promise<number> {
    const k = this.bucketKeys[bucket]
    const h = String(hunter)
    const args: Array<string> = [
      `${k.base}artifact:${artifact}`, `${k.base}balance:${h}`, k.stream, k.appended, `${k.base}idem:${requestKey}`,
      h, String(now), this.cap, k.channel, String(artifact), this.idemFlag
    ]
    if (this.spinMs > 0) args.push(String(this.spinMs))
    let r: [number | string, string]
    if (this.evalsha) {
      try {
        r = (await this.redis.evalsha(claimSha, 5, ...args)) as [number, string]
      } catch (e) {
        if (!(e instanceof Error) || !e.message.startsWith("NOSCRIPT")) throw e
        r = (await this.redis.eval(claimScript, 5, ...args)) as [number, string] // loads it for next time
      }
    } else r = await this.claimCmd(args[0], args[1], args[2], args[3], args[4], ...args.slice(5))
    // ioredis-mock returns Lua integers as floats; Number() makes both agree.
    return Number(r[0])
  }

  async waitReplicas(_bucket: number, replicas: number, timeoutMs: number): Promise<number> {
    return Number(await this.redis.call("WAIT", String(replicas), String(Math.max(1, Math.round(timeoutMs)))))
  }

  async balance(bucket: number, hunter: number): Promise<number> {
    const key = this.keys.balance(bucket, hunter)
    if (this.balanceSpinMs > 0) return Number((await this.reads.eval(SPIN_GET, 1, key, String(this.balanceSpinMs))) ?? 0)
    return Number((await this.reads.get(key)) ?? 0)
  }

  /**
   * Every claim key of this run: the namespace SCANned (never KEYS), then only keys of the
   * exact shapes the store writes — a stranger's key that happens to start with the
   * namespace is neither read nor deleted. The marker is not included.
   */
  async ownKeys(): Promise<Array<string>> {
    return (await scanOwn(this.redis, this.keys)).filter((k) => k !== this.keys.marker())
  }

  /**
   * Take the namespace for this run: write its marker (SET NX) and make sure nothing else
   * lives there, so everything cleanup later finds in it was written by this run. Throws
   * NamespaceInUse (and leaves no trace) when the namespace is not empty.
   */
  async claimNamespace(meta: Record<string, unknown>): Promise<void> {
    const marker = this.keys.marker()
    const ok = await this.redis.set(marker, JSON.stringify({ tool: "huntbench", ...meta }), "NX")
    if (ok === null) throw new NamespaceInUse(this.keys.prefix, "holds the keys of an earlier run (kept with --keep-keys?)")
    const others = (await scanAll(this.redis, this.keys)).filter((k) => k !== marker)
    if (others.length > 0) {
      await this.redis.del(marker)
      throw new NamespaceInUse(this.keys.prefix, `already holds ${others.length} key(s) that are not huntbench's`)
    }
  }

  async snapshot(): Promise<StoreSnapshot> {
    const { artifactBucket, buckets } = this.cfg
    const p = this.redis.pipeline()
    for (let a = 0; a < artifactBucket.length; a++) p.hget(this.keys.artifact(artifactBucket[a], a), "winner")
    for (let b = 0; b < buckets; b++) {
      p.xrange(this.keys.stream(b), "-", "+")
      p.get(this.keys.streamAppended(b))
    }
    const res = (await p.exec()) ?? []
    const val = (i: number): unknown => {
      const [err, v] = res[i]
      if (err) throw err
      return v
    }
    const winners = Array.from(artifactBucket, (_, a) => {
      const w = val(a)
      return w === null || w === undefined ? -1 : Number(w)
    })
    const streams = Array.from({ length: buckets }, (_, b) => {
      const entries = (val(artifactBucket.length + 2 * b) as Array<[string, Array<string>]>).map(([, f]) => {
        const m = new Map<string, string>()
        for (let i = 0; i + 1 < f.length; i += 2) m.set(f[i], f[i + 1])
        return { artifact: Number(m.get("a")), hunter: Number(m.get("h")), t: Number(m.get("t")) }
      })
      return { length: entries.length, appended: Number(val(artifactBucket.length + 2 * b + 1) ?? 0), entries }
    })
    const balances: Array<[number, number, number]> = []
    const idempotencyKeys: Array<number> = []
    const keys = await this.ownKeys()
    const balanceKeys = keys.filter((k) => k.includes("}:balance:"))
    const amounts = balanceKeys.length > 0 ? await this.redis.mget(...balanceKeys) : []
    balanceKeys.forEach((k, i) => {
      const m = /\{b(\d+)\}:balance:(\d+)$/.exec(k)
      const amount = Number(amounts[i] ?? 0)
      if (m && amount !== 0) balances.push([Number(m[1]), Number(m[2]), amount])
    })
    for (const k of keys) {
      const m = /\}:idem:(\d+)$/.exec(k)
      if (m) idempotencyKeys.push(Number(m[1]))
    }
    balances.sort((x, y) => x[0] - y[0] || x[1] - y[1])
    idempotencyKeys.sort((x, y) => x - y)
    return { winners, balances, streams, idempotencyKeys }
  }

  /** Delete this run's keys (and only them), the marker last. Returns how many were removed. */
  async cleanup(): Promise<number> {
    return removeOwn(this.redis, this.keys)
  }
}

/** A namespace that is not free for a new run. */
export class NamespaceInUse extends Error {
  constructor(namespace: string, why: string) {
    super(`the key namespace ${namespace} ${why}; choose another --run-id or --prefix, or remove a kept run with huntbench cleanup`)
  }
}

const scanAll = async (redis: RedisLike, keys: Keys): Promise<Array<string>> => {
  const out = new Set<string>()
  let cursor = "0"
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", keys.scanPattern(), "COUNT", 1000)
    for (const k of batch) out.add(k)
    cursor = String(next)
  } while (cursor !== "0")
  return [...out].sort()
}

const scanOwn = async (redis: RedisLike, keys: Keys): Promise<Array<string>> => (await scanAll(redis, keys)).filter((k) => keys.isOwn(k))

const removeOwn = async (redis: RedisLike, keys: Keys): Promise<number> => {
  const marker = keys.marker()
  const data = (await scanOwn(redis, keys)).filter((k) => k !== marker)
  for (let i = 0; i < data.length; i += 500) await redis.unlink(...data.slice(i, i + 500))
  return data.length + (await redis.del(marker))
}

/**
 * Remove a kept run's keys (`huntbench cleanup`): only when the namespace carries a
 * huntbench run's marker, and then only keys of the shapes a run writes. Resolves to the
 * number removed, or throws when there is no such run. Example:
 * `await removeRun(redis, runNamespace("foo", "r1"))`.
 */
export const removeRun = async (redis: RedisLike, namespace: string): Promise<number> => {
  const keys = new Keys(namespace)
  const marker = await redis.get(keys.marker())
  let tool: unknown
  try {
    tool = marker === null ? undefined : (JSON.parse(marker) as { tool?: unknown }).tool
  } catch {
    tool = undefined
  }
  if (tool !== "huntbench") throw new NoSuchRun(namespace)
  return removeOwn(redis, keys)
}

/** No huntbench run's marker in a namespace: nothing there is huntbench's to delete. */
export class NoSuchRun extends Error {
  constructor(namespace: string) {
    super(`no huntbench run under ${namespace} (its marker ${namespace}run is missing): nothing removed`)
  }
}
