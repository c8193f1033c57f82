/**
 * The claim store on ioredis-mock: the same Lua script as on real Redis, run in-process by
 * fengari (Lua 5.3). Known differences from Redis that the script works around (and the
 * tests pin down): Lua integers come back as floats; HMGET of a missing field is truthy;
 * no EVALSHA or SCRIPT LOAD (defineCommand works); XADD with an explicit id `n-0` stores
 * `n-0-0`; XADD `*` ids repeat under MAXLEN.
 */
import RedisMock from "ioredis-mock"
import type { StoreConfig } from "../../src/ports/ClaimStore.ts"
import { RedisClaimStore } from "../redis/store.ts"

// ioredis-mock keys its keyspaces by host and port: a port number of its own per store gives
// each run an empty keyspace (nothing listens on it; the mock never opens a socket).
let nextPort = 40_000

/** A mock store and the means to drop its keyspace. */
export type MockStore = RedisClaimStore & { close(): Promise<void> }

/**
 * A fresh in-process mock server, with an empty keyspace of its own, and the claim store on
 * it. Example: `const s = await makeMockStore("huntbench:r1:", cfg); …; await s.close()`.
 */
export const makeMockStore = async (prefix: string, cfg: StoreConfig): Promise<MockStore> => {
  const redis = new RedisMock({ host: "huntbench-mock", port: nextPort++ })
  const store = new RedisClaimStore("mock", redis, prefix, cfg) as MockStore
  store.close = async () => {
    await redis.flushall()
    redis.disconnect()
  }
  await store.claimNamespace({ buckets: cfg.buckets, artifacts: cfg.artifactBucket.length })
  await store.setup()
  return store
}
