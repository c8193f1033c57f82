/**
 * The timing model of one request: client pool wait, half an RTT out, a single-threaded
 * FIFO execution queue on the node (Lindley's recursion: start = max(arrival, node free)),
 * the service time, half an RTT back — with the fault plan's windows applied (down, paused,
 * latency spikes; on the link: slow, cut, reset) and the pool shrunk when a poolShrink fault
 * says so.
 *
 * Requests are timed when they are sent, in send order, which is exact for the node queue
 * whenever requests reach a node in the order they were sent (always with a constant RTT,
 * as in the queueing tests); with RTT jitter two requests sent microseconds apart may be
 * served in send order rather than arrival order — an error bounded by the jitter.
 */
import { compile, type Sampler, type Uniform } from "../../src/distributions.ts"
import type { Scenario } from "../../src/scenario.ts"
import type { ClientPath, SyncTiming, TimingConfig } from "../../src/ports/Timing.ts"
import type { FaultPlan, NodeFaults } from "../../src/faults.ts"
import { Command } from "../../src/engine/protocol.ts"
import { FastHistogram } from "../../src/metrics/histogram.ts"
import { F64 } from "../../src/typed.ts"
import { ClientModel, type RunShape } from "./client.ts"

/** What happened to a request, as decided when it was sent. */
export const Outcome = {
  /** Executed; the reply reaches the client at `replyAt`. */
  REPLY: 0,
  /** Executed, but the node died before replying: connection error at `replyAt`. */
  APPLIED_NO_REPLY: 1,
  /** Never executed (node down, or died with it queued): connection error at `replyAt`. */
  CONNECTION: 2,
  /** Waited for a pool connection past its deadline; never sent. */
  POOL_TIMEOUT: 3,
  /** A win whose WAIT did not see the replica have it in time: applied, not confirmed. */
  UNCONFIRMED: 4
} as const

/**
 * A client connection pool: the release times of busy connections (at most `cap` of them,
 * plus released ones not yet dropped), kept sorted in a ring. A request takes a connection
 * at once if fewer than `cap` are busy, else when the earliest busy one is released — FIFO
 * multi-server queueing. Release times
 * arrive nearly in order (send time plus a millisecond or so), so an insert moves few
 * entries, and releases leave from the front: cheaper than the binary heap it replaced
 * (same results: only the count and the earliest release are ever read).
 */
export class Pool {
  private ring: Float64Array
  private mask: number
  private head = 0
  private n = 0
  private cap: number
  private full = false
  constructor(size: number) {
    this.cap = size
    this.ring = new Float64Array(ringSize(size))
    this.mask = this.ring.length - 1
  }
  /** When a request wanting a connection at `t` gets one. Follow with `occupy`, or nothing. */
  acquire(t: number): number {
    // Released connections are dropped only when the ring is full: until then fewer than
    // `cap` can be busy whatever has been released, and a pool far from full (the usual case)
    // skips the per-request scan. Then the scan drops the whole released run at once.
    if (this.n < this.cap) {
      this.full = false
      return t
    }
    const r = this.ring, m = this.mask
    while (this.n > 0 && r[this.head] <= t) {
      this.head = (this.head + 1) & m
      this.n--
    }
    this.full = this.n >= this.cap
    return this.full ? r[this.head] : t
  }
  /** The connection busy until `from` (the last `occupy`) stays busy until `to` ≥ `from` instead. */
  extend(from: number, to: number): void {
    const r = this.ring, m = this.mask, end = this.head + this.n
    let j = end - 1
    while (j >= this.head && r[j & m] !== from) j--
    if (j < this.head) return
    while (j + 1 < end && r[(j + 1) & m] < to) {
      r[j & m] = r[(j + 1) & m]
      j++
    }
    r[j & m] = to
  }
  /** The connection handed out by the last `acquire` is busy until `until`. */
  occupy(until: number): void {
    const r = this.ring, m = this.mask
    if (this.full) {
      // It was the earliest busy one's: that one is released as this one starts.
      this.head = (this.head + 1) & m
      this.n--
    }
    let j = this.head + this.n
    while (j > this.head && r[(j - 1) & m] > until) {
      r[j & m] = r[(j - 1) & m]
      j--
    }
    r[j & m] = until
    this.n++
  }
  /**
   * Change the pool's size at `now`. Shrinking below the number busy: the connections
   * released first are the ones closed, so the next request waits for the rest to drop
   * under the new size.
   */
  resize(size: number, now: number): void {
    const live: Array<number> = []
    for (let k = 0; k < this.n; k++) {
      const x = this.ring[(this.head + k) & this.mask]
      if (x > now) live.push(x)
    }
    if (live.length > size) live.splice(0, live.length - size)
    this.ring = new Float64Array(ringSize(Math.max(size, live.length)))
    this.mask = this.ring.length - 1
    this.ring.set(live)
    this.head = 0
    this.n = live.length
    this.cap = size
  }
}

