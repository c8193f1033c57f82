/**
 * Real fault injection: a scenario's fault timeline applied, on the live run's virtual clock,
 * to real Redis — the same timeline the model simulates (src/faults.ts), so a live run and a
 * simulated one mean the same thing.
 *
 * On a deployment huntbench started (`--target local`, a `ChaosTarget` with processes):
 * `latencySpike` as a spin of `extraMs` on the server at the start of every claim script
 * (node-wide: every balance read too); `linkLatency`, `partition` and `connectionReset` on
 * the node's fault proxy (overlapping windows combine: delays add, any partition holds, the
 * highest reset probability wins); `pause` as SIGSTOP/SIGCONT of the primary (mode
 * "writes": CLIENT PAUSE WRITE, then CLIENT UNPAUSE);
 * `replicationLag` as delay on the replication link's proxy; and the state-losing kinds as
 * the model times them: `crash` kills the primary (SIGKILL) — when the model fails it over,
 * the deployment's Sentinels detect it and promote the replica (without Sentinels, the
 * injector promotes after `detectionMs`), and the node gets a fresh replica at the window's
 * end; otherwise the primary comes back empty then; `restart` kills it and starts it at
 * the window's end, empty, from its AOF (cut back to a second before the kill) or loaded
 * from its replica; `failover` promotes the replica through Sentinel or directly, and
 * rejoins one at the end. After an empty start the node's artifacts are seeded again.
 * On a server huntbench did not start only link faults (its own proxies) and — allowed
 * explicitly — server-wide stalls (`pause` as CLIENT PAUSE ALL or WRITE, `latencySpike`) can be
 * injected. Every fault is undone at the end of its window, and what is still applied when
 * the injector stops (the run's end, a failure or Ctrl-C). What cannot be injected is
 * refused before the run starts (`notInjectable`), naming the fault.
 */
import { AOF_FSYNC_MS, compileFaults, type Fault } from "../../src/faults.ts"
import type { Scenario } from "../../src/scenario.ts"
import type { FaultProxy, Toxics } from "./proxy.ts"

/**
 * What the injector acts on: per node the fault proxy clients connect through (and the
 * replication link's), and the operations on the node's processes. A deployment huntbench
 * started (adapters/redis/deployment.ts) has them all; a server it did not start
 * (adapters/redis/remote-chaos.ts) has the proxies and a server-wide pause, and refuses the
 * rest — which `notInjectable` refuses before the run anyway.
 */
export interface ChaosTarget {
  readonly nodes: ReadonlyArray<{ readonly proxy: FaultProxy; readonly replLink?: FaultProxy | undefined }>
  readonly sentinels: ReadonlyArray<unknown>
  /** Stop node `i` serving (only writes: `writesOnly`) for `ms` (wall) — or until `resume`. */
  pause(i: number, ms: number, writesOnly: boolean): void
  resume(i: number, writesOnly: boolean): void
  kill(i: number): void
  restartEmpty(i: number): Promise<void>
  restartFromReplica(i: number): Promise<void>
  restartFromDisk(i: number, unsyncedMs: number): Promise<void>
  promote(i: number): Promise<void>
  rejoin(i: number): Promise<void>
  sentinelFailover(i: number): Promise<void>
  switchCount(i: number): number
  awaitSwitch(i: number, count: number, ms: number): Promise<boolean>
  onSwitch(listener: (node: number) => void): void
}

/** Where a live run injects: a deployment huntbench started, or a server it did not (named). */
export interface FaultScope {
  readonly owned: boolean
  readonly allowDestructive: boolean
  readonly name: string
}

/** Kinds that act only on huntbench's own connections (its fault proxy, its pool): safe on any server. */
const linkKinds: ReadonlyArray<Fault["kind"]> = ["linkLatency", "partition", "connectionReset", "poolShrink"]
/** Kinds that stall the whole server, every client's commands: destructive on a server huntbench did not start. */
const serverKinds: ReadonlyArray<Fault["kind"]> = ["pause", "latencySpike"]

