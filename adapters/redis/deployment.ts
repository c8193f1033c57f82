/**
 * A Redis deployment huntbench starts for a run (`--target local`): per node a primary and,
 * with `topology.replicas`, a replica of it, each a redis-server on a free loopback port
 * with `--enable-debug-command local`, three Sentinels watching them when asked, and a TCP
 * fault proxy in front of every primary —
 * clients connect through the proxy, so link faults (latency, partition, reset) and a
 * redirect to a promoted replica need no help from the client. The replica follows its
 * primary through a proxy of its own, where replication lag is injected. Chaos operations
 * (kill, restart empty, promote, rejoin) change a node's processes in place. Every process and proxy is
 * stopped when the deployment stops (its scope closes: the end of the run, a failure or
 * Ctrl-C); `startRedisServer` also kills its processes when the Node process exits.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { Redis } from "ioredis"
import { FaultProxy } from "../chaos/proxy.ts"
import { awaitDiscovery, requestFailover, startSentinels, watchSwitches } from "./sentinel.ts"
import { RedisServerError, startRedisServer, until, withAdmin, type RedisServer } from "./server.ts"

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
  /** With an AOF: the primary's data directory (kept across restarts) and its AOF's recent sizes. */
  readonly aof?: { readonly dir: string; readonly sizes: Array<readonly [at: number, bytes: number]> }
}

/**
 * The primary's AOF: every write appended, fsync'd once a second, never rewritten during a
 * run (a rewrite would start a new file under the sampler).
 */
const AOF_ARGS = ["--appendonly", "yes", "--appendfsync", "everysec", "--auto-aof-rewrite-percentage", "0"]

/** The AOF file writes go to now (Redis 7 keeps them in appendonlydir/*.incr.aof). */
const incrAof = (dir: string): string | undefined => {
  const d = join(dir, "appendonlydir")
  if (!existsSync(d)) return undefined
  const files = readdirSync(d).filter((f) => f.endsWith(".incr.aof"))
  const seq = (f: string) => Number(/\.(\d+)\.incr\.aof$/.exec(f)?.[1] ?? 0)
  const last = files.sort((a, b) => seq(a) - seq(b)).at(-1)
  return last === undefined ? undefined : join(d, last)
}

/** One command to `server` on a connection of its own. */
const adminCall = (server: RedisServer, command: string, ...args: Array<string>): Promise<unknown> => withAdmin(server, (admin) => admin.call(command, ...args))

/** REPLICAOF NO ONE: `server` stops following and takes writes. */
const makePrimary = async (server: RedisServer): Promise<void> => {
  await adminCall(server, "REPLICAOF", "NO", "ONE")
}

export interface LocalDeploymentOptions {
  readonly nodes: number
  readonly replicas: boolean
  /**
   * Watch the primaries with three Sentinels (quorum 2) that think one down after
   * `downAfterMs` without an answer and promote its replica; clients follow the switch.
   */
  readonly sentinel?: { readonly downAfterMs: number }
  /** Give every primary an AOF (`appendfsync everysec`), for restarts from disk. */
  readonly aof?: boolean
  /**
   * Replicas follow their primary directly, not through a link proxy: for a run without
   * faults, whose replication stream would otherwise pass through this process (the proxies
   * run here, on a live run's driver thread). Such a replica cannot be lagged or cut off.
   */
  readonly directReplication?: boolean
}

/** Wait until `replica` reports its link to the primary up (a full sync done). */
const replicaInSync = (replica: RedisServer): Promise<void> =>
  withAdmin(replica, (r) => until(async () => /master_link_status:up/.test(await r.info("replication")), 5000, `the replica on port ${replica.port} did not sync with its primary`))

/**
 * Example: `const d = await LocalDeployment.start({ nodes: 2, replicas: true })`; clients
 * use `d.nodes[i].proxy.url`; `await d.stop()`.
 */