/** The run's nodes and its share of balance reads (by task weight), as the client model scales for them. */
const runShape = (s: Scenario): RunShape => {
  const tasks = s.hunters.behaviour.tasks
  const total = tasks.reduce((a, t) => a + t.weight, 0)
  return { nodes: s.topology.nodes, balanceShare: tasks.reduce((a, t) => a + (t.command === "balance" ? t.weight : 0), 0) / total }
}

/** A round trip that is always `ms`. */
const steady = (ms: number): Sampler => ({ mean: ms, sample: () => ms })

/** The smallest power of two holding `n` entries (at least 1). */
const ringSize = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)))

/**
 * The one place a run's timing is chosen: the queueing model below, fed with the scenario's
 * distributions — or, with `timing.profile`, with what calibrate measured on a real server
 * (its round trip, service times and the client's overhead), so every entry point gets it. Example:
 * `timingFor(s, compileFaults(s))`.
 */
export const timingFor = (s: Scenario, plan: FaultPlan): SyncTiming => {
  const p = s.timing.profile
  const rtt = compile(p ? p.rttMs : s.topology.rttMs)
  // The client's own time per request beyond the round trip and the server (measured by
  // calibrate): part of what a live client sees, added to the round trip (half each way).
  const overhead = p?.clientOverheadMs ?? 0
  const service = [compile(p ? p.timing.claim : s.timing.claim), compile(p ? p.timing.balance : s.timing.balance)]
  return new ModelTiming({
    nodes: s.topology.nodes,
    poolSize: s.topology.poolSize,
    rtt: p?.driver ? steady(p.raw.rttMs.p50) : overhead > 0 ? { mean: rtt.mean + overhead, sample: (rng) => rtt.sample(rng) + overhead } : rtt,
    service,
    baseLagMs: s.topology.replicationLagMs,
    plan,
    // Measured with huntbench's own driver: its path and thread replace the round trip's tail
    // and the overhead. The round trip keeps its median: the tail a ping loop measures is the
    // client's stalls (already in the path), and drawn on the way out it held up the node —
    // requests reach it in send order — for everyone sent after (the model's p50 at 16 000/s
    // was twice the level's it came from).
    ...(p?.driver ? { client: new ClientModel(p.driver, service[Command.CLAIM].mean, runShape(s)) } : {})
  })
}

export class ModelTiming implements SyncTiming {
  readonly nodeFree: Float64Array
  /**
   * A write pause's held claims (CLIENT PAUSE WRITE) run in a burst from the pause's end
   * (`heldFrom`) until `heldFree`, on a cursor of their own so that reads during the pause
   * are not queued behind them; what starts after the pause's end waits for the burst.
   */
  private readonly heldFrom: Float64Array
  private readonly heldFree: Float64Array
  /** Sum of time requests spent queued at each node (arrival → start) and how many. */
  readonly queueWait: Float64Array
  readonly served: Float64Array
  /** Time spent queued at the node (arrival → start), all nodes together. */
  readonly waitHistogram = new FastHistogram(2)
  private readonly pools: Array<Pool>
  private readonly nodeFaults: ReadonlyArray<NodeFaults>
  private readonly rtt: Sampler
  private readonly service: ReadonlyArray<Sampler>
  private readonly baseLagMs: number
  private readonly client: ClientPath | undefined
  // Results of the last `send`, read by the driver (no allocation per request).
  outcome = 0
  startAt = F64
  replyAt = F64
  lagMs = F64
  private finishAt = F64
  /** The last reply's wait on a modelled client beyond the one-way trip (0 without one). */
  private clientExtra = F64
  private lastNode = 0

  /** Example: `timing.send(node, Command.CLAIM, now, now + 1000, rng)` then read `timing.replyAt`. */
  readonly cfg: TimingConfig