/**
 * Whether a local deployment for `s` runs Sentinels: when the timeline fails a node over the
 * way Sentinel does — a `failover` via "sentinel", or a crash the model fails over (it has a
 * replica and lasts past detection), which Sentinel then detects for real.
 * Example: `needsSentinel(s) ? { downAfterMs: s.topology.failover.detectionMs } : undefined`.
 */
export const needsSentinel = (s: Scenario): boolean => s.faults.some((f) => f.kind === "failover" && f.via === "sentinel") || crashesFailedOver(s).size > 0

/** The crashes the model fails over (a replica then, and past detection: their loss point says "failover"), by fault index. */
const crashesFailedOver = (s: Scenario): ReadonlySet<number> =>
  new Set(compileFaults(s).losses.filter((l) => l.kind === "failover" && s.faults[l.fault].kind === "crash").map((l) => l.fault))

/**
 * What a live run at `timeScale` asks of the store it opens for `s`: with faults, each node's
 * commands through a fault proxy (`proxied`); Sentinels that notice a dead primary after the
 * scenario's detection time, on the wall clock, and AOFs for restarts from disk.
 * Example: `target.open({ ...live.storeConfig, ...deploymentFor(s, 1) })`.
 */
export const deploymentFor = (s: Scenario, timeScale: number): { readonly proxied?: boolean; readonly sentinel?: { readonly downAfterMs: number }; readonly aof?: boolean } => ({
  ...(s.faults.length > 0 ? { proxied: true } : {}),
  ...(needsSentinel(s) ? { sentinel: { downAfterMs: s.topology.failover.detectionMs / timeScale } } : {}),
  ...(s.faults.some((f) => f.kind === "restart" && f.from === "disk") ? { aof: true } : {})
})

/** Why fault `i` of `s` cannot be injected, as the field at fault and a message, or undefined. */
const notYet = (s: Scenario, i: number, scope: FaultScope): { readonly field: string; readonly message: string } | undefined => {
  const f = s.faults[i]
  const at = (field: string, message: string) => ({ field: `faults[${i}].${field}`, message })
  if (!scope.owned && !linkKinds.includes(f.kind) && !serverKinds.includes(f.kind))
    return at("kind", `${f.kind} needs processes huntbench started (--target local), never ${scope.name}, a server it does not own; there it injects ${linkKinds.join(", ")} (through its own fault proxy and pool), and with --allow-destructive ${serverKinds.join(", ")}`)
  if (!scope.owned && serverKinds.includes(f.kind) && !scope.allowDestructive)
    return at("kind", `${f.kind} would stall every client of ${scope.name}, a server huntbench did not start: pass --allow-destructive to inject it there anyway, or use --target local`)
  if (!scope.owned && serverKinds.includes(f.kind) && s.topology.nodes > 1)
    return at(
      "target",
      `${f.kind} on ${scope.name} stalls the one server that holds all ${s.topology.nodes} nodes' buckets, where the model stalls node ${f.target} alone: set topology.nodes to 1 for this target, or use --target local`
    )
  if (scope.owned && ((f.kind === "pause" && f.mode !== "writes") || f.kind === "restart") && needsSentinel(s) && f.durationMs >= s.topology.failover.detectionMs)
    return at(
      "durationMs",
      `a ${f.kind} of ${f.durationMs} ms is at least topology.failover.detectionMs (${s.topology.failover.detectionMs} ms): the Sentinels this timeline needs would fail the node over, which the model's ${f.kind} does not do`
    )
  return undefined
}

/**
 * The first fault of `s` a live run cannot inject, as a field and a message; undefined
 * when all can. Example: `notInjectable(s)?.field === "faults[2].kind"`.
 */
