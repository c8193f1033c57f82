/**
 * A Redis deployment huntbench starts for a run (`--target local`): per node a primary and,
 * with `topology.replicas`, a replica of it, each a redis-server on a free loopback port
 * with `--enable-debug-command local`, and a TCP fault proxy in front of every primary —
 * clients connect through the proxy, so link faults (latency, partition, reset) and a
 * redirect to a promoted replica need no help from the client. Every process and proxy is
 * stopped when the deployment stops (its scope closes: the end of the run, a failure or
 * Ctrl-C); `startRedisServer` also kills its processes when the Node process exits.
 */
import { Effect } from "effect"
import { Redis } from "ioredis"
import { FaultProxy } from "../chaos/proxy.ts"
import { RedisServerError, startRedisServer, type RedisServer } from "./server.ts"

export interface LocalNode {
  readonly index: number
  readonly primary: RedisServer
  readonly replica: RedisServer | undefined
  /** Where clients connect: the fault proxy in front of the primary. */
  readonly proxy: FaultProxy
}

export interface LocalDeploymentOptions {
  readonly nodes: number
  readonly replicas: boolean
}

/** Wait until `replica` reports its link to the primary up (a full sync done). */
const replicaInSync = async (replica: RedisServer): Promise<void> => {
  const r = new Redis(replica.url, { lazyConnect: true, maxRetriesPerRequest: 0 })
  try {
    await r.connect()
    for (let i = 0; i < 200; i++) {
      const info = await r.info("replication")
      if (/master_link_status:up/.test(info)) return
      await new Promise((res) => setTimeout(res, 25))
    }
    throw new RedisServerError({ message: `the replica on port ${replica.port} did not sync with its primary within 5 s` })
  } finally {
    r.disconnect()
  }
}

/**
 * Example: `const d = await LocalDeployment.start({ nodes: 2, replicas: true })`; clients
 * use `d.nodes[i].proxy.url`; `await d.stop()`.
 */
export class LocalDeployment {
  readonly nodes: ReadonlyArray<LocalNode>
  private stopped = false

  private constructor(nodes: ReadonlyArray<LocalNode>) {
    this.nodes = nodes
  }

  static async start(opts: LocalDeploymentOptions): Promise<LocalDeployment> {
    const started: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = []
    try {
      const nodes: Array<LocalNode> = []
      for (let i = 0; i < opts.nodes; i++) {
        const primary = await startRedisServer()
        started.push(primary)
        const replica = opts.replicas ? await startRedisServer({ replicaOf: primary.port }) : undefined
        if (replica) started.push(replica)
        const proxy = await FaultProxy.start({ host: "127.0.0.1", port: primary.port })
        started.push(proxy)
        nodes.push({ index: i, primary, replica, proxy })
      }
      await Promise.all(nodes.flatMap((n) => (n.replica ? [replicaInSync(n.replica)] : [])))
      return new LocalDeployment(nodes)
    } catch (e) {
      for (const s of started.reverse()) await ("stop" in s ? s.stop() : s.close()).catch(() => undefined)
      throw e
    }
  }

  /** Every process and proxy of the deployment, stopped (idempotent). */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const n of this.nodes) await n.proxy.close()
    await Promise.all(this.nodes.flatMap((n) => [n.primary.stop(), ...(n.replica ? [n.replica.stop()] : [])]))
  }

  /** The processes it runs (primaries and replicas), for checks that none outlives it. */
  get pids(): ReadonlyArray<number> {
    return this.nodes.flatMap((n) => [n.primary.process.pid, n.replica?.process.pid]).filter((p): p is number => p !== undefined)
  }
}

/** A local deployment for the life of a scope. Example: `Effect.scoped(Effect.flatMap(localDeployment(o), (d) => …))`. */
export const localDeployment = (opts: LocalDeploymentOptions) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => LocalDeployment.start(opts),
      catch: (e) => (e instanceof RedisServerError ? e : new RedisServerError({ message: e instanceof Error ? e.message : String(e) }))
    }),
    (d) => Effect.promise(() => d.stop())
  )
