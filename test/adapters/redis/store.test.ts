// The claim store on a real redis-server: atomicity under concurrency, key isolation and
// cleanup, URL redaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Redis } from "ioredis"
import { prefixProblem, redactUrl, runNamespace } from "../../../adapters/redis/keys.ts"
import { startRedisServer } from "../../../adapters/redis/server.ts"
import { claimSha, RedisClaimStore } from "../../../adapters/redis/store.ts"
import { Reply } from "../../../src/engine/protocol.ts"
import type { StoreConfig } from "../../../src/ports/ClaimStore.ts"
import { connect, uniquePrefix } from "../../support/redis.ts"

const config = (over: Partial<StoreConfig> = {}): StoreConfig => ({
  artifactBucket: Int32Array.from([0, 1, 1]),
  artifactRevealAt: Float64Array.from([0, 0, 0]),
  claimWindowMs: 60_000,
  reward: 25,
  buckets: 2,
  hunters: 300,
  bucketNode: new Int32Array(2),
  nodes: 1,
  streamCap: 50,
  idempotency: true,
  ...over
})

describe("RedisClaimStore on real Redis", () => {
  let redis: Redis
  beforeAll(async () => {
    redis = await connect()
  })
  afterAll(async () => {
    await redis?.quit()
  })

  it("200 claims in flight on one artifact: exactly one winner, balances sum to the reward", async () => {
    const store = new RedisClaimStore("redis", redis, uniquePrefix("race"), config(), true)
    await store.setup()
    // Auto-pipelining sends them together; the script is atomic, so only one can win.
    const replies = await Promise.all(Array.from({ length: 200 }, (_, h) => store.claim(1, 1, h, 1000 + h, 5)))
    expect(replies.filter((r) => r === Reply.WON)).toHaveLength(1)
    expect(replies.filter((r) => r === Reply.TAKEN)).toHaveLength(199)
    const snap = await store.snapshot()
    const winner = snap.winners[1]
    expect(replies[winner]).toBe(Reply.WON)
    expect(snap.balances).toEqual([[1, winner, 25]])
    expect(snap.streams[1].entries).toEqual([{ artifact: 1, hunter: winner, t: 5 }])
    // The same 200 again with their keys: the winner's retry is ALREADY, the rest TAKEN.
    const again = await Promise.all(Array.from({ length: 200 }, (_, h) => store.claim(1, 1, h, 1000 + h, 6)))
    expect(again[winner]).toBe(Reply.ALREADY)
    expect(again.filter((r) => r === Reply.TAKEN)).toHaveLength(199)
    expect((await store.snapshot()).balances).toEqual([[1, winner, 25]])
    await store.cleanup()
  })

  it("touches no key outside its prefix, and two runs do not see each other's keys", async () => {
    const outside = `${uniquePrefix("user")}precious`
    await redis.set(outside, "user data")
    await redis.hset(`${outside}:h`, "f", "v")
    const a = new RedisClaimStore("redis", redis, runNamespace(undefined, `runA-${process.pid}`), config(), true)
    const b = new RedisClaimStore("redis", redis, runNamespace(undefined, `runB-${process.pid}`), config(), true)
    await a.setup()
    await b.setup()
    expect(await a.claim(0, 0, 7, 1, 10)).toBe(Reply.WON)
    // Run B has its own artifact 0: still free there.
    expect(await b.claim(0, 0, 8, 1, 10)).toBe(Reply.WON)
    expect((await a.snapshot()).winners).toEqual([7, -1, -1])
    expect((await b.snapshot()).winners).toEqual([8, -1, -1])
    const aKeys = await a.ownKeys()
    expect(aKeys.length).toBeGreaterThan(0)
    expect(aKeys.every((k) => k.startsWith(`huntbench:runA-${process.pid}:`))).toBe(true)
    expect(await a.cleanup()).toBe(aKeys.length)
    expect(await a.ownKeys()).toEqual([])
    expect((await b.snapshot()).winners).toEqual([8, -1, -1]) // B untouched by A's cleanup
    await b.cleanup()
    expect(await redis.get(outside)).toBe("user data")
    expect(await redis.hget(`${outside}:h`, "f")).toBe("v")
    await redis.unlink(outside, `${outside}:h`)
  })

  it("every key of a claim shares the bucket's hash tag (one cluster slot)", async () => {
    const store = new RedisClaimStore("redis", redis, uniquePrefix("slot"), config(), true)
    await store.setup()
    await store.claim(1, 2, 3, 99, 1)
    const keys = await store.ownKeys()
    const tags = new Set(keys.map((k) => /\{[^}]*\}/.exec(k)?.[0]))
    expect(tags).toEqual(new Set(["{b0}", "{b1}"]))
    const slots = new Set(await Promise.all(keys.filter((k) => k.includes("{b1}")).map((k) => redis.call("CLUSTER", "KEYSLOT", k).catch(() => null))))
    // CLUSTER KEYSLOT works without cluster mode on Redis 7; all {b1} keys map to one slot.
    if (![...slots].includes(null)) expect(slots.size).toBe(1)
    await store.cleanup()
  })

  it("falls back to EVAL when the server has not cached the script (NOSCRIPT)", async () => {
    // A server of its own: SCRIPT FLUSH would pull the script from under other test files.
    const server = await startRedisServer()
    const own = await connect(server.url)
    try {
      const store = new RedisClaimStore("redis", own, uniquePrefix("noscript"), config(), true)
      await store.setup()
      await own.script("FLUSH")
      expect(await store.claim(0, 0, 4, 1, 1)).toBe(Reply.WON)
      expect(await own.script("EXISTS", claimSha)).toEqual([1]) // cached again by the fallback
      expect(await store.claim(0, 0, 5, 2, 1)).toBe(Reply.TAKEN)
    } finally {
      await own.quit()
      await server.stop()
    }
  })

  it("rejects prefixes that would break hash tags or cleanup, and redacts passwords", () => {
    expect(prefixProblem("huntbench:{x}:")).toMatch(/\{/)
    expect(prefixProblem("a*")).toMatch(/glob/)
    expect(prefixProblem("")).toMatch(/empty/)
    expect(prefixProblem("huntbench:r1:")).toBeUndefined()
    expect(redactUrl("redis://:s3cret@127.0.0.1:6390/0")).toBe("redis://:***@127.0.0.1:6390/0")
    expect(redactUrl("redis://user:pw@h:1")).not.toContain("pw")
    expect(redactUrl("redis://127.0.0.1:6390")).toBe("redis://127.0.0.1:6390")
  })
})