export class LocalDeployment {
  readonly nodes: ReadonlyArray<LocalNode>
  /** The Sentinels watching the primaries (none unless asked for). */
  readonly sentinels: ReadonlyArray<RedisServer>
  /** Connections subscribed to the Sentinels' `+switch-master` events. */
  private readonly watchers: Array<Redis> = []
  /** Per node, how many times its replica took over, and who waits for the next. */
  private readonly switches: Array<number>
  private readonly switchWaiters: Array<Array<() => void>>
  private stopped = false

  private constructor(nodes: ReadonlyArray<LocalNode>, sentinels: ReadonlyArray<RedisServer>) {
    this.nodes = nodes
    this.sentinels = sentinels
    this.switches = nodes.map(() => 0)
    this.switchWaiters = nodes.map(() => [])
  }

  static async start(opts: LocalDeploymentOptions): Promise<LocalDeployment> {
    const started: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = []
    try {
      const nodes: Array<LocalNode> = []
      for (let i = 0; i < opts.nodes; i++) {
        const aof = opts.aof ? { dir: mkdtempSync(join(tmpdir(), "huntbench-redis-")), sizes: [] } : undefined
        if (aof) started.push({ stop: async () => rmSync(aof.dir, { recursive: true, force: true }) })
        const primary = await startRedisServer(aof ? { dir: aof.dir, args: AOF_ARGS } : {})
        started.push(primary)
        const replLink = opts.replicas && !opts.directReplication ? await FaultProxy.start({ host: "127.0.0.1", port: primary.port }) : undefined
        if (replLink) started.push(replLink)
        const replica = opts.replicas ? await startRedisServer({ replicaOf: replLink?.port ?? primary.port }) : undefined
        if (replica) started.push(replica)
        const proxy = await FaultProxy.start({ host: "127.0.0.1", port: primary.port })
        started.push(proxy)
        nodes.push({ index: i, primary, replica, proxy, replLink, aof })
      }
      await Promise.all(nodes.flatMap((n) => (n.replica ? [replicaInSync(n.replica)] : [])))
      const sentinels = opts.sentinel ? await startSentinels(nodes.map((n) => ({ node: n.index, port: n.primary.port })), opts.sentinel.downAfterMs, (sentinel) => started.push(sentinel)) : []
      const d = new LocalDeployment(nodes, sentinels)
      started.push(d)
      if (opts.aof) {
        for (const n of nodes) d.aofPrimary.add(n.index)
        d.sampler = setInterval(() => d.sampleAof(), 20)
      }
      await d.watch()
      return d
    } catch (e) {
      for (const s of started.reverse()) await ("stop" in s ? s.stop() : s.close()).catch(() => undefined)
      throw e
    }
  }

  /** Once every Sentinel has found the others and the replicas, follow their switches. */
  private async watch(): Promise<void> {
    for (const sentinel of this.sentinels) {
      await awaitDiscovery(sentinel, this.nodes.map((n) => ({ node: n.index, hasReplica: n.replica !== undefined })))
      this.watchers.push(
        await watchSwitches(sentinel, (i, port) => {
          if (i < this.nodes.length) this.takeOver(i, port)
        })
      )
    }
  }

  /**
   * Node `i`'s replica on `port` is primary now (Sentinel or we promoted it): retire the old
   * primary (killed: a demoted primary must not take writes; it may be dead already) and
   * redirect the clients — the proxy resets their connections and sends new ones there.
   * Every Sentinel tells of the same switch; the first one does it.
   */
  private takeOver(i: number, port: number): void {
    const n = this.nodes[i]
    if (!n.replica || n.replica.port !== port) return
    this.aofPrimary.delete(i)
    this.killedAt.delete(i)
    this.retired.add(n.primary)
    n.primary.process.kill("SIGKILL")
    n.primary = n.replica
    n.replica = undefined
    void n.replLink?.close()
    n.replLink = undefined
    n.proxy.retarget({ host: "127.0.0.1", port: n.primary.port })
    this.switches[i]++
    for (const w of this.switchWaiters[i].splice(0)) w()
    for (const l of this.switchListeners) l(i)
  }

  private readonly switchListeners: Array<(node: number) => void> = []

