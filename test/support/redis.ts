// Connections to the test run's redis-server (see redis-global.ts). Each test file gets a
// unique key prefix, so files running in parallel never see each other's keys.
import { Redis } from "ioredis"
import { inject } from "vitest"

/** The primary's URL, or a thrown error saying how to install redis-server. */
export const redisUrl = (): string => {
  const err = inject("redisError")
  if (err) throw new Error(`real-Redis test cannot run: ${err}`)
  return inject("redisUrl")
}

/** A connected ioredis client; the caller quits it. */
export const connect = async (url = redisUrl()): Promise<Redis> => {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableAutoPipelining: true })
  await r.connect()
  return r
}

let n = 0
/** A prefix unique to this process and call. */
export const uniquePrefix = (label: string): string => `huntbench:test-${label}-${process.pid}-${++n}:`
