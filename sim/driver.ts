/**
 * The discrete-event driver: a virtual clock, one seeded generator, an event queue, and the
 * hunt's event loop feeding the sans-IO engine (ClaimClient) and the store and timing
 * adapters. `step(n)` runs up to n events so callers can report progress, yield to other
 * work or stop; `raw()` hands the collected figures to the report builder.
 *
 * Events are encoded as sim/events.ts says. A request is timed when sent (see
 * sim/model/timing.ts), so one request costs two
 * events — its send (a task, arrival or retry) and its completion — plus one per stage that
 * delayed it on the way (load generator, app tier).
 */
import { compile } from "../src/distributions.ts"
import { ClaimClient, Next, ROW_DOUBLES } from "../src/engine/client.ts"
import { Command, ErrorKind, Reply, isWinAck } from "../src/engine/protocol.ts"
import { bucketToNode } from "../src/engine/routing.ts"
import { compileFaults, type FaultPlan } from "../src/faults.ts"
import { FastHistogram } from "../src/metrics/histogram.ts"
import type { Scenario } from "../src/scenario.ts"
import type { StoreConfig, SyncClaimStore, WriteEntry } from "../src/ports/ClaimStore.ts"
import type { SyncTiming, TimingConfig } from "../src/ports/Timing.ts"
import { ModelStore } from "./model/store.ts"
import { ModelTiming, Outcome } from "./model/timing.ts"
import { AppTier } from "./model/app.ts"
import { Sink } from "./model/sink.ts"
import { LoadGen } from "./model/loadgen.ts"
import { WorkerRing } from "./ring.ts"
import { Prng } from "./prng.ts"
import { EventHeap, TimingWheel, type EventQueue } from "./queue.ts"
import { Pipeline } from "./pipeline.ts"
import { Workload } from "./workload.ts"
import type { TimelineRow, Unfinished } from "../src/report.ts"
import { Recorder, type BucketTimeline } from "./recorder.ts"
import { Movement } from "./movement.ts"
import { K_ARRIVAL, K_COMPLETE, K_FAULT_END, K_FAULT_START, K_LOSS, K_RETRY, K_SPLIT_DONE, K_TASK, K_TO_APP, K_TO_REDIS, K_VIRAL, KIND_BITS, KIND_MASK } from "./events.ts"
import { F64 } from "../src/typed.ts"


/** How soon a connection to a dead worker is refused. */
const REFUSED_MS = 0.5

export interface LossRecord {
  readonly fault: number
  readonly node: number
  readonly at: number
  readonly kind: "failover" | "wipe"
  readonly lostWrites: number
  /** Apply time of the newest write the promoted replica had (-1: none, or a wipe). */
  readonly replicatedUpTo: number
}

export interface Ack {
  readonly artifact: number
  readonly hunter: number
  readonly write: number
  readonly at: number
  readonly key: number
}

/** Everything a run measured, before it is shaped into a Report. */
export interface RawRun {
  readonly scenario: Scenario
  readonly events: number
  readonly endMs: number
  readonly latency: FastHistogram
  readonly bucketLatency: ReadonlyArray<FastHistogram>
  readonly requests: number
  readonly ok: number
  readonly attempts: number
  readonly retries: number
  readonly errorsByKind: Float64Array
  readonly repliesByCode: Float64Array
  readonly claimsAttempted: number
  readonly appliedUnacknowledged: number
  readonly bucketRequests: Float64Array
  readonly bucketErrors: Float64Array
  readonly bucketCollisions: Float64Array
  readonly bucketMaxBacklog: Int32Array
  readonly bucketNode: Int32Array
  readonly breakerTrips: Int32Array
  readonly totalTrips: number
  readonly timeline: ReadonlyArray<TimelineRow>
  readonly acks: ReadonlyArray<Ack>
  readonly losses: ReadonlyArray<LossRecord>
  readonly store: SyncClaimStore
  readonly workload: Workload
  readonly plan: FaultPlan
  readonly nodeQueueWaitMs: Float64Array
  readonly nodeServed: Float64Array
  readonly queueWait: FastHistogram
  readonly inFlightAtEnd: number
  /** Requests not finished at the end, by where they wait (inFlight is inFlightAtEnd). */
  readonly unfinished: Unfinished
  readonly bucketTimeline: BucketTimeline
  /** With geography: hunters per bucket at the end, the most at any second, border crossings. */
  readonly bucketHunters: Int32Array
  readonly bucketMaxHunters: Int32Array
  readonly crossings: number
  readonly viralJoined: number
  readonly pipeline: Pipeline | undefined
  readonly app: AppTier | undefined
  readonly sink: Sink | undefined
  readonly ring: WorkerRing | undefined
  readonly loadgen: LoadGen | undefined
}


