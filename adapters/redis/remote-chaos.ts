/**
 * Faults on a Redis server huntbench did not start (`--target redis://…`, live runs): each
 * node's commands go through an in-process fault proxy of its own in front of the server, so
 * link faults (latency, partition, reset) act on huntbench's connections only — nobody
 * else's (as does a poolShrink, on huntbench's own pool). A pause is `CLIENT PAUSE <window>
 * ALL` (or WRITE), which stalls every client of the server: injected only with
 * `--allow-destructive` (checked before the run, adapters/chaos/injector.ts), and timed to
 * end by itself (CLIENT UNPAUSE would be paused too after ALL), so an interrupted run leaves
 * no pause behind longer than the window. Everything that needs the server's processes
 * (crash, restart, failover, replication lag) is refused before the run.
 */
import type { ChaosTarget } from "../chaos/injector.ts"
import type { FaultProxy } from "../chaos/proxy.ts"

/** What an admin connection needs: one command. */
export interface AdminConnection {
  call(command: string, ...args: Array<string>): Promise<unknown>
}

const refused = (what: string): never => {
  throw new Error(`${what} needs processes huntbench started (--target local)`)
}

/** Example: `new RemoteChaos(proxies, admin, (e) => log(e))` — the live run's injector acts on it. */
export class RemoteChaos implements ChaosTarget {
  readonly nodes: ReadonlyArray<{ readonly proxy: FaultProxy }>
  readonly sentinels: ReadonlyArray<never> = []
  private readonly admin: AdminConnection
  private readonly onError: (message: string) => void

  constructor(proxies: ReadonlyArray<FaultProxy>, admin: AdminConnection, onError: (message: string) => void = () => undefined) {
    this.nodes = proxies.map((proxy) => ({ proxy }))
    this.admin = admin
    this.onError = onError
  }

  /**
   * The whole server stops answering every client — only their writes, `writesOnly` — for
   * `ms` (whichever node is named: it is one server).
   */
  pause(_i: number, ms: number, writesOnly: boolean): void {
    this.call("CLIENT", "PAUSE", String(Math.max(1, Math.round(ms))), writesOnly ? "WRITE" : "ALL")
  }

  /** A write pause is lifted (CLIENT UNPAUSE); a full one ends by itself, its UNPAUSE would wait for it. */
  resume(_i: number, writesOnly: boolean): void {
    if (writesOnly) this.call("CLIENT", "UNPAUSE")
  }

  private call(...args: [string, ...Array<string>]): void {
    this.admin.call(...args).catch((e: unknown) => this.onError(`${args.slice(0, 2).join(" ")}: ${e instanceof Error ? e.message : String(e)}`))
  }

  kill(): void {
    refused("a crash")
  }
  restartEmpty(): Promise<void> {
    return refused("a restart")
  }
  restartFromReplica(): Promise<void> {
    return refused("a restart")
  }
  restartFromDisk(): Promise<void> {
    return refused("a restart")
  }
  promote(): Promise<void> {
    return refused("a failover")
  }
  rejoin(): Promise<void> {
    return refused("a failover")
  }
  sentinelFailover(): Promise<void> {
    return refused("a failover")
  }
  switchCount(): number {
    return 0
  }
  awaitSwitch(): Promise<boolean> {
    return Promise.resolve(false)
  }
  onSwitch(): void {}
}
