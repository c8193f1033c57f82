/**
 * Real fault injection: a scenario's fault timeline applied, on the live run's virtual clock,
 * to the Redis deployment huntbench started for it (`--target local`) — the same timeline
 * the model simulates (src/faults.ts), so a live run and a simulated one mean the same thing.
 *
 * Injected today: `latencySpike` (scope `script`) as a spin of `extraMs` at the start of
 * every claim script on the node (the script's optional last argument); `linkLatency`,
 * `partition` and `connectionReset` on the node's fault proxy
 * (overlapping windows combine: delays add, any partition holds, the highest reset
 * probability wins); `pause` as SIGSTOP/SIGCONT of the node's primary; `replicationLag` as
 * delay on the replication link's proxy; and the state-losing kinds as the model times them
 * (src/faults.ts): `crash` kills the primary (SIGKILL) — with a replica and a crash longer
 * than detection, the replica is promoted after `detectionMs` and the node gets a fresh
 * replica when the window ends, otherwise the primary comes back empty then; `restart`
 * kills it and starts it at the window's end, empty or loaded from its replica; `failover` (`via:
 * "promote"`) promotes the replica at once and rejoins one at the end. After an empty start
 * the node's artifacts are seeded again (the game re-creates them; the wins are gone).
 * Every fault is undone at the end of its window, and what is still applied when the
 * injector stops (the run's end, a failure or Ctrl-C). Other kinds are refused before the
 * run starts (`notInjectable`), naming the fault.
 */
import { compileFaults, type Fault } from "../../src/faults.ts"
import type { Scenario } from "../../src/scenario.ts"
import type { Toxics } from "./proxy.ts"
import type { LocalDeployment } from "../redis/deployment.ts"

/** The kinds a live run can inject into a local deployment. */
export const injectableKinds: ReadonlyArray<Fault["kind"]> = ["linkLatency", "partition", "connectionReset", "pause", "replicationLag", "crash", "restart", "failover", "latencySpike"]

/** Why fault `f` cannot be injected yet, or undefined. */
const notYet = (f: Fault): string | undefined =>
  !injectableKinds.includes(f.kind)
    ? `${f.kind} cannot be injected into real processes yet`
    : f.kind === "restart" && f.from === "disk"
      ? `a restart from disk cannot be injected yet (from "empty" and "replica" can)`
      : f.kind === "failover" && f.via !== "promote"
        ? `a failover via ${f.via} cannot be injected yet (via "promote" can)`
        : f.kind === "latencySpike" && f.scope !== "script"
          ? `a node-wide latency spike cannot be injected yet (scope "script" can)`
          : undefined

/**
 * The first fault of `s` a live run cannot inject yet, as a field and a message; undefined
 * when all can. Example: `notInjectable(s)?.field === "faults[2].kind"`.
 */
export const notInjectable = (s: Scenario): { readonly field: string; readonly message: string } | undefined => {
  const i = s.faults.findIndex((f) => notYet(f) !== undefined)
  if (i < 0) return undefined
  const f = s.faults[i]
  return {
    field: `faults[${i}].${!injectableKinds.includes(f.kind) ? "kind" : f.kind === "restart" ? "from" : f.kind === "failover" ? "via" : "scope"}`,
    message: `${notYet(f)} (live runs inject ${injectableKinds.join(", ")}); run it in simulation, or drop the faults with --no-faults`
  }
}

/** What the injector needs besides the deployment: re-seeding a node that came back empty. */
export interface InjectorHooks {
  readonly onInjection?: (i: Injection) => void
  /** Seed node `node`'s artifacts again (after an empty start). */
  readonly reseed?: (node: number) => Promise<void>
  /** A chaos operation failed (the run goes on; the report will show what happened). */
  readonly onError?: (message: string) => void
  /** Make every claim on `node` spin `ms` in the script first (0: none) — a script latency spike. */
  readonly scriptDelay?: (node: number, ms: number) => void
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
  private readonly deployment: LocalDeployment
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
  private readonly paused = new Set<number>()
  /** Crashes being failed over (promoted at detection), by fault index. */
  private readonly failingOver = new Set<number>()