export interface DriverOptions {
  /** "wheel" (default, ~3× faster here) or "heap". */
  readonly queue?: "heap" | "wheel"
  /** The Timing port's implementation (sim/model/layers.ts); the model's by default. */
  readonly makeTiming?: (config: TimingConfig) => SyncTiming
  /** Stop at each store call so an asynchronous store can answer it (see sim/lockstep.ts). */
  readonly lockstep?: boolean
  /**
   * Live mode: attempts go to this sender instead of the timing model, and come back
   * through `liveComplete` (see adapters/live). Implies `openLoop`.
   */
  readonly live?: LiveSender
  /** Closed-model hunters start their next task on schedule, not after the last one ends. */
  readonly openLoop?: boolean
}

/** Sends one attempt for real; must later call `Simulator.liveComplete` exactly once. */
export interface LiveSender {
  send(slot: number, t: number, deadline: number): void
}

export class Simulator {
  readonly s: Scenario
  readonly rng: Prng
  readonly q: EventQueue
  readonly workload: Workload
  readonly client: ClaimClient
  /** What any store for this run must be seeded with (lockstep and live open theirs from it). */
  readonly storeConfig: StoreConfig
  readonly store: SyncClaimStore
  readonly timing: SyncTiming
  readonly plan: FaultPlan
  readonly bucketNode: Int32Array
  readonly closed: boolean
  private readonly interval: number
  private readonly jitter: number
  private readonly meanArrivalMs: number
  private readonly rampPerMs: number
  /** What the run measures, second by second and bucket by bucket. */
  readonly rec: Recorder
  readonly bucketCollisions: Float64Array
  private readonly wonAt: Float64Array
  private readonly collisionWindowMs: number
  requests = 0
  attempts = 0
  retries = 0
  claimsAttempted = 0
  appliedUnacknowledged = 0
  // Requests between stages (see Unfinished): a request that ends must have left them all.
  private waitingRetry = 0
  private inAppQueue = 0
  private inLoadgen = 0
  readonly acks: Array<Ack> = []
  readonly losses: Array<LossRecord> = []
  events = 0
  now = F64
  done = false
  // Lockstep (an asynchronous store): the slot whose store call is awaited, or -1.
  readonly lockstep: boolean
  pending = -1
  private pendingStart = F64
  private pendingReplyAt = F64
  private pendingDeadline = F64
  private pendingNoReply = false
  /** Lockstep: the wins the store reported, in order (the write log a snapshot lacks). */
  readonly lockWrites: Array<WriteEntry> = []
  private readonly live: LiveSender | undefined
  private readonly openLoop: boolean
  // Geography: hunters per bucket (subscribers of its stream).
  readonly movement: Movement
  readonly pipeline: Pipeline | undefined
  private readonly edgeCache: boolean
  readonly app: AppTier | undefined
  readonly sink: Sink | undefined
  readonly ring: WorkerRing | undefined
  readonly loadgen: LoadGen | undefined
  /** When the last win reached a log sink (the recorder reads it for the consumer lag). */
  lastSinkEventAt = -1
  /** Closed model, one slot per hunter: a task event's id is both. */
  private readonly ownSlots: boolean
  /** A worker ring, load generator or app tier sits between the hunter and Redis. */
  private readonly staged: boolean

  /** The timeline rows closed so far (the dashboard streams them while a run goes on). */
  get timeline(): ReadonlyArray<TimelineRow> {
    return this.rec.timeline
  }

  /** The per-bucket columns closed so far. */
  get bucketTimeline(): BucketTimeline {
    return this.rec.bucketTimeline
  }

