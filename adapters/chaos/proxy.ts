/**
 * An in-process TCP fault proxy (Node's `net`) in front of one Redis node: clients connect
 * to the proxy's loopback port, the proxy connects to the node, and bytes pass both ways
 * through a link whose faults ("toxics") can be set and cleared while connections are open —
 * the real-world side of the model's link faults (src/faults.ts: `linkLatency`, `partition`,
 * `connectionReset`), plus a bandwidth limit.
 *
 * - latency ± jitter: each chunk is delayed, in order (a later chunk never overtakes);
 * - hold (a partition): nothing passes either way until cleared, then everything held goes
 *   through in order — as TCP retransmits across a short partition, so the RESP stream stays
 *   whole and late commands still run;
 * - reset: a chunk from the client resets the connection with this probability (an RST to
 *   both sides; the chunk is not forwarded);
 * - bandwidth: bytes per second per direction.
 * With no toxic on a direction and nothing queued, a chunk is written straight through.
 */
import { createServer, Socket, type Server } from "node:net"
import { Data, Effect } from "effect"

export class ProxyError extends Data.TaggedError("ProxyError")<{ readonly message: string }> {}

/** Faults on the link; every field optional (absent: no such fault). */
export interface Toxics {
  /** Extra one-way delay (ms), ± `jitterMs`, on the directions `direction` names. */
  readonly latencyMs?: number
  readonly jitterMs?: number
  /** A partition: nothing passes either way until the toxic is cleared. */
  readonly hold?: boolean
  /** The probability that a chunk from the client resets its connection. */
  readonly resetProbability?: number
  /** Bytes per second on each direction `direction` names. */
  readonly bytesPerSec?: number
  /** Where latency and bandwidth apply: "both" (default), "up" (client → node) or "down". */
  readonly direction?: "both" | "up" | "down"
  /** Latency ± jitter per direction, in place of `latencyMs`/`jitterMs` (each way its own). */
  readonly latency?: { readonly up: Delay; readonly down: Delay }
}

/** A one-way delay: `ms` ± `jitterMs`. */
export interface Delay {
  readonly ms: number
  readonly jitterMs: number
}

export interface ProxyStats {
  readonly connections: number
  readonly open: number
  readonly bytesUp: number
  readonly bytesDown: number
  readonly resets: number
}

/** One direction of one connection: a FIFO of chunks, each with the time it may leave. */
class Link {
  private readonly chunks: Array<Buffer> = []
  private readonly due: Array<number> = []
  private lastDue = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly proxy: FaultProxy
  private readonly dst: Socket
  private readonly up: boolean

  constructor(proxy: FaultProxy, dst: Socket, up: boolean) {
    this.proxy = proxy
    this.dst = dst
    this.up = up
  }

  push(chunk: Buffer): void {
    const t = this.proxy.toxics
    const applies = t.direction === undefined || t.direction === "both" || (t.direction === "up") === this.up
    const own = t.latency && (this.up ? t.latency.up : t.latency.down)
    const [ms, jitter] = own ? [own.ms, own.jitterMs] : applies ? [t.latencyMs ?? 0, t.jitterMs ?? 0] : [0, 0]
    const delay = ms ? Math.max(0, ms + (jitter ? (2 * this.proxy.random() - 1) * jitter : 0)) : 0
    const rate = applies && t.bytesPerSec ? t.bytesPerSec : 0
    if (delay === 0 && rate === 0 && !t.hold && this.chunks.length === 0) {
      this.dst.write(chunk)
      return
    }
    const now = performance.now()
    // In order: a chunk leaves after the one before it, and a limited link takes its size's time.
    const due = Math.max(now + delay, this.lastDue) + (rate > 0 ? (chunk.length / rate) * 1000 : 0)
    this.lastDue = due
    this.chunks.push(chunk)
    this.due.push(due)
    this.kick()
  }

  /** Send what is due; wait for the next one (unless the link is held). */
  kick(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.proxy.toxics.hold || this.dst.destroyed) return
    const now = performance.now()
    let n = 0
    while (n < this.chunks.length && this.due[n] <= now + 0.5) n++
    if (n > 0) {
      for (const c of this.chunks.splice(0, n)) this.dst.write(c)
      this.due.splice(0, n)
    }
    if (this.chunks.length > 0) this.timer = setTimeout(() => this.kick(), Math.max(0, this.due[0] - now))
    else this.lastDue = 0
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.chunks.length = 0
    this.due.length = 0
  }
}

interface Pair {
  readonly client: Socket
  readonly node: Socket
  readonly up: Link
  readonly down: Link
}

