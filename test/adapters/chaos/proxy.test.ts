// The TCP fault proxy in front of the test run's real redis-server: transparent with no
// toxics; latency delays every round trip by at least its two one-way delays; a hold
// (partition) answers nothing until cleared and then runs what it held, in order; a reset
// breaks the connection and the next one works; a bandwidth limit slows a large value; and
// closing leaves no port or socket open.
import { Redis } from "ioredis"
import { createConnection } from "node:net"
import { afterEach, describe, expect, it } from "vitest"
import { FaultProxy } from "../../../adapters/chaos/proxy.ts"
import { redisUrl, uniquePrefix } from "../../support/redis.ts"

const target = () => {
  const u = new URL(redisUrl())
  return { host: u.hostname, port: Number(u.port) }
}

const opened: Array<{ close(): unknown }> = []
const client = async (url: string) => {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
  r.on("error", () => {}) // resets are what some tests cause
  await r.connect()
  opened.push({ close: () => r.disconnect() })
  return r
}
const proxy = async (random?: () => number) => {
  const p = await FaultProxy.start(target(), { random })
  opened.push(p)
  return p
}

afterEach(async () => {
  for (const o of opened.splice(0)) await o.close()
})

describe("fault proxy", () => {
  it("with no toxics, passes every command and reply through unchanged", async () => {
    const p = await proxy()
    const r = await client(p.url)
    const k = uniquePrefix("proxy")
    const values = Array.from({ length: 2000 }, (_, i) => `v${i}-${"x".repeat(i % 50)}`)
    await Promise.all(values.map((v, i) => r.set(`${k}${i}`, v)))
    expect(await Promise.all(values.map((_, i) => r.get(`${k}${i}`)))).toEqual(values)
    await r.del(...values.map((_, i) => `${k}${i}`))
    expect(p.stats.connections).toBe(1)
    expect(p.stats.bytesUp).toBeGreaterThan(0)
  })

  it("latency delays each round trip by at least both one-way delays, replies in order", async () => {
    const p = await proxy()
    const r = await client(p.url)
    p.set({ latencyMs: 40, jitterMs: 10 })
    const t0 = performance.now()
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => r.echo(String(i))))
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => String(i)))
    expect(performance.now() - t0).toBeGreaterThanOrEqual(58) // ≥ 2 × (40 − 10), less the 0.5 ms a chunk may leave early
    // Up only: one delay per round trip.
    p.set({ latencyMs: 40, direction: "up" })
    const t1 = performance.now()
    await r.ping()
    expect(performance.now() - t1).toBeGreaterThanOrEqual(39)
  })

  it("a hold answers nothing until cleared, then runs what it held, in order", async () => {
    const p = await proxy()
    const r = await client(p.url)
    const k = uniquePrefix("hold")
    p.set({ hold: true })
    let answered = 0
    const pending = Promise.all([r.set(k, "a"), r.append(k, "b"), r.get(k)].map((q) => q.then((v) => (answered++, v))))
    // The server has not seen them: another connection, straight to Redis, finds no key.
    const direct = await client(redisUrl())
    expect(await direct.exists(k)).toBe(0)
    expect(answered).toBe(0)
    p.clear()
    expect(await pending).toEqual(["OK", 2, "ab"])
    await direct.del(k)
  })

  it("a reset breaks the connection (the command not run); new connections work once cleared", async () => {
    const p = await proxy()
    const r = await client(p.url)
    const k = uniquePrefix("reset")
    p.set({ resetProbability: 1 })
    await expect(r.set(k, "1")).rejects.toThrow()
    expect(p.stats.resets).toBe(1)
    const direct = await client(redisUrl())
    expect(await direct.exists(k)).toBe(0)
    p.clear()
    const again = await client(p.url)
    expect(await again.set(k, "2")).toBe("OK")
    await direct.del(k)
  })

  it("a bandwidth limit makes a large value take its size's time", async () => {
    const p = await proxy()
    const r = await client(p.url)
    const k = uniquePrefix("bw")
    const value = "y".repeat(200_000)
    p.set({ bytesPerSec: 500_000, direction: "up" })
    const t0 = performance.now()
    await r.set(k, value)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390) // 200 kB at 500 kB/s: 0.4 s
    p.clear()
    expect((await r.get(k))?.length).toBe(200_000)
    await r.del(k)
  })

  it("close stops listening and closes every connection", async () => {
    const p = await FaultProxy.start(target())
    const r = await client(p.url)
    await r.ping()
    await p.close()
    expect(p.stats.open).toBe(0)
    const refused = await new Promise<boolean>((resolve) => {
      const s = createConnection(p.port, "127.0.0.1")
      s.on("connect", () => (s.destroy(), resolve(false)))
      s.on("error", () => resolve(true))
    })
    expect(refused).toBe(true)
  })
})