  /** Example: `const sim = new Simulator(scenario); while (!sim.step(1e6)); const raw = sim.raw()`. */
  constructor(s: Scenario, opts: DriverOptions = {}) {
    this.s = s
    this.lockstep = opts.lockstep === true
    this.live = opts.live
    this.openLoop = opts.openLoop === true || opts.live !== undefined
    this.rng = new Prng(s.seed)
    this.workload = new Workload(s, this.rng)
    const B = s.topology.buckets, H = s.hunters.count
    this.bucketNode = bucketToNode(s.topology)
    this.plan = compileFaults(s)
    this.storeConfig = {
      artifactBucket: this.workload.artifactBucket,
      artifactRevealAt: this.workload.artifactRevealAt,
      claimWindowMs: s.artifacts.claimWindowMs,
      reward: s.artifacts.reward,
      buckets: B,
      hunters: H,
      bucketNode: this.bucketNode,
      nodes: s.topology.nodes,
      streamCap: s.topology.streamCap,
      idempotency: s.engine.idempotency
    }
    this.store = new ModelStore(this.storeConfig)
    this.timing = (opts.makeTiming ?? ((c) => new ModelTiming(c)))({
      nodes: s.topology.nodes,
      poolSize: s.topology.poolSize,
      rtt: compile(s.topology.rttMs),
      service: [compile(s.timing.claim), compile(s.timing.balance)],
      baseLagMs: s.topology.replicationLagMs,
      plan: this.plan
    })
    this.rec = new Recorder(s, B)
    this.bucketCollisions = new Float64Array(B)
    this.wonAt = new Float64Array(this.workload.artifactBucket.length).fill(-Infinity)
    this.collisionWindowMs = s.artifacts.collisionWindowMs
    const bucketHunters = new Int32Array(B)
    for (let h = 0; h < H; h++) bucketHunters[this.workload.hunterBucket[h]]++
    this.pipeline = s.pipeline ? new Pipeline(s, bucketHunters, this.workload.cells, this.workload.artifactLat, this.workload.artifactLon) : undefined
    this.movement = new Movement(this.workload, bucketHunters, this.pipeline, this.rng, (b, doneAt) => {
      this.rec.splits.push(b)
      this.q.push(doneAt, (b << KIND_BITS) | K_SPLIT_DONE)
    })
    this.edgeCache = s.pipeline?.edgeCache !== undefined
    this.app = s.app && !opts.live ? new AppTier(s) : undefined
    this.sink = s.sink && !opts.live ? new Sink(s) : undefined
    this.ring = s.workers && !opts.live ? new WorkerRing(s.workers) : undefined
    this.loadgen = s.loadgen && !opts.live ? new LoadGen(s) : undefined
    const b = s.hunters.behaviour
    this.closed = b.model === "closed"
    this.interval = b.model === "closed" ? b.pollIntervalMs : 0
    this.jitter = b.model === "closed" ? b.jitterMs : 0
    this.meanArrivalMs = b.model === "open" ? 1000 / b.ratePerSec : 0
    this.rampPerMs = s.hunters.start.kind === "ramp" ? s.hunters.start.perSecond / 1000 : Infinity
    this.ownSlots = this.closed && !this.openLoop
    if (opts.queue === "heap") {
      this.q = new EventHeap(1024)
      this.client = new ClaimClient(s, this.ownSlots ? H : 1024)
    } else if (this.ownSlots) {
      // One slot per hunter, each with exactly one event pending: the wheel keeps a slot's
      // event in the slot's own 32-byte row, beside the client's state for it (half a cache line).
      const wheel = new TimingWheel(undefined, undefined, 1024, H, ROW_DOUBLES)
      this.q = wheel
      const client = (this.client = new ClaimClient(s, H, wheel.rows))
      wheel.onGrow = (rows) => client.rebind(rows)
    } else {
      this.q = new TimingWheel()
      this.client = new ClaimClient(s, 1024)
    }
    this.staged = this.ring !== undefined || this.loadgen !== undefined || this.app !== undefined
    if (this.closed) {
      if (!this.openLoop) this.client.reserve(H)
      for (let h = 0; h < H; h++) {
        const at = this.rampPerMs === Infinity ? 0 : h / this.rampPerMs
        if (at <= s.durationMs) this.q.pushKeyed(h, at, (h << KIND_BITS) | K_TASK)
      }
    } else {
      this.q.push(this.nextArrivalGap(), K_ARRIVAL)
    }
    s.faults.forEach((f, i) => {
      this.q.push(f.atMs, (i << KIND_BITS) | K_FAULT_START)
      this.q.push(f.atMs + f.durationMs, (i << KIND_BITS) | K_FAULT_END)
    })
    this.plan.losses.forEach((l, i) => this.q.push(l.at, (i << KIND_BITS) | K_LOSS))
    if (s.geography?.viral) this.q.push(s.geography.viral.atMs, K_VIRAL)
    this.movement.start()
  }