export const notInjectable = (s: Scenario, scope: FaultScope = { owned: true, allowDestructive: true, name: "local" }): { readonly field: string; readonly message: string } | undefined => {
  for (let i = 0; i < s.faults.length; i++) {
    const bad = notYet(s, i, scope)
    if (bad)
      return {
        field: bad.field,
        message: `${bad.message}; run it in simulation, or drop the faults with --no-faults`
      }
  }
  return undefined
}

/** What the injector needs besides the deployment: re-seeding a node that came back empty. */
export interface InjectorHooks {
  readonly onInjection?: (i: Injection) => void
  /** Seed node `node`'s artifacts again (after an empty start). */
  readonly reseed?: (node: number) => Promise<void>
  /** A chaos operation failed (the run goes on; the report will show what happened). */
  readonly onError?: (message: string) => void
  /**
   * Make every claim on `node` spin `claimMs` on the server first, and every balance read
   * `balanceMs` (0: none) — a latency spike (a node-wide one slows both).
   */
  readonly scriptDelay?: (node: number, claimMs: number, balanceMs: number) => void
  /** Virtual ms per wall ms of the live run (default 1): injected delays are wall time. */
  readonly timeScale?: number
}

/** Edge order at one instant: ends, then promotions, then starts. */
const order = (e: boolean | "promote"): number => (e === false ? 0 : e === "promote" ? 1 : 2)

/** One thing the injector did, on the run's virtual clock. */
export interface Injection {
  readonly fault: number
  readonly kind: Fault["kind"]
  readonly node: number
  readonly action: "start" | "end" | "promote"
  readonly atMs: number
}

/**
 * Example: `const inj = new FaultInjector(s, deployment)`; the live loop calls
 * `inj.tick(virtualMs)`; `inj.stop()` when the run ends.
 */
export class FaultInjector {
  /** What was applied and undone, in order. */
  readonly log: Array<Injection> = []
  private readonly s: Scenario
  private readonly deployment: ChaosTarget
  private readonly hooks: InjectorHooks
  private readonly scale: number
  /** Chaos operations under way (restarts, promotions), in order per node. */
  private readonly chains: Array<Promise<void>>
  private readonly lagging = new Set<number>()
  /** Per node, the script latency spikes active now. */
  private readonly spikes: Array<Set<number>>
  /** Fault edges in time order: [time, fault index, start?]. */
  private readonly edges: Array<readonly [number, number, boolean | "promote"]>
  private next = 0
  /** Per node, the link faults active now. */
  private readonly activeLinks: Array<Set<number>>
  /** Paused nodes, and whether only their writes are. */
  private readonly paused = new Map<number, boolean>()
  /** Crashes being failed over (promoted at detection), by fault index. */
  private readonly failingOver = new Set<number>()
  /** The crashes the model fails over, by fault index. */
  private readonly failsOver: ReadonlySet<number>
  /** Per node, the crash Sentinel is to fail over: its fault index, and the node's switches before it. */
  private readonly crashed = new Map<number, { readonly fault: number; readonly switchesBefore: number }>()
  /** The last virtual time ticked. */
  private now = 0

  constructor(s: Scenario, deployment: ChaosTarget, hooks: InjectorHooks = {}, scope?: FaultScope) {
    const bad = notInjectable(s, scope)
    if (bad) throw new Error(`${bad.field}: ${bad.message}`)
    this.s = s
    this.deployment = deployment
    this.hooks = hooks
    this.scale = hooks.timeScale ?? 1
    const { detectionMs } = s.topology.failover
    // A crash the model fails over (it had a replica then, and lasts past detection: its loss
    // point says "failover"): Sentinel detects it when the deployment runs Sentinels;
    // otherwise it gets a third edge, the promotion, detectionMs after the kill.
    this.failsOver = crashesFailedOver(s)
    const bySentinel = deployment.sentinels.length > 0
    this.edges = s.faults
      .flatMap((f, i) => [
        [f.atMs, i, true] as const,
        [f.atMs + f.durationMs, i, false] as const,
        ...(this.failsOver.has(i) && !bySentinel ? [[f.atMs + detectionMs, i, "promote"] as const] : [])
      ])
      .sort((a, b) => a[0] - b[0] || order(a[2]) - order(b[2]) || a[1] - b[1]) // at a tie, ends first
    this.activeLinks = deployment.nodes.map(() => new Set<number>())
    this.spikes = deployment.nodes.map(() => new Set<number>())
    this.chains = deployment.nodes.map(() => Promise.resolve())
    deployment.onSwitch((node) => {
      const crash = this.crashed.get(node)
      if (crash !== undefined) this.record(crash.fault, "promote", this.now)
    })
  }

