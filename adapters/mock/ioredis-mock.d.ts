// ioredis-mock mirrors ioredis' client API (it ships no types of its own).
declare module "ioredis-mock" {
  import type { Redis, RedisOptions } from "ioredis"
  const RedisMock: new (options?: RedisOptions & { data?: Record<string, unknown> }) => Redis
  export default RedisMock
}