  /** Hunters in each bucket now: the recorder's heat map reads it. */
  get bucketHunters(): Int32Array {
    return this.movement.bucketHunters
  }

  private nextArrivalGap(): number {
    return -this.meanArrivalMs * Math.log(1 - this.rng.next())
  }

  /**
   * Run up to `maxEvents` events (only those due by `until`, if given); returns true once
   * the run has finished. In lockstep mode it also returns (false) as soon as a store call
   * is pending.
   */
  step(maxEvents: number, until = Infinity): boolean {
    if (this.done) return true
    const q = this.q, end = this.s.durationMs
    // Lockstep stops at a pending store call; live stops at what is due by the wall clock
    // (a late completion may still come). A plain simulation checks neither.
    const guarded = this.lockstep || until < end
    let n = 0
    while (n < maxEvents) {
      if (guarded && (this.pending >= 0 || (until < end && q.size > 0 && q.peekTime() > until))) break
      const p = q.size === 0 ? -1 : q.pop()
      const t = q.time
      if (p < 0 || t > end) {
        this.events += n
        this.finish(end)
        return true
      }
      n++
      this.now = t
      if (t >= this.rec.windowEnd) this.rec.roll(t, this)
      // The two kinds nearly every event is, without the dispatch switch's call.
      const kind = p & KIND_MASK
      if (kind === K_COMPLETE) this.complete(p >>> KIND_BITS, t)
      else if (kind === K_TASK && this.ownSlots) this.startTask(p >>> KIND_BITS, p >>> KIND_BITS, t)
      else this.dispatch(p, t)
    }
    this.events += n
    return false
  }

  /** Every event kind but completions and own-slot tasks, which `step` handles itself. */
  private dispatch(p: number, t: number): void {
    const id = p >>> KIND_BITS
    switch (p & KIND_MASK) {
      case K_TASK:
        // Open loop: on schedule whether or not the hunter's last request has returned.
        this.q.push(t + this.nextWait(), (id << KIND_BITS) | K_TASK)
        this.startTask(this.client.allocate(), id, t)
        break
      case K_ARRIVAL:
        this.arrival(t)
        break
      case K_RETRY:
        this.waitingRetry--
        this.attempt(id, t)
        break
      case K_FAULT_START: {
        const f = this.s.faults[id]
        if (f.kind === "poolShrink") this.timing.resizePool(f.target, f.poolSize, t)
        break
      }
      case K_FAULT_END: {
        const f = this.s.faults[id]
        if (f.kind === "poolShrink") this.timing.resizePool(f.target, this.s.topology.poolSize, t)
        break
      }
      case K_LOSS:
        this.loss(id, t)
        break
      case K_VIRAL:
        this.movement.goViral(t)
        break
      case K_SPLIT_DONE:
        this.pipeline!.finishSplit(id, t)
        break
      case K_TO_APP:
        this.inLoadgen--
        this.toApp(id, t)
        break
      case K_TO_REDIS:
        this.inAppQueue--
        this.toRedis(id, t)
        break
    }
  }

  private arrival(t: number): void {
    const H = this.s.hunters.count
    const started = this.rampPerMs === Infinity ? H : Math.min(H, Math.floor(t * this.rampPerMs) + 1)
    const hunter = Math.floor(this.rng.next() * started)
    this.startTask(this.client.allocate(), hunter, t)
    this.q.push(t + this.nextArrivalGap(), K_ARRIVAL)
  }

  private startTask(slot: number, hunter: number, t: number): void {
    const w = this.workload
    const cmd = w.onlyCommand >= 0 ? w.onlyCommand : w.taskCommand[w.pickTask(this.rng)]
    const bucket = w.map === undefined ? w.hunterBucket[hunter] : this.movement.moveHunter(hunter, t)
    if (this.edgeCache) this.pipeline!.read(bucket, t, this.rng)
    const artifact = cmd === Command.CLAIM ? w.pickArtifact(bucket, t, this.rng) : -1
    if (cmd === Command.CLAIM) this.claimsAttempted++
    this.client.begin(slot, hunter, bucket, artifact, cmd, t)
    this.requests++
    this.attempt(slot, t)
  }

