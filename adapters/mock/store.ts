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

/** A fresh in-process mock server with the claim store on it. Example: `await makeMockStore("huntbench:r1:", cfg)`. */
export const makeMockStore = async (prefix: string, cfg: StoreConfig): Promise<RedisClaimStore> => {
  const store = new RedisClaimStore("mock", new RedisMock(), prefix, cfg)
  await store.setup()
  return store
}