  /** Run `op` on node `node` after what is under way there. */
  private chain(node: number, what: string, op: () => Promise<void>): void {
    this.chains[node] = this.chains[node].then(op).catch((e: unknown) => this.hooks.onError?.(`${what} on node ${node}: ${e instanceof Error ? e.message : String(e)}`))
  }

  /** Apply every start and end due by virtual time `virtualMs`. */
  tick(virtualMs: number): void {
    this.now = virtualMs
    while (this.next < this.edges.length && this.edges[this.next][0] <= virtualMs) {
      const [at, i, start] = this.edges[this.next++]
      this.apply(i, start, at)
    }
  }

  private apply(i: number, edge: boolean | "promote", at: number): void {
    const f = this.s.faults[i]
    const node = this.deployment.nodes[f.target]
    const d = this.deployment, t = f.target
    if (edge === "promote") {
      this.failingOver.add(i)
      this.chain(t, "promoting the replica", () => d.promote(t))
      this.record(i, "promote", at)
      return
    }
    const start = edge
    switch (f.kind) {
      case "linkLatency":
      case "partition":
      case "connectionReset":
        if (start) this.activeLinks[f.target].add(i)
        else this.activeLinks[f.target].delete(i)
        node.proxy.set(this.linkToxics(f.target))
        break
      case "pause": {
        const writesOnly = f.mode === "writes"
        if (start) d.pause(t, f.durationMs / this.scale, writesOnly)
        else d.resume(t, writesOnly)
        if (start) this.paused.set(t, writesOnly)
        else this.paused.delete(t)
        break
      }
      case "latencySpike": {
        if (start) this.spikes[t].add(i)
        else this.spikes[t].delete(i)
        let claimMs = 0, balanceMs = 0
        for (const j of this.spikes[t]) {
          const g = this.s.faults[j]
          if (g.kind !== "latencySpike") continue
          claimMs += g.extraMs
          if (g.scope === "node") balanceMs += g.extraMs
        }
        this.hooks.scriptDelay?.(t, claimMs / this.scale, balanceMs / this.scale)
        break
      }
      case "poolShrink":
        break // the client's own pool: the live mode resizes it on the run's clock (sim/live.ts)
      case "replicationLag":
        if (start) this.lagging.add(t)
        else this.lagging.delete(t)
        node.replLink?.set(start ? { latencyMs: f.lagMs / this.scale, direction: "down" } : {})
        break
      case "crash":
      case "restart": {
        if (start && f.kind === "crash" && this.failsOver.has(i) && d.sentinels.length > 0) {
          // Sentinel notices and promotes; the window's end waits for it.
          this.failingOver.add(i)
          this.crashed.set(t, { fault: i, switchesBefore: d.switchCount(t) })
        }
        const failingOver = !start && this.failingOver.delete(i)
        if (start) this.chain(t, "killing the primary", async () => d.kill(t))
        else if (failingOver && d.sentinels.length > 0) {
          const before = this.crashed.get(t)?.switchesBefore ?? 0
          this.chain(t, "waiting for Sentinel", async () => {
            const switched = await d.awaitSwitch(t, before, 15_000)
            this.crashed.delete(t)
            if (switched) return d.rejoin(t)
            this.hooks.onError?.(`Sentinel did not fail node ${t} over; restarting its primary empty`)
            return this.restartEmpty(t)
          })
        } else if (failingOver) this.chain(t, "rejoining a replica", () => d.rejoin(t))
        else if (f.kind === "restart" && f.from === "replica") this.chain(t, "restarting the primary from its replica", () => d.restartFromReplica(t))
        else if (f.kind === "restart" && f.from === "disk")
          this.chain(t, "restarting the primary from its AOF", async () => {
            await d.restartFromDisk(t, AOF_FSYNC_MS / this.scale)
            // A kill within a second of the start cuts the AOF back past the artifacts' seeding;
            // seeding again restores them (their winners, if any survived, are kept).
            await this.reseed(t)
          })
        else this.chain(t, "restarting the primary empty", () => this.restartEmpty(t))
        break
      }
      case "failover":
        if (!start) this.chain(t, "rejoining a replica", () => d.rejoin(t))
        else if (f.via === "sentinel") this.chain(t, "failing over through Sentinel", () => d.sentinelFailover(t))
        else this.chain(t, "promoting the replica", () => d.promote(t))
        break
      default: {
        // Every kind is injected: a new one does not compile until it has its case here.
        const unhandled: never = f
        throw new Error(`no injection for ${JSON.stringify(unhandled)}`)
      }
    }
    this.record(i, start ? "start" : "end", at)
  }