  /** Send one attempt of the request in `slot` at `t`. */
  private attempt(slot: number, t: number): void {
    this.attempts++
    if (!this.client.admit(slot, t)) this.end(slot, t)
    else if (this.staged) this.stages(slot, t)
    else this.toRedis(slot, t)
  }

  /** The tiers between the hunter and Redis that the scenario has: worker ring, load generator, app. */
  private stages(slot: number, t: number): void {
    const c = this.client
    // Routed to a worker by the hunter's hash: a dead one nobody has noticed refuses at once.
    if (this.ring !== undefined && this.ring.route(c.hunter(slot), t) < 0) {
      this.scheduleCompletion(slot, -ErrorKind.CONNECTION, t + REFUSED_MS, t + c.timeoutMs)
      return
    }
    // A first attempt leaves when the hunter's load-generator process gets to it. Each stage
    // that delays it hands over through an event, so the next stage (app, Redis) sees its
    // arrivals in time order, as its queue model needs.
    if (c.attempt(slot) === 1 && this.loadgen !== undefined) {
      const at = this.loadgen.send(c.hunter(slot), t, this.rng)
      if (at > t) {
        this.inLoadgen++
        this.q.pushKeyed(slot, at, (slot << KIND_BITS) | K_TO_APP)
        return
      }
    }
    this.toApp(slot, t)
  }

  /** A first attempt reaches the app tier at `t` (its parse); a retry is the app's own. */
  private toApp(slot: number, t: number): void {
    if (this.app !== undefined && this.client.attempt(slot) === 1) {
      const at = this.app.pass(t, this.rng)
      if (at > t) {
        this.inAppQueue++
        this.q.pushKeyed(slot, at, (slot << KIND_BITS) | K_TO_REDIS)
        return
      }
    }
    this.toRedis(slot, t)
  }

  /** The attempt's Redis call leaves at `t`. */
  private toRedis(slot: number, sendAt: number): void {
    const c = this.client
    const bucket = c.bucket(slot)
    const cmd = c.command(slot)
    const deadline = sendAt + c.timeoutMs
    if (this.live !== undefined) {
      this.rec.sent(bucket)
      this.live.send(slot, sendAt, deadline)
      return
    }
    const tm = this.timing
    tm.send(this.bucketNode[bucket], cmd, sendAt, deadline, this.rng)
    const out = tm.outcome
    if (out === Outcome.POOL_TIMEOUT) this.scheduleCompletion(slot, -ErrorKind.POOL_TIMEOUT, tm.replyAt, deadline)
    else if (out === Outcome.CONNECTION) this.scheduleCompletion(slot, -ErrorKind.CONNECTION, tm.replyAt, deadline)
    else if (this.lockstep) {
      // The step loop stops here; the lockstep runner awaits the store and calls resolve().
      this.pending = slot
      this.pendingStart = tm.startAt
      this.pendingReplyAt = tm.replyAt
      this.pendingDeadline = deadline
      this.pendingNoReply = tm.outcome === Outcome.APPLIED_NO_REPLY
    } else {
      // The script runs (at tm.startAt) whether or not the client is still waiting.
      let reply: number = Reply.BALANCE
      if (cmd === Command.CLAIM) {
        reply = this.store.claim(c.artifact(slot), c.hunter(slot), c.key(slot), tm.startAt, tm.lagMs, c.attempt(slot) > 1)
        if (reply === Reply.WON) c.setWrite(slot, this.store.lastWrite)
        this.noteClaim(slot, reply, tm.startAt)
      } else this.store.balance(bucket, c.hunter(slot))
      this.scheduleCompletion(slot, out === Outcome.APPLIED_NO_REPLY ? -ErrorKind.CONNECTION : reply, tm.replyAt, deadline)
    }
  }

  /** The attempt in `slot` ends at `at` with `outcome` — or times out at `deadline` first. */
  private scheduleCompletion(slot: number, outcome: number, at: number, deadline: number): void {
    if (at > deadline) {
      at = deadline
      outcome = -ErrorKind.TIMEOUT
    } else if (outcome === Reply.WON && this.sink !== undefined) {
      // The win is recorded (a loot row, or an event) before the request completes.
      this.lastSinkEventAt = at
      at = this.sink.record(at, this.rng)
    }
    this.client.setResult(slot, outcome)
    this.rec.sent(this.client.bucket(slot))
    this.q.pushKeyed(slot, at, (slot << KIND_BITS) | K_COMPLETE)
  }

