/**
 * Real fault injection: a scenario's fault timeline applied, on the live run's virtual clock,
 * to the Redis deployment huntbench started for it (`--target local`) — the same timeline
 * the model simulates (src/faults.ts), so a live run and a simulated one mean the same thing.
 *
 * Injected today: `linkLatency`, `partition` and `connectionReset` on the node's fault proxy
 * (overlapping windows combine: delays add, any partition holds, the highest reset
 * probability wins), and `pause` as SIGSTOP/SIGCONT of the node's primary. Every fault is
 * undone at the end of its window, and everything still applied is undone when the injector
 * stops (the run's end, a failure or Ctrl-C). Other kinds are refused before the run starts
 * (`notInjectable`), naming the fault.
 */
import type { Fault } from "../../src/faults.ts"
import type { Scenario } from "../../src/scenario.ts"
import type { Toxics } from "./proxy.ts"
import type { LocalDeployment } from "../redis/deployment.ts"

/** The kinds a live run can inject into a local deployment. */
export const injectableKinds: ReadonlyArray<Fault["kind"]> = ["linkLatency", "partition", "connectionReset", "pause"]

/**
 * The first fault of `s` a live run cannot inject yet, as a field and a message; undefined
 * when all can. Example: `notInjectable(s)?.field === "faults[2].kind"`.
 */
export const notInjectable = (s: Scenario): { readonly field: string; readonly message: string } | undefined => {
  const i = s.faults.findIndex((f) => !injectableKinds.includes(f.kind))
  if (i < 0) return undefined
  return {
    field: `faults[${i}].kind`,
    message: `${s.faults[i].kind} cannot be injected into real processes yet (live runs inject ${injectableKinds.join(", ")}); run it in simulation, or drop the faults with --no-faults`
  }
}

/** One thing the injector did, on the run's virtual clock. */
export interface Injection {
  readonly fault: number
  readonly kind: Fault["kind"]
  readonly node: number
  readonly action: "start" | "end"
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
  private readonly onInjection: ((i: Injection) => void) | undefined
  /** Fault edges in time order: [time, fault index, start?]. */
  private readonly edges: Array<readonly [number, number, boolean]>
  private next = 0
  /** Per node, the link faults active now. */
  private readonly activeLinks: Array<Set<number>>
  private readonly paused = new Set<number>()

  constructor(s: Scenario, deployment: LocalDeployment, onInjection?: (i: Injection) => void) {
    const bad = notInjectable(s)
    if (bad) throw new Error(`${bad.field}: ${bad.message}`)
    this.s = s
    this.deployment = deployment
    this.onInjection = onInjection
    this.edges = s.faults
      .flatMap((f, i) => [[f.atMs, i, true] as const, [f.atMs + f.durationMs, i, false] as const])
      .sort((a, b) => a[0] - b[0] || Number(a[2]) - Number(b[2]) || a[1] - b[1]) // at a tie, ends first
    this.activeLinks = deployment.nodes.map(() => new Set<number>())
  }

  /** Apply every start and end due by virtual time `virtualMs`. */
  tick(virtualMs: number): void {
    while (this.next < this.edges.length && this.edges[this.next][0] <= virtualMs) {
      const [at, i, start] = this.edges[this.next++]
      this.apply(i, start, at)
    }
  }

  private apply(i: number, start: boolean, at: number): void {
    const f = this.s.faults[i]
    const node = this.deployment.nodes[f.target]
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
    }
    const entry: Injection = { fault: i, kind: f.kind, node: f.target, action: start ? "start" : "end", atMs: at }
    this.log.push(entry)
    this.onInjection?.(entry)
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
    return { latencyMs, jitterMs, hold, resetProbability }
  }

  /** Undo whatever is still applied: proxies cleared, paused primaries continued. Idempotent. */
  stop(): void {
    this.next = this.edges.length
    this.deployment.nodes.forEach((n, i) => {
      if (this.activeLinks[i].size > 0) {
        this.activeLinks[i].clear()
        n.proxy.clear()
      }
    })
    for (const node of this.paused) this.deployment.nodes[node].primary.process.kill("SIGCONT")
    this.paused.clear()
  }
}
