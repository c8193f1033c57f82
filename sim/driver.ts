/**
 * The discrete-event driver: a virtual clock, one seeded generator, an event queue, and the
 * hunt's event loop. It builds the simulated world for a scenario — workload, engine client,
 * model store and timing, the tiers the scenario has, the recorder — and hands each event to
 * the part it concerns: a request's steps to its lifecycle (sim/lifecycle.ts), hunter
 * movement to sim/movement.ts, faults and state loss to the timing model and store.
 * `step(n)` runs up to n events so callers can report progress, yield to other work or stop;
 * `raw()` hands the collected figures to the report builder.
 *
 * Every entry point — `Simulation.run`, lockstep, live, the dashboard's worker, sweeps, the
 * bench — builds its run here; the `mode` (sim/lifecycle.ts) says who answers Redis calls.
 * Events are encoded as sim/events.ts says; a request is timed when sent (sim/model/timing.ts),
 * so one costs two events — its send (a task, arrival or retry) and its completion — plus
 * one per stage that delayed it on the way (load generator, app tier).
 */
import { ClaimClient, ROW_DOUBLES } from "../src/engine/client.ts"
import { bucketToNode } from "../src/engine/routing.ts"
import { AOF_FSYNC_MS, compileFaults, type FaultPlan } from "../src/faults.ts"
import type { Scenario } from "../src/scenario.ts"
import type { StoreConfig, SyncClaimStore, WriteEntry } from "../src/ports/ClaimStore.ts"
import type { SyncTiming } from "../src/ports/Timing.ts"
import type { TimelineRow } from "../src/report.ts"
import { ModelStore } from "./model/store.ts"
import { timingFor } from "./model/timing.ts"
import { Prng } from "./prng.ts"
import { EventHeap, TimingWheel, type EventQueue } from "./queue.ts"
import { Pipeline } from "./pipeline.ts"
import { Workload } from "./workload.ts"
import { Recorder, type BucketTimeline } from "./recorder.ts"
import { Movement } from "./movement.ts"
import { buildTiers, type Tiers } from "./tiers.ts"
import { Lifecycle, type Ack, type World } from "./lifecycle.ts"
import { ModelMode, type Mode } from "./mode.ts"
import type { LossRecord, RawRun } from "./raw.ts"
import { K_ARRIVAL, K_COMPLETE, K_DEADLINE, K_FAULT_END, K_FAULT_START, K_LOSS, K_RETRY, K_SPLIT_DONE, K_TASK, K_TO_APP, K_TO_REDIS, K_VIRAL, KIND_BITS, KIND_MASK } from "./events.ts"
import { F64 } from "../src/typed.ts"

export type { Ack, LossRecord, RawRun }

export interface DriverOptions {
  /** "wheel" (default, ~3× faster here) or "heap". */
  readonly queue?: "heap" | "wheel"
  /** Who answers Redis calls: the model (default), a `LockstepMode` or a `LiveMode`. */
  readonly mode?: Mode
  /** Closed-model hunters start their next task on schedule, not after the last one ends. */
  readonly openLoop?: boolean
}

export class Simulator implements World {
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
  readonly mode: Mode
  /** A request's life from task to end: the lifecycle, answered as the mode says. */
  readonly life: Lifecycle
  private readonly meanArrivalMs: number
  private readonly rampPerMs: number
  /** What the run measures, second by second and bucket by bucket. */
  readonly rec: Recorder
  readonly losses: Array<LossRecord> = []
  events = 0
  now = F64
  done = false
  // Geography: hunters per bucket (subscribers of its stream).
  readonly movement: Movement
  readonly pipeline: Pipeline | undefined
  /** The tiers between hunter and Redis, and the sink (sim/tiers.ts). */
  readonly tiers: Tiers
  /** Closed model, one slot per hunter: a task event's id is both. */
  readonly ownSlots: boolean