  /**
   * Live: the attempt in `slot` ended at virtual time `at` with `outcome` (a Reply, or
   * minus an ErrorKind). `applied` is a win the store reported — kept even when the client
   * had already given up, since a timeout does not mean "not applied".
   */
  liveComplete(slot: number, outcome: number, at: number): void {
    if (this.done) return
    this.client.setResult(slot, outcome)
    this.q.pushKeyed(slot, Math.max(at, this.now), (slot << KIND_BITS) | K_COMPLETE)
  }

  /**
   * Count collisions: a claim that finds its artifact taken within the collision window of
   * the win (it lost a race rather than arriving late). `at` is when the script ran.
   */
  noteClaim(slot: number, reply: number, at: number): void {
    const a = this.client.artifact(slot)
    if (reply === Reply.WON) this.wonAt[a] = at
    else if (reply === Reply.TAKEN && at - this.wonAt[a] <= this.collisionWindowMs) this.bucketCollisions[this.client.bucket(slot)]++
    // The script's diff goes to the artifact's bucket stream (every claim that met an open
    // artifact, or only wins, as the pipeline says).
    if (this.pipeline !== undefined && (reply === Reply.WON || reply === Reply.TAKEN))
      this.pipeline.onClaim(this.workload.artifactBucket[a], a, reply === Reply.WON, at, this.rng)
  }

  /** Live: a win the store applied for the request in `slot` (acknowledged or not). */
  liveApplied(slot: number, at: number): void {
    const c = this.client
    this.lockWrites.push({ artifact: c.artifact(slot), hunter: c.hunter(slot), bucket: c.bucket(slot), requestKey: c.key(slot), appliedAt: at, replicateAt: Infinity, lostBy: -1 })
    c.setWrite(slot, this.lockWrites.length - 1)
  }

  /** The time of the next event, or Infinity (live: how long to sleep). */
  nextEventTime(): number {
    return this.q.size === 0 ? Infinity : this.q.peekTime()
  }

  /**
   * Lockstep: the store call the step loop stopped at — which command, for whom, at which
   * virtual time. `resolve(reply)` finishes it; `pending` is -1 when nothing waits.
   */
  pendingCall(): { command: number; bucket: number; artifact: number; hunter: number; key: number; at: number } {
    const c = this.client, slot = this.pending
    return { command: c.command(slot), bucket: c.bucket(slot), artifact: c.artifact(slot), hunter: c.hunter(slot), key: c.key(slot), at: this.pendingStart }
  }

  /** Lockstep: the store replied `reply` to the pending call; record a win and schedule completion. */
  resolve(reply: number): void {
    const slot = this.pending
    this.pending = -1
    const c = this.client
    if (c.command(slot) === Command.CLAIM) this.noteClaim(slot, reply, this.pendingStart)
    if (reply === Reply.WON) {
      this.lockWrites.push({ artifact: c.artifact(slot), hunter: c.hunter(slot), bucket: c.bucket(slot), requestKey: c.key(slot), appliedAt: this.pendingStart, replicateAt: Infinity, lostBy: -1 })
      c.setWrite(slot, this.lockWrites.length - 1)
    }
    this.scheduleCompletion(slot, this.pendingNoReply ? -ErrorKind.CONNECTION : reply, this.pendingReplyAt, this.pendingDeadline)
  }

  private complete(slot: number, t: number): void {
    const c = this.client
    this.rec.returned(c.bucket(slot))
    if (c.settle(slot, t, c.result(slot), this.rng) === Next.RETRY) {
      this.retries++
      this.rec.retried()
      this.waitingRetry++
      this.q.pushKeyed(slot, c.retryAt, (slot << KIND_BITS) | K_RETRY)
      return
    }
    this.end(slot, t)
  }

  /** A logical request is over: count it, then schedule the hunter's next task. */
  private end(slot: number, t: number): void {
    const c = this.client
    const bucket = c.bucket(slot)
    const result = c.result(slot)
    if (result > 0) {
      this.rec.succeeded(bucket, t - c.intended(slot), result)
      if (isWinAck(result)) this.acknowledged(slot, t)
    } else {
      this.rec.failed(bucket, -result)
      if (c.write(slot) >= 0) this.appliedUnacknowledged++
    }
    if (this.ownSlots) this.q.pushKeyed(slot, t + this.nextWait(), (slot << KIND_BITS) | K_TASK)
    else c.release(slot)
  }

