// The test harness itself: the run's own primary and replica are up, the replica follows
// the primary (later failover tests build on it), and neither is the machine's shared Redis.
import { inject } from "vitest"
import { describe, expect, it } from "vitest"
import { connect, redisUrl, uniquePrefix } from "./redis.ts"

describe("redis test harness", () => {
  it("a primary and a replica of it, on loopback ports of their own", async () => {
    const url = redisUrl()
    if (process.env.REDIS_URL) return // an external server: no replica is started
    const replicaUrl = inject("redisReplicaUrl")
    expect(new URL(url).hostname).toBe("127.0.0.1")
    expect(new URL(url).port).not.toBe("6379")
    const primary = await connect(url)
    const replica = await connect(replicaUrl)
    try {
      const key = `${uniquePrefix("harness")}k`
      await primary.set(key, "v")
      expect(await primary.call("WAIT", "1", "2000")).toBe(1)
      expect(await replica.get(key)).toBe("v")
      expect(String(await replica.info("replication"))).toContain(`master_port:${new URL(url).port}`)
      await primary.unlink(key)
    } finally {
      await primary.quit()
      await replica.quit()
    }
  })
})