  /** Call `listener` with the node each time a node's replica takes over. */
  onSwitch(listener: (node: number) => void): void {
    this.switchListeners.push(listener)
  }

  /** How many times node `i`'s replica has taken over so far. */
  switchCount(i: number): number {
    return this.switches[i]
  }

  /** Wait until node `i`'s replica has taken over more than `count` times; false after `ms`. */
  awaitSwitch(i: number, count: number, ms: number): Promise<boolean> {
    if (this.switches[i] > count) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      this.switchWaiters[i].push(() => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  /**
   * A failover through Sentinel (`SENTINEL FAILOVER`): the clients' link is held first, so no
   * write reaches the old primary after the replica stopped following it (Redis's own
   * FAILOVER pauses writes the same way), and they go on with the new primary once Sentinel
   * announces it. What the replica lacked is lost.
   */
  async sentinelFailover(i: number): Promise<void> {
    const n = this.nodes[i]
    if (this.sentinels.length === 0) throw new RedisServerError({ message: "no Sentinels watch this deployment" })
    if (!n.replica) throw new RedisServerError({ message: `node ${i} has no replica to fail over to` })
    const toxics = n.proxy.toxics
    const count = this.switches[i]
    n.proxy.set({ ...toxics, hold: true })
    try {
      await requestFailover(this.sentinels[0], i)
      if (!(await this.awaitSwitch(i, count, 15_000))) throw new RedisServerError({ message: `Sentinel did not fail node ${i} over within 15 s` })
    } finally {
      n.proxy.set(toxics)
    }
  }

  /** Samples each AOF's size every 20 ms, so a restart from disk can cut it back in time. */
  private sampler: ReturnType<typeof setInterval> | undefined
  /** The nodes whose primary writes the node's AOF (until a replica is promoted there). */
  private readonly aofPrimary = new Set<number>()
  /** When each node's primary was last killed. */
  private readonly killedAt = new Map<number, number>()

  private sampleAof(): void {
    const now = performance.now()
    for (const n of this.nodes) {
      if (!n.aof || !this.aofPrimary.has(n.index) || this.killedAt.has(n.index)) continue
      const file = incrAof(n.aof.dir)
      if (file === undefined) continue
      n.aof.sizes.push([now, statSync(file).size])
      // Keep ten seconds: far more than the fsync interval a restart looks back.
      while (n.aof.sizes.length > 1 && n.aof.sizes[0][0] < now - 10_000) n.aof.sizes.shift()
    }
  }

  /** For a primary of node `i` started afresh: its AOF emptied, and the options to write it. */
  private freshAof(i: number): { dir?: string; args?: ReadonlyArray<string> } {
    const n = this.nodes[i]
    if (!n.aof || !this.aofPrimary.has(i)) return {}
    rmSync(join(n.aof.dir, "appendonlydir"), { recursive: true, force: true })
    n.aof.sizes.length = 0
    return { dir: n.aof.dir, args: AOF_ARGS }
  }

  /**
   * Start node `i`'s killed primary again where it listened, from its AOF as a machine that
   * lost power would find it: the writes of the last `unsyncedMs` before the kill, not yet
   * fsync'd, are gone. (A process kill alone loses nothing — the kernel keeps what Redis
   * wrote — so the AOF is cut back to its size `unsyncedMs` before the kill, sampled every
   * 20 ms.) A replica resyncs from it and so has the same.
   */
  async restartFromDisk(i: number, unsyncedMs: number): Promise<void> {
    const n = this.nodes[i]
    if (!n.aof || !this.aofPrimary.has(i)) throw new RedisServerError({ message: `node ${i}'s primary has no AOF to restart from (a replica promoted since has none)` })
    const aof = n.aof
    const killedAt = this.killedAt.get(i) ?? performance.now()
    await this.restartPrimary(i, () => {
      const file = incrAof(aof.dir)
      if (file !== undefined) {
        const kept = aof.sizes.filter(([at]) => at <= killedAt - unsyncedMs).at(-1)?.[1] ?? 0
        if (kept < statSync(file).size) truncateSync(file, kept)
      }
      aof.sizes.length = 0
      return { dir: aof.dir, args: AOF_ARGS }
    })
  }

  /** Every process and proxy of the deployment, stopped (idempotent). */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (this.sampler) clearInterval(this.sampler)
    for (const w of this.watchers) w.disconnect()
    await Promise.all(this.sentinels.map((s) => s.stop()))
    for (const n of this.nodes) {
      await n.proxy.close()
      await n.replLink?.close()
    }
    await Promise.all([...this.nodes.flatMap((n) => [n.primary.stop(), ...(n.replica ? [n.replica.stop()] : [])]), ...[...this.retired].map((r) => r.stop())])
    for (const n of this.nodes) if (n.aof) rmSync(n.aof.dir, { recursive: true, force: true })
  }

  /** Processes replaced by a restart or a promotion, stopped with the rest. */
  private readonly retired = new Set<RedisServer>()

  /**
   * Stop node `i`'s primary until `resume`: SIGSTOP (it answers nothing, its connections
   * hang) or, `writesOnly`, CLIENT PAUSE WRITE (writes wait, reads are served) — for `ms` at
   * most, in case nobody resumes it.
   */
  pause(i: number, ms: number, writesOnly = false): void {
    const n = this.nodes[i]
    if (!writesOnly) n.primary.process.kill("SIGSTOP")
    else void adminCall(n.primary, "CLIENT", "PAUSE", String(Math.max(1, Math.ceil(ms))), "WRITE").catch(() => undefined)
  }

  /** Continue node `i`'s paused primary (SIGCONT, or CLIENT UNPAUSE after a write pause). */
  resume(i: number, writesOnly = false): void {
    const n = this.nodes[i]
    if (!writesOnly) n.primary.process.kill("SIGCONT")
    else void adminCall(n.primary, "CLIENT", "UNPAUSE").catch(() => undefined)
  }

  /** Kill node `i`'s primary at once (SIGKILL: no shutdown, nothing saved). */
  kill(i: number): void {
    this.killedAt.set(i, performance.now())
    this.nodes[i].primary.process.kill("SIGKILL")
  }

  /**
   * Start node `i`'s primary again, empty, where the killed one listened; a replica that
   * follows it resyncs from it (and so loses everything too, as it would in production).
   */
  async restartEmpty(i: number): Promise<void> {
    await this.restartPrimary(i, () => this.freshAof(i))
  }

  /**
   * Node `i`'s killed primary stopped for good (it is retired meanwhile, so a stop of the
   * deployment still reaches it), then a new one started where it listened with `options()`
   * (called in between, once the old process is gone).
   */
  private async restartPrimary(i: number, options: () => { replicaOf?: number; dir?: string; args?: ReadonlyArray<string> }): Promise<void> {
    const n = this.nodes[i]
    this.retired.add(n.primary)
    await n.primary.stop()
    this.retired.delete(n.primary)
    n.primary = await startRedisServer({ port: n.primary.port, ...options() })
    this.killedAt.delete(i)
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
    const replica = n.replica
    await this.restartPrimary(i, () => ({ replicaOf: replica.port, ...this.freshAof(i) }))
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
    this.takeOver(i, n.replica.port)
  }

  /** Give node `i` a replica again: a fresh process that syncs from the current primary. */
  async rejoin(i: number): Promise<void> {
    const n = this.nodes[i]
    if (n.replica) return
    n.replLink = await FaultProxy.start({ host: "127.0.0.1", port: n.primary.port })
    n.replica = await startRedisServer({ replicaOf: n.replLink.port })
    await replicaInSync(n.replica)
  }

  /** The processes it runs (primaries, replicas, Sentinels), for checks that none outlives it. */
  get pids(): ReadonlyArray<number> {
    return [...this.nodes.flatMap((n) => [n.primary.process.pid, n.replica?.process.pid]), ...this.sentinels.map((s) => s.process.pid)].filter((p): p is number => p !== undefined)
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