  constructor(cfg: TimingConfig) {
    this.cfg = cfg
    this.nodeFree = new Float64Array(cfg.nodes)
    this.heldFrom = new Float64Array(cfg.nodes).fill(Infinity)
    this.heldFree = new Float64Array(cfg.nodes)
    this.queueWait = new Float64Array(cfg.nodes)
    this.served = new Float64Array(cfg.nodes)
    this.pools = Array.from({ length: cfg.nodes }, () => new Pool(cfg.poolSize))
    this.nodeFaults = cfg.plan.nodes
    this.rtt = cfg.rtt
    this.service = cfg.service
    this.baseLagMs = cfg.baseLagMs
    this.client = cfg.client
  }

  /** Apply a pool-size change (poolShrink start or end) at time `now`. */
  resizePool(node: number, size: number, now: number): void {
    this.pools[node].resize(size, now)
  }

  /**
   * Time one request to `node` sent at `t` whose client gives up at `deadline`. Sets
   * `outcome`, `startAt` (when the script runs, if it does), `replyAt` (when the client
   * hears back or sees the error) and `lagMs` (replication lag at start).
   */
  send(node: number, cmd: number, t: number, deadline: number, rng: Uniform): void {
    const pool = this.pools[node]
    const client = this.client
    const sendAt = pool.acquire(client === undefined ? t : client.leave(t))
    if (sendAt > deadline) {
      this.outcome = Outcome.POOL_TIMEOUT
      this.replyAt = deadline
      return
    }
    const half = this.rtt.sample(rng) / 2
    // A modelled client's path is mostly its own stalls — they hold up the reply's handling,
    // not the request's arrival, which must stay in send order for the node queue — so what
    // the round trip leaves of it goes on the way back.
    const back = client === undefined ? half : Math.max(half, client.path(rng) - half)
    this.clientExtra = back - half
    const nf = this.nodeFaults[node]
    let out = half
    if (sendAt < nf.linkLast && sendAt >= nf.linkFirst) {
      // The link: reset (the RST comes back at once), cut (TCP holds the request until the
      // partition heals) or slow on the way out — and, below, the same on the way back.
      if (nf.resets.length > 0 && resetAt(nf, sendAt, rng)) {
        this.fail(pool, Outcome.CONNECTION, sendAt + half)
        return
      }
      out += pastWindows(nf.cuts, sendAt) - sendAt + linkAt(nf, sendAt, rng, true)
    }
    const arrive = sendAt + out
    let start = Math.max(arrive, this.nodeFree[node])
    if (start < this.heldFree[node] && start >= this.heldFrom[node]) start = this.heldFree[node]
    let service = this.service[cmd].sample(rng)
    let held = false
    // Only a request whose [arrival, finish] meets the node's fault span needs the scans
    // (measured: the scans on every request to a node with any fault cost ~25 % of the
    // reference hunt).
    const near = arrive < nf.last && start + service >= nf.first
    if (near) {
      const downAt = downBetween(nf, arrive, Infinity)
      if (downAt >= 0 && downAt <= arrive) {
        // Refused at once by a dead node (or nobody listening yet).
        this.fail(pool, Outcome.CONNECTION, arrive + half)
        return
      }
      start = pastWindows(nf.pauses, start)
      if (cmd === Command.CLAIM && nf.writePauses.length > 0) {
        const end = pastWindows(nf.writePauses, start)
        if (end > start) {
          held = true
          if (end !== this.heldFrom[node]) {
            this.heldFrom[node] = end
            this.heldFree[node] = end
          }
          start = Math.max(end, this.heldFree[node])
        }
      }
      const diedAt = downBetween(nf, arrive, start)
      if (diedAt >= 0) {
        this.fail(pool, Outcome.CONNECTION, diedAt + half)
        return
      }
      service += spikeAt(nf, start, cmd)
    }
    const finish = start + service
    this.queueWait[node] += start - arrive
    this.waitHistogram.recordMs(start - arrive)
    this.served[node]++
    if (held) this.heldFree[node] = finish
    else this.nodeFree[node] = finish
    this.startAt = start
    this.lagMs = near ? lagAt(nf, start, this.baseLagMs) : this.baseLagMs
    if (near) {
      const diedAt = downBetween(nf, start, finish)
      if (diedAt > start) {
        this.fail(pool, Outcome.APPLIED_NO_REPLY, diedAt + half)
        return
      }
    }
    this.outcome = Outcome.REPLY
    this.finishAt = finish
    this.lastNode = node
    this.replyAt = finish + (finish < nf.linkLast && finish >= nf.linkFirst ? pastWindows(nf.cuts, finish) - finish + back + linkAt(nf, finish, rng, false) : back)
    // The connection is free once the reply is in; a client stall that holds up handling it
    // also holds up new sends, so it does not fill the pool (drawn per request here, it would).
    pool.occupy(this.replyAt - this.clientExtra)
  }