  private async restartEmpty(node: number): Promise<void> {
    await this.deployment.restartEmpty(node)
    await this.reseed(node)
  }

  /**
   * Seed `node`'s artifacts again once its clients have reconnected to the restarted
   * process (they retry every 20 ms; a command before that fails at once): tried for 5 s.
   */
  private async reseed(node: number): Promise<void> {
    const reseed = this.hooks.reseed
    if (!reseed) return
    const end = performance.now() + 5000
    for (;;) {
      try {
        return await reseed(node)
      } catch (e) {
        if (performance.now() > end) throw e
        await new Promise((r) => setTimeout(r, 25))
      }
    }
  }

  private record(i: number, action: Injection["action"], at: number): void {
    const f = this.s.faults[i]
    const entry: Injection = { fault: i, kind: f.kind, node: f.target, action, atMs: at }
    this.log.push(entry)
    this.hooks.onInjection?.(entry)
  }

  /** The proxy's toxics for the link faults active on `node`: delays add per direction. */
  private linkToxics(node: number): Toxics {
    const up = { ms: 0, jitterMs: 0 }, down = { ms: 0, jitterMs: 0 }
    let hold = false, resetProbability = 0
    for (const i of this.activeLinks[node]) {
      const f = this.s.faults[i]
      if (f.kind === "linkLatency") {
        for (const [way, on] of [[up, f.direction !== "down"], [down, f.direction !== "up"]] as const) {
          if (!on) continue
          way.ms += f.extraMs / this.scale
          way.jitterMs += f.jitterMs / this.scale
        }
      } else if (f.kind === "partition") hold = true
      else if (f.kind === "connectionReset") resetProbability = Math.max(resetProbability, f.probability)
    }
    return { latency: { up, down }, hold, resetProbability }
  }

  /**
   * Undo whatever is still applied — proxies cleared, paused primaries continued — and wait
   * for restarts and promotions under way. Idempotent.
   */
  async stop(): Promise<void> {
    this.next = this.edges.length
    this.deployment.nodes.forEach((n, i) => {
      if (this.activeLinks[i].size > 0) {
        this.activeLinks[i].clear()
        n.proxy.clear()
      }
    })
    for (const [node, writesOnly] of this.paused) this.deployment.resume(node, writesOnly)
    this.paused.clear()
    for (const node of this.lagging) this.deployment.nodes[node].replLink?.clear()
    this.lagging.clear()
    this.spikes.forEach((set, node) => {
      if (set.size > 0) this.hooks.scriptDelay?.(node, 0, 0)
      set.clear()
    })
    await Promise.all(this.chains)
  }
}
