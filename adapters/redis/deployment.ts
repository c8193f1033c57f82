/**
 * A Redis deployment huntbench starts for a run (`--target local`): per node a primary and,
 * with `topology.replicas`, a replica of it, each a redis-server on a free loopback port
 * with `--enable-debug-command local`, and a TCP fault proxy in front of every primary —
 * clients connect through the proxy, so link faults (latency, partition, reset) and a
 * redirect to a promoted replica need no help from the client. The replica follows its
 * primary through a proxy of its own, where replication lag is injected. Chaos operations
 * (kill, restart empty, promote, rejoin) change a node's processes in place. Every process and proxy is
 * stopped when the deployment stops (its scope closes: the end of the run, a failure or
 * Ctrl-C); `startRedisServer` also kills its processes when the Node process exits.
 */
import { Effect } from "effect"
import { Redis } from "ioredis"
import { FaultProxy } from "../chaos/proxy.ts"
import { RedisServerError, startRedisServer, type RedisServer } from "./server.ts"

/**
 * One node: its primary and replica change places when the replica is promoted, and a
 * killed primary is replaced by a fresh process, so the fields are the node's current ones.
 */
export interface LocalNode {
  readonly index: number
  primary: RedisServer
  replica: RedisServer | undefined
  /** Where clients connect: the fault proxy in front of the primary. */
  readonly proxy: FaultProxy
  /** The replication link: the replica follows the primary through this proxy (lag is injected here). */
  replLink: FaultProxy | undefined
}

/** REPLICAOF NO ONE: `server` stops following and takes writes. */
const makePrimary = async (server: RedisServer): Promise<void> => {
  const admin = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 })
  try {
    await admin.connect()
    await admin.call("REPLICAOF", "NO", "ONE")
  } finally {
    admin.disconnect()
  }
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
        const replLink = opts.replicas ? await FaultProxy.start({ host: "127.0.0.1", port: primary.port }) : undefined
        if (replLink) started.push(replLink)
        const replica = replLink ? await startRedisServer({ replicaOf: replLink.port }) : undefined
        if (replica) started.push(replica)
        const proxy = await FaultProxy.start({ host: "127.0.0.1", port: primary.port })
        started.push(proxy)
        nodes.push({ index: i, primary, replica, proxy, replLink })
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
    for (const n of this.nodes) {
      await n.proxy.close()
      await n.replLink?.close()
    }
    await Promise.all([...this.nodes.flatMap((n) => [n.primary.stop(), ...(n.replica ? [n.replica.stop()] : [])]), ...[...this.retired].map((r) => r.stop())])
  }

  /** Processes replaced by a restart or a promotion, stopped with the rest. */
  private readonly retired = new Set<RedisServer>()

  /** Kill node `i`'s primary at once (SIGKILL: no shutdown, nothing saved). */
  kill(i: number): void {
    this.nodes[i].primary.process.kill("SIGKILL")
  }

  /**
   * Start node `i`'s primary again, empty, where the killed one listened; a replica that
   * follows it resyncs from it (and so loses everything too, as it would in production).
   */
  async restartEmpty(i: number): Promise<void> {
    const n = this.nodes[i]
    this.retired.add(n.primary)
    await n.primary.stop()
    this.retired.delete(n.primary)
    n.primary = await startRedisServer({ port: n.primary.port })
  }

  /**
   * Start node `i`'s killed primary again where it listened, loaded from its replica: the
   * replica is kept from syncing from the empty newcomer (its link held), the newcomer syncs
   * from the replica, becomes primary again, and the replica follows it once more. What the
   * replica lacked is lost.
   */
  async restartFromReplica(i: number): Promise<void> {
    const n = this.nodes[i]
    if (!n.replica || !n.replLink) throw new RedisServerError({ message: `node ${i} has no replica to restart from` })
    n.replLink.set({ hold: true })
    this.retired.add(n.primary)
    await n.primary.stop()
    this.retired.delete(n.primary)
    n.primary = await startRedisServer({ port: n.primary.port, replicaOf: n.replica.port })
    await replicaInSync(n.primary)
    await makePrimary(n.primary)
    n.replLink.clear()
    await replicaInSync(n.replica)
  }

  /**
   * Promote node `i`'s replica (REPLICAOF NO ONE) and redirect its clients there: the proxy
   * resets their connections and sends new ones to it. What the replica had not received is
   * lost. The old primary is retired; `rejoin` gives the node a replica again.
   */
  async promote(i: number): Promise<void> {
    const n = this.nodes[i]
    if (!n.replica) throw new RedisServerError({ message: `node ${i} has no replica to promote` })
    await makePrimary(n.replica)
    this.retired.add(n.primary)
    n.primary.process.kill("SIGKILL") // a demoted primary must not take writes (it may be dead already)
    n.primary = n.replica
    n.replica = undefined
    await n.replLink?.close()
    n.replLink = undefined
    n.proxy.retarget({ host: "127.0.0.1", port: n.primary.port })
  }

  /** Give node `i` a replica again: a fresh process that syncs from the current primary. */
  async rejoin(i: number): Promise<void> {
    const n = this.nodes[i]
    if (n.replica) return
    n.replLink = await FaultProxy.start({ host: "127.0.0.1", port: n.primary.port })
    n.replica = await startRedisServer({ replicaOf: n.replLink.port })
    await replicaInSync(n.replica)
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