  /**
   * WAIT 1 after the last `send` (a reply the client acknowledges as a win): sent when the
   * reply arrives, it returns once the replica has the write — at `replicatedAt`, by
   * default `startAt + lagMs` (the store knows better: replication is in order) — or after
   * `timeoutMs` unconfirmed (`Outcome.UNCONFIRMED`); a node that dies meanwhile never
   * answers (`APPLIED_NO_REPLY`). The connection stays busy until then; `replyAt` moves.
   */
  awaitReplica(timeoutMs: number, replicatedAt = this.startAt + this.lagMs): void {
    if (this.outcome !== Outcome.REPLY) return
    const nf = this.nodeFaults[this.lastNode], pool = this.pools[this.lastNode]
    const half = this.replyAt - this.finishAt - this.clientExtra // one way, as the claim's reply took
    const arrive = this.replyAt + half
    const confirmAt = replicatedAt
    const confirmed = confirmAt <= arrive + timeoutMs
    const until = confirmed ? Math.max(arrive, confirmAt) : arrive + timeoutMs
    const before = this.replyAt - this.clientExtra // as occupied
    const diedAt = nf.any ? downBetween(nf, arrive, until) : -1
    if (diedAt >= 0) {
      this.outcome = Outcome.APPLIED_NO_REPLY
      this.replyAt = diedAt + half
    } else {
      this.outcome = confirmed ? Outcome.REPLY : Outcome.UNCONFIRMED
      this.replyAt = until + half
    }
    pool.extend(before, this.replyAt)
  }

  private fail(pool: Pool, outcome: number, at: number): void {
    this.outcome = outcome
    this.replyAt = at
    pool.occupy(at)
  }
}

/** The earliest time in [from, to] at which the node is down, or -1. */
const downBetween = (nf: NodeFaults, from: number, to: number): number => {
  for (const w of nf.down) if (w.to > from && w.from <= to) return Math.max(w.from, from)
  return -1
}

/** `t`, or — if it falls in one of the windows — the end of the windows holding it (pauses, partitions). */
const pastWindows = (ws: ReadonlyArray<{ readonly from: number; readonly to: number }>, t: number): number => {
  let moved = true
  while (moved) {
    moved = false
    for (const w of ws) {
      if (w.from <= t && t < w.to) {
        t = w.to
        moved = true
      }
    }
  }
  return t
}

const spikeAt = (nf: NodeFaults, t: number, cmd: number): number => {
  let extra = 0
  for (const w of nf.spikes) {
    if (w.from <= t && t < w.to && (!w.scriptOnly || cmd === Command.CLAIM)) extra += w.extraMs
  }
  return extra
}

/** Extra one-way delay on the link at `t`: each active window's extraMs ± up to its jitterMs. */
const linkAt = (nf: NodeFaults, t: number, rng: Uniform, up: boolean): number => {
  let extra = 0
  for (const w of nf.links) {
    if (w.from <= t && t < w.to && (up ? w.up : w.down)) extra += Math.max(0, w.extraMs + (w.jitterMs > 0 ? (2 * rng.next() - 1) * w.jitterMs : 0))
  }
  return extra
}

/** Whether a request leaving at `t` has its connection reset (one draw per active window). */
const resetAt = (nf: NodeFaults, t: number, rng: Uniform): boolean => {
  for (const w of nf.resets) if (w.from <= t && t < w.to && rng.next() < w.probability) return true
  return false
}

const lagAt = (nf: NodeFaults, t: number, base: number): number => {
  for (const w of nf.noReplica) if (w.from <= t && t < w.to) return Infinity
  let lag = base
  for (const w of nf.lags) if (w.from <= t && t < w.to) lag = Math.max(lag, w.lagMs)
  return lag
}