  /** Example: `const sim = new Simulator(scenario); while (!sim.step(1e6)); const raw = sim.raw()`. */
  constructor(s: Scenario, opts: DriverOptions = {}) {
    this.s = s
    const mode = (this.mode = opts.mode ?? new ModelMode())
    const openLoop = opts.openLoop === true || mode.openLoop
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
      replicas: s.topology.replicas,
      streamCap: s.topology.streamCap,
      idempotency: s.engine.idempotency
    }
    this.store = new ModelStore(this.storeConfig)
    this.timing = timingFor(s, this.plan)
    this.rec = new Recorder(s, B)
    const bucketHunters = new Int32Array(B)
    for (let h = 0; h < H; h++) bucketHunters[this.workload.hunterBucket[h]]++
    this.pipeline = s.pipeline ? new Pipeline(s, bucketHunters, this.workload.cells, this.workload.artifactLat, this.workload.artifactLon) : undefined
    this.movement = new Movement(this.workload, bucketHunters, this.pipeline, this.rng, (b, doneAt) => {
      this.rec.splits.push(b)
      this.q.push(doneAt, (b << KIND_BITS) | K_SPLIT_DONE)
    })
    this.tiers = buildTiers(s, mode.modelsTiers)
    const b = s.hunters.behaviour
    this.closed = b.model === "closed"
    this.meanArrivalMs = b.model === "open" ? 1000 / b.ratePerSec : 0
    this.rampPerMs = s.hunters.start.kind === "ramp" ? s.hunters.start.perSecond / 1000 : Infinity
    this.ownSlots = this.closed && !openLoop
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
    this.life = new Lifecycle(this, mode)
    if (this.closed) {
      if (this.ownSlots) this.client.reserve(H)
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

  /** When the last win reached a log sink (the recorder reads it for the consumer lag). */
  get lastSinkEventAt(): number {
    return this.life.lastSinkEventAt
  }

  /** The timeline rows closed so far (the dashboard streams them while a run goes on). */
  get timeline(): ReadonlyArray<TimelineRow> {
    return this.rec.timeline
  }

  /** The per-bucket columns closed so far. */
  get bucketTimeline(): BucketTimeline {
    return this.rec.bucketTimeline
  }

  /** Wins an asynchronous store (lockstep, live) reported: its write log. */
  get storeWrites(): ReadonlyArray<WriteEntry> {
    return this.life.storeWrites
  }

  /** The time of the next event, or Infinity (live: how long to sleep). */
  nextEventTime(): number {
    return this.q.size === 0 ? Infinity : this.q.peekTime()
  }

  private nextArrivalGap(): number {
    return -this.meanArrivalMs * Math.log(1 - this.rng.next())
  }

  /**
   * Run up to `maxEvents` events (only those due by `until`, if given); returns true once
   * the run has finished. A mode that `stops` (lockstep) also returns false as soon as a
   * store call waits for its answer.
   */
  step(maxEvents: number, until = Infinity): boolean {
    if (this.done) return true
    const q = this.q, end = this.s.durationMs, life = this.life, mode = this.mode
    // Lockstep stops at a waiting store call; live stops at what is due by the wall clock
    // (a late answer may still come). A simulated run checks neither.
    const guarded = mode.stops || until < end
    let n = 0
    while (n < maxEvents) {
      if (guarded && (mode.waiting || (until < end && q.size > 0 && q.peekTime() > until))) break
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
      if (kind === K_COMPLETE) life.complete(p >>> KIND_BITS, t)
      else if (kind === K_TASK && this.ownSlots) life.startTask(p >>> KIND_BITS, p >>> KIND_BITS, t)
      else this.dispatch(p, t)
    }
    this.events += n
    return false
  }

  /** Every event kind but completions and own-slot tasks, which `step` handles itself. */
  private dispatch(p: number, t: number): void {
    const id = p >>> KIND_BITS, life = this.life
    switch (p & KIND_MASK) {
      case K_TASK:
        // Open loop: on schedule whether or not the hunter's last request has returned.
        this.q.push(t + life.nextWait(), (id << KIND_BITS) | K_TASK)
        life.startTask(this.client.allocate(), id, t)
        break
      case K_ARRIVAL:
        this.arrival(t)
        break
      case K_RETRY:
        life.retry(id, t)
        break
      case K_FAULT_START: {
        const f = this.s.faults[id]
        if (f.kind === "poolShrink") {
          this.timing.resizePool(f.target, f.poolSize, t)
          life.mode.resizePool?.(f.target, f.poolSize, t)
        }
        break
      }
      case K_FAULT_END: {
        const f = this.s.faults[id]
        if (f.kind === "poolShrink") {
          this.timing.resizePool(f.target, this.s.topology.poolSize, t)
          life.mode.resizePool?.(f.target, this.s.topology.poolSize, t)
        }
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
        life.fromLoadgen(id, t)
        break
      case K_TO_REDIS:
        life.fromApp(id, t)
        break
      case K_DEADLINE:
        this.mode.expire(id, t)
        break
    }
  }

  private arrival(t: number): void {
    const H = this.s.hunters.count
    const started = this.rampPerMs === Infinity ? H : Math.min(H, Math.floor(t * this.rampPerMs) + 1)
    const hunter = Math.floor(this.rng.next() * started)
    this.life.startTask(this.client.allocate(), hunter, t)
    this.q.push(t + this.nextArrivalGap(), K_ARRIVAL)
  }

  private loss(i: number, t: number): void {
    const l = this.plan.losses[i]
    if (l.kind === "failover") {
      const r = this.store.loseUnreplicated(l.node, t, l.fault)
      this.losses.push({ fault: l.fault, node: l.node, at: t, kind: l.kind, lostWrites: r.lost, replicatedUpTo: r.replicatedUpTo })
    } else {
      const lost = this.store.loseSince(l.node, l.kind === "disk" ? t - AOF_FSYNC_MS : -Infinity, t, l.fault)
      this.losses.push({ fault: l.fault, node: l.node, at: t, kind: l.kind, lostWrites: lost, replicatedUpTo: -1 })
    }
  }

  private finish(end: number): void {
    if (this.done) return
    this.rec.finish(end, this)
    this.pipeline?.finish(end, this.rng)
    this.tiers.app?.finish(end)
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

  /** The run's figures; call after `step` returned true. `store` replaces the model's (lockstep, live). */
  raw(store: SyncClaimStore = this.store): RawRun {
    const life = this.life, rec = this.rec
    return {
      scenario: this.s,
      events: this.events,
      endMs: this.now,
      latency: rec.latency,
      bucketLatency: rec.bucketLatency,
      requests: life.requests,
      ok: rec.ok,
      attempts: life.attempts,
      retries: life.retries,
      errorsByKind: rec.errorsByKind,
      repliesByCode: rec.repliesByCode,
      claimsAttempted: life.claimsAttempted,
      appliedUnacknowledged: life.appliedUnacknowledged,
      bucketRequests: rec.bucketRequests,
      bucketErrors: rec.bucketErrors,
      bucketCollisions: life.bucketCollisions,
      bucketMaxBacklog: rec.bucketMaxBacklog,
      bucketNode: this.bucketNode,
      breakerTrips: this.client.breakers.trips,
      totalTrips: this.client.breakers.totalTrips,
      timeline: rec.timeline,
      acks: life.acks,
      losses: this.losses,
      store,
      workload: this.workload,
      plan: this.plan,
      nodeQueueWaitMs: this.timing.queueWait,
      nodeServed: this.timing.served,
      queueWait: this.timing.waitHistogram,
      inFlightAtEnd: rec.totalInflight,
      // A lockstep call the store has not answered yet is in flight too (the recorder counted it sent).
      unfinished: { inFlight: rec.totalInflight, retryWait: life.waitingRetry, appQueue: life.inAppQueue, loadgen: life.inLoadgen },
      bucketTimeline: rec.bucketTimeline,
      bucketHunters: this.movement.bucketHunters,
      bucketMaxHunters: this.movement.bucketMaxHunters,
      crossings: this.movement.crossings,
      viralJoined: this.movement.viralJoined,
      pipeline: this.pipeline,
      tiers: this.tiers
    }
  }
}

/** Run a scenario to the end synchronously. Example: `const raw = simulate(scenario)`. */
export const simulate = (s: Scenario, opts: DriverOptions = {}): RawRun => {
  const sim = new Simulator(s, opts)
  while (!sim.step(1 << 20));
  return sim.raw()
}
