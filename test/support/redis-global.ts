// vitest globalSetup: one primary and one replica redis-server for the whole run, on free
// loopback ports, stopped at the end (also when tests fail). With REDIS_URL set, that
// server is used instead (no replica). Without redis-server, real-Redis tests fail with the
// install hint — they are never skipped.
import type { TestProject } from "vitest/node"
import { INSTALL_HINT, startRedisServer, type RedisServer } from "../../adapters/redis/server.ts"

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string
    redisReplicaUrl: string
    redisError: string
  }
}

let servers: Array<RedisServer> = []

export async function setup(project: TestProject): Promise<void> {
  if (process.env.REDIS_URL) {
    project.provide("redisUrl", process.env.REDIS_URL)
    project.provide("redisReplicaUrl", "")
    project.provide("redisError", "")
    return
  }
  try {
    const primary = await startRedisServer()
    servers.push(primary)
    const replica = await startRedisServer({ replicaOf: primary.port })
    servers.push(replica)
    project.provide("redisUrl", primary.url)
    project.provide("redisReplicaUrl", replica.url)
    project.provide("redisError", "")
  } catch (e) {
    project.provide("redisUrl", "")
    project.provide("redisReplicaUrl", "")
    project.provide("redisError", e instanceof Error && e.message ? e.message : INSTALL_HINT)
  }
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()))
  servers = []
}