  /** The client heard it won (or already had): an acknowledged claim, for the invariants. */
  private acknowledged(slot: number, t: number): void {
    const c = this.client
    const write = c.write(slot) >= 0 ? c.write(slot) : (this.store.idem.get(c.key(slot)) ?? -1)
    this.acks.push({ artifact: c.artifact(slot), hunter: c.hunter(slot), write, at: t, key: c.key(slot) })
  }

  /** Think time before a closed-model hunter's next task. */
  private nextWait(): number {
    return this.interval + (this.jitter > 0 ? (2 * this.rng.next() - 1) * this.jitter : 0)
  }

  private loss(i: number, t: number): void {
    const l = this.plan.losses[i]
    if (l.kind === "failover") {
      const r = this.store.loseUnreplicated(l.node, t, l.fault)
      this.losses.push({ fault: l.fault, node: l.node, at: t, kind: l.kind, lostWrites: r.lost, replicatedUpTo: r.replicatedUpTo })
    } else {
      const lost = this.store.loseAll(l.node, t, l.fault)
      this.losses.push({ fault: l.fault, node: l.node, at: t, kind: l.kind, lostWrites: lost, replicatedUpTo: -1 })
    }
  }

  private finish(end: number): void {
    if (this.done) return
    this.rec.finish(end, this)
    this.pipeline?.finish(end, this.rng)
    this.app?.finish(end)
    this.now = end
    this.done = true
  }

  /**
   * End the run early at the time reached (Ctrl-C): the last partial second is recorded and
   * what is under way counts as unfinished. `raw()` then gives the figures so far.
   */
  stop(): void {
    this.finish(this.now)
  }

  /** The run's figures; call after `step` returned true. `store` replaces the model's (lockstep). */
  raw(store: SyncClaimStore = this.store): RawRun {
    return {
      scenario: this.s,
      events: this.events,
      endMs: this.now,
      latency: this.rec.latency,
      bucketLatency: this.rec.bucketLatency,
      requests: this.requests,
      ok: this.rec.ok,
      attempts: this.attempts,
      retries: this.retries,
      errorsByKind: this.rec.errorsByKind,
      repliesByCode: this.rec.repliesByCode,
      claimsAttempted: this.claimsAttempted,
      appliedUnacknowledged: this.appliedUnacknowledged,
      bucketRequests: this.rec.bucketRequests,
      bucketErrors: this.rec.bucketErrors,
      bucketCollisions: this.bucketCollisions,
      bucketMaxBacklog: this.rec.bucketMaxBacklog,
      bucketNode: this.bucketNode,
      breakerTrips: this.client.breakers.trips,
      totalTrips: this.client.breakers.totalTrips,
      timeline: this.rec.timeline,
      acks: this.acks,
      losses: this.losses,
      store,
      workload: this.workload,
      plan: this.plan,
      nodeQueueWaitMs: this.timing.queueWait,
      nodeServed: this.timing.served,
      queueWait: this.timing.waitHistogram,
      inFlightAtEnd: this.rec.totalInflight,
      unfinished: {
        // A lockstep call the store has not answered yet is in flight too.
        inFlight: this.rec.totalInflight + (this.pending >= 0 ? 1 : 0),
        retryWait: this.waitingRetry,
        appQueue: this.inAppQueue,
        loadgen: this.inLoadgen
      },
      bucketTimeline: this.rec.bucketTimeline,
      bucketHunters: this.movement.bucketHunters,
      bucketMaxHunters: this.movement.bucketMaxHunters,
      crossings: this.movement.crossings,
      viralJoined: this.movement.viralJoined,
      pipeline: this.pipeline,
      app: this.app,
      sink: this.sink,
      ring: this.ring,
      loadgen: this.loadgen
    }
  }
}

/** Run a scenario to the end synchronously. Example: `const raw = simulate(scenario)`. */
export const simulate = (s: Scenario, opts: DriverOptions = {}): RawRun => {
  const sim = new Simulator(s, opts)
  while (!sim.step(1 << 20));
  return sim.raw()
}