  constructor(s: Scenario, deployment: LocalDeployment, hooks: InjectorHooks = {}) {
    const bad = notInjectable(s)
    if (bad) throw new Error(`${bad.field}: ${bad.message}`)
    this.s = s
    this.deployment = deployment
    this.hooks = hooks
    this.scale = hooks.timeScale ?? 1
    const { detectionMs } = s.topology.failover
    // A crash the model fails over (it had a replica then, and lasts past detection: its loss
    // point says "failover") gets a third edge: the promotion, detectionMs after the kill.
    const failover = new Set(compileFaults(s).losses.filter((l) => l.kind === "failover").map((l) => l.fault))
    this.edges = s.faults
      .flatMap((f, i) => [
        [f.atMs, i, true] as const,
        [f.atMs + f.durationMs, i, false] as const,
        ...(f.kind === "crash" && failover.has(i) ? [[f.atMs + detectionMs, i, "promote"] as const] : [])
      ])
      .sort((a, b) => a[0] - b[0] || order(a[2]) - order(b[2]) || a[1] - b[1]) // at a tie, ends first
    this.activeLinks = deployment.nodes.map(() => new Set<number>())
    this.spikes = deployment.nodes.map(() => new Set<number>())
    this.chains = deployment.nodes.map(() => Promise.resolve())
  }

  /** Run `op` on node `node` after what is under way there. */
  private chain(node: number, what: string, op: () => Promise<void>): void {
    this.chains[node] = this.chains[node].then(op).catch((e: unknown) => this.hooks.onError?.(`${what} on node ${node}: ${e instanceof Error ? e.message : String(e)}`))
  }

  /** Apply every start and end due by virtual time `virtualMs`. */
  tick(virtualMs: number): void {
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
      case "pause":
        node.primary.process.kill(start ? "SIGSTOP" : "SIGCONT")
        if (start) this.paused.add(f.target)
        else this.paused.delete(f.target)
        break
      case "latencySpike": {
        if (start) this.spikes[t].add(i)
        else this.spikes[t].delete(i)
        let ms = 0
        for (const j of this.spikes[t]) {
          const g = this.s.faults[j]
          if (g.kind === "latencySpike") ms += g.extraMs
        }
        this.hooks.scriptDelay?.(t, ms / this.scale)
        break
      }
      case "replicationLag":
        if (start) this.lagging.add(t)
        else this.lagging.delete(t)
        node.replLink?.set(start ? { latencyMs: f.lagMs / this.scale, direction: "down" } : {})
        break
      case "crash":
      case "restart":
        if (start) this.chain(t, "killing the primary", async () => d.kill(t))
        else if (this.failingOver.delete(i)) this.chain(t, "rejoining a replica", () => d.rejoin(t))
        else if (f.kind === "restart" && f.from === "replica") this.chain(t, "restarting the primary from its replica", () => d.restartFromReplica(t))
        else this.chain(t, "restarting the primary empty", () => this.restartEmpty(t))
        break
      case "failover":
        this.chain(t, start ? "promoting the replica" : "rejoining a replica", () => (start ? d.promote(t) : d.rejoin(t)))
        break
    }
    this.record(i, start ? "start" : "end", at)
  }

  private async restartEmpty(node: number): Promise<void> {
    await this.deployment.restartEmpty(node)
    await this.hooks.reseed?.(node)
  }

  private record(i: number, action: Injection["action"], at: number): void {
    const f = this.s.faults[i]
    const entry: Injection = { fault: i, kind: f.kind, node: f.target, action, atMs: at }
    this.log.push(entry)
    this.hooks.onInjection?.(entry)
  }

  /** The proxy's toxics for the link faults active on `node`. */
  private linkToxics(node: number): Toxics {
    let latencyMs = 0, jitterMs = 0, hold = false, resetProbability = 0
    for (const i of this.activeLinks[node]) {
      const f = this.s.faults[i]
      if (f.kind === "linkLatency") {
        latencyMs += f.extraMs
        jitterMs += f.jitterMs
      } else if (f.kind === "partition") hold = true
      else if (f.kind === "connectionReset") resetProbability = Math.max(resetProbability, f.probability)
    }
    return { latencyMs: latencyMs / this.scale, jitterMs: jitterMs / this.scale, hold, resetProbability }
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
    for (const node of this.paused) this.deployment.nodes[node].primary.process.kill("SIGCONT")
    this.paused.clear()
    for (const node of this.lagging) this.deployment.nodes[node].replLink?.clear()
    this.lagging.clear()
    this.spikes.forEach((set, node) => {
      if (set.size > 0) this.hooks.scriptDelay?.(node, 0)
      set.clear()
    })
    await Promise.all(this.chains)
  }
}