/**
 * A fault proxy listening on 127.0.0.1 (a free port unless given). Example:
 * `const p = await FaultProxy.start({ host: "127.0.0.1", port: 6379 })`; clients use
 * `p.url`; `p.set({ latencyMs: 50, jitterMs: 10 })`, `p.set({ hold: true })`, `p.clear()`;
 * `await p.close()`.
 */
export class FaultProxy {
  toxics: Toxics = {}
  readonly random: () => number
  private readonly pairs = new Set<Pair>()
  private connections = 0
  private bytesUp = 0
  private bytesDown = 0
  private resets = 0
  private readonly server: Server
  readonly port: number
  target: { readonly host: string; readonly port: number }

  private constructor(server: Server, port: number, target: { readonly host: string; readonly port: number }, random: () => number) {
    this.server = server
    this.port = port
    this.target = target
    this.random = random
  }

  /** The proxy's address for a Redis client. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  static start(target: { readonly host: string; readonly port: number }, opts: { readonly port?: number; readonly random?: () => number } = {}): Promise<FaultProxy> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true })
      server.once("error", (e) => reject(new ProxyError({ message: `fault proxy for ${target.host}:${target.port}: ${e.message}` })))
      server.listen(opts.port ?? 0, "127.0.0.1", () => {
        const addr = server.address()
        if (typeof addr !== "object" || addr === null) return reject(new ProxyError({ message: "fault proxy: no address" }))
        const proxy = new FaultProxy(server, addr.port, target, opts.random ?? Math.random)
        server.on("connection", (client) => proxy.accept(client))
        resolve(proxy)
      })
    })
  }

  private accept(client: Socket): void {
    this.connections++
    const node = new Socket()
    const pair: Pair = { client, node, up: new Link(this, node, true), down: new Link(this, client, false) }
    this.pairs.add(pair)
    const end = () => {
      if (!this.pairs.delete(pair)) return
      pair.up.close()
      pair.down.close()
      client.destroy()
      node.destroy()
    }
    client.on("data", (d: Buffer) => {
      this.bytesUp += d.length
      const p = this.toxics.resetProbability
      if (p !== undefined && p > 0 && this.random() < p) {
        this.resets++
        this.pairs.delete(pair)
        pair.up.close()
        pair.down.close()
        client.resetAndDestroy()
        node.resetAndDestroy()
        return
      }
      pair.up.push(d)
    })
    node.on("data", (d: Buffer) => {
      this.bytesDown += d.length
      pair.down.push(d)
    })
    for (const s of [client, node]) {
      s.on("error", end)
      s.on("close", end)
    }
    // No Nagle on either side: a delayed link must add its delay, not Nagle's wait for an ACK
    // (measured: +27 ms at the median under load without it).
    client.setNoDelay(true)
    node.connect(this.target.port, this.target.host, () => node.setNoDelay(true))
  }

  /** Replace the toxics (connections stay open); what was held or delayed goes on under the new ones. */
  set(toxics: Toxics): void {
    this.toxics = toxics
    for (const p of this.pairs) {
      p.up.kick()
      p.down.kick()
    }
  }

  /**
   * Send new connections to `target` and reset the open ones, as a client redirected to a
   * promoted replica sees it: its connection drops and it reconnects — to the new primary.
   */
  retarget(target: { readonly host: string; readonly port: number }): void {
    this.target = target
    for (const p of [...this.pairs]) {
      this.pairs.delete(p)
      p.up.close()
      p.down.close()
      p.client.resetAndDestroy()
      p.node.destroy()
    }
  }

  /** No toxics: what was held goes through, in order. */
  clear(): void {
    this.set({})
  }

  get stats(): ProxyStats {
    return { connections: this.connections, open: this.pairs.size, bytesUp: this.bytesUp, bytesDown: this.bytesDown, resets: this.resets }
  }

  /** Stop listening and close every connection. */
  close(): Promise<void> {
    for (const p of this.pairs) {
      p.up.close()
      p.down.close()
      p.client.destroy()
      p.node.destroy()
    }
    this.pairs.clear()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** A fault proxy for the life of a scope. Example: `Effect.scoped(Effect.flatMap(faultProxy(t), (p) => …))`. */
export const faultProxy = (target: { readonly host: string; readonly port: number }, opts: { readonly random?: () => number } = {}) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => FaultProxy.start(target, opts),
      catch: (e) => (e instanceof ProxyError ? e : new ProxyError({ message: String(e) }))
    }),
    (p) => Effect.promise(() => p.close())
  )
