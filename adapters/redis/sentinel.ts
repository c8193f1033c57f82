/**
 * Redis Sentinel for a local deployment (adapters/redis/deployment.ts): three Sentinels
 * (quorum 2) watching the primaries, which think a silent one down after `downAfterMs` and
 * promote its replica; waiting until they have found each other and the replicas; following
 * their `+switch-master` announcements; and asking for a failover (`SENTINEL FAILOVER`).
 * The deployment decides what a switch does to its processes and proxies.
 */
import { Redis } from "ioredis"
import { startSentinel, until, withAdmin, type RedisServer } from "./server.ts"

/** The name Sentinel knows node `i`'s primary by. */
export const sentinelName = (i: number): string => `huntbench-${i}`

/**
 * Start three Sentinels watching `primaries` (by node index and port); each one started is
 * handed to `onStarted` at once, so that a failure later stops it too. Example:
 * `await startSentinels([{ node: 0, port: 6379 }], 1000, (s) => started.push(s))`.
 */
export const startSentinels = async (
  primaries: ReadonlyArray<{ readonly node: number; readonly port: number }>,
  downAfterMs: number,
  onStarted: (sentinel: RedisServer) => void
): Promise<Array<RedisServer>> => {
  const out: Array<RedisServer> = []
  for (let k = 0; k < 3; k++) {
    // failover-timeout also bounds how soon Sentinel "fixes" a replica that follows its
    // primary through another address (our replication proxy): long, so never in a run.
    const sentinel = await startSentinel({ masters: primaries.map((p) => ({ name: sentinelName(p.node), port: p.port })), quorum: 2, downAfterMs, failoverTimeoutMs: 600_000 })
    onStarted(sentinel)
    out.push(sentinel)
  }
  return out
}

/**
 * Wait until `sentinel` knows the other two and each node's replica (they find each other
 * through the primaries' hello channel, every 2 s).
 */
export const awaitDiscovery = (sentinel: RedisServer, nodes: ReadonlyArray<{ readonly node: number; readonly hasReplica: boolean }>): Promise<void> =>
  withAdmin(sentinel, async (admin) => {
    for (const n of nodes) {
      const name = sentinelName(n.node)
      await until(async () => ((await admin.call("SENTINEL", "SENTINELS", name)) as Array<unknown>).length >= 2, 15_000, `the Sentinels did not find each other`)
      if (n.hasReplica) await until(async () => ((await admin.call("SENTINEL", "REPLICAS", name)) as Array<unknown>).length >= 1, 15_000, `the Sentinels did not find node ${n.node}'s replica`)
    }
  })

/**
 * Call `onSwitch(node, port)` each time `sentinel` announces that node's primary is now
 * the server on `port`. Returns the subscribed connection (disconnect it to stop).
 */
export const watchSwitches = async (sentinel: RedisServer, onSwitch: (node: number, port: number) => void): Promise<Redis> => {
  const sub = new Redis(sentinel.url, { maxRetriesPerRequest: 0 })
  sub.on("error", () => undefined)
  sub.on("message", (_channel: string, message: string) => {
    // "<name> <old ip> <old port> <new ip> <new port>"
    const [name, , , , port] = message.split(" ")
    const m = /^huntbench-(\d+)$/.exec(name)
    if (m) onSwitch(Number(m[1]), Number(port))
  })
  await sub.subscribe("+switch-master")
  return sub
}

/** Ask `sentinel` to fail node `node` over now (`SENTINEL FAILOVER`); the switch is announced later. */
export const requestFailover = (sentinel: RedisServer, node: number): Promise<unknown> =>
  withAdmin(sentinel, (admin) => admin.call("SENTINEL", "FAILOVER", sentinelName(node)))
