/**
 * A request's life, from a hunter's task to its end: the engine admits each attempt, the
 * tiers the scenario has (worker ring, load generator, app tier) pass it on, Redis answers —
 * as the run's `Mode` says — the engine's timeout rule cuts a late reply, and the engine
 * settles the result (done, or retry after a backoff). The recorder hears what ended.
 *
 * Who answers the Redis call is the mode: the model (a simulated run: timing model plus model
 * store, answered at once), an asynchronous store awaited in virtual-time order (lockstep,
 * sim/lockstep.ts) or a real server on the wall clock (live, sim/live.ts). Everything else
 * here is the same in all three.
 */
import { Command, ErrorKind, Reply, isWinAck } from "../src/engine/protocol.ts"
import { Next, type ClaimClient } from "../src/engine/client.ts"
import { timedOut } from "../src/engine/timeout.ts"
import type { SyncClaimStore, WriteEntry } from "../src/ports/ClaimStore.ts"
import type { SyncTiming } from "../src/ports/Timing.ts"
import type { Scenario } from "../src/scenario.ts"
import { Outcome } from "./model/timing.ts"
import type { AppTier } from "./model/app.ts"
import type { Sink } from "./model/sink.ts"
import type { LoadGen } from "./model/loadgen.ts"
import type { Gateway } from "./model/gateway.ts"
import type { WorkerRing } from "./ring.ts"
import type { Tiers } from "./tiers.ts"
import type { Prng } from "./prng.ts"
import type { EventQueue } from "./queue.ts"
import type { Pipeline } from "./pipeline.ts"
import type { Workload } from "./workload.ts"
import type { Recorder } from "./recorder.ts"
import type { Movement } from "./movement.ts"
import { K_COMPLETE, K_RETRY, K_TASK, K_TO_APP, K_TO_REDIS, KIND_BITS } from "./events.ts"
import { ModelMode, type Mode } from "./mode.ts"

export type { Mode }

/** How soon a connection to a dead worker is refused. */
const REFUSED_MS = 0.5

export interface Ack {
  readonly artifact: number
  readonly hunter: number
  readonly write: number
  readonly at: number
  readonly key: number
}

/** The parts of the simulated world a request passes through (the Simulator builds them). */
export interface World {
  readonly s: Scenario
  readonly q: EventQueue
  readonly rng: Prng
  readonly client: ClaimClient
  readonly workload: Workload
  readonly movement: Movement
  readonly pipeline: Pipeline | undefined
  readonly tiers: Tiers
  readonly timing: SyncTiming
  readonly store: SyncClaimStore
  readonly bucketNode: Int32Array
  readonly rec: Recorder
  /** Closed model, one slot per hunter: a task event's id is both. */
  readonly ownSlots: boolean
}

export class Lifecycle {
  readonly q: EventQueue
  readonly rng: Prng
  readonly client: ClaimClient
  readonly timing: SyncTiming
  readonly store: SyncClaimStore
  readonly bucketNode: Int32Array
  readonly rec: Recorder
  readonly mode: Mode
  /** The mode is the model's: `toRedis` calls `modelAnswer` itself. */
  private readonly modelled: boolean
  private readonly workload: Workload
  private readonly movement: Movement
  private readonly pipeline: Pipeline | undefined
  private readonly edgeCache: boolean
  private readonly app: AppTier | undefined
  private readonly sink: Sink | undefined
  private readonly ring: WorkerRing | undefined
  private readonly loadgen: LoadGen | undefined
  private readonly gateway: Gateway | undefined
  /** A worker ring, load generator, gateway or app tier sits between the hunter and Redis. */
  private readonly staged: boolean
  private readonly ownSlots: boolean
  private readonly interval: number
  private readonly jitter: number
  readonly bucketCollisions: Float64Array
  private readonly wonAt: Float64Array
  private readonly collisionWindowMs: number
  /** engine.waitReplicas' timeout, or 0 without WAIT. */
  private readonly waitTimeoutMs: number
  requests = 0
  attempts = 0
  retries = 0
  claimsAttempted = 0
  appliedUnacknowledged = 0
  // Requests between stages (see Unfinished): a request that ends must have left them all.
  waitingRetry = 0
  inAppQueue = 0
  inLoadgen = 0
  readonly acks: Array<Ack> = []
  /** Wins an asynchronous store reported, in order (the write log its snapshot lacks). */
  readonly storeWrites: Array<WriteEntry> = []
  /** When the last win reached a log sink (the recorder reads it for the consumer lag). */
  lastSinkEventAt = -1

  /** Example: `const life = new Lifecycle(world, new ModelMode())` (the Simulator does it). */
  constructor(w: World, mode: Mode) {
    this.q = w.q
    this.rng = w.rng
    this.client = w.client
    this.timing = w.timing
    this.store = w.store
    this.bucketNode = w.bucketNode
    this.rec = w.rec
    this.mode = mode
    this.modelled = mode instanceof ModelMode
    this.workload = w.workload
    this.movement = w.movement
    this.pipeline = w.pipeline
    this.edgeCache = w.s.pipeline?.edgeCache !== undefined
    const t = w.tiers
    this.ring = t.ring
    this.loadgen = t.loadgen
    this.gateway = t.gateway
    this.app = t.app
    this.sink = t.sink
    this.staged = t.ring !== undefined || t.loadgen !== undefined || t.gateway !== undefined || t.app !== undefined
    this.ownSlots = w.ownSlots
    const b = w.s.hunters.behaviour
    this.interval = b.model === "closed" ? b.pollIntervalMs : 0
    this.jitter = b.model === "closed" ? b.jitterMs : 0
    this.bucketCollisions = new Float64Array(w.s.topology.buckets)
    this.wonAt = new Float64Array(w.workload.artifactBucket.length).fill(-Infinity)
    this.collisionWindowMs = w.s.artifacts.collisionWindowMs
    this.waitTimeoutMs = w.s.engine.waitReplicas?.timeoutMs ?? 0
    mode.attach(this)
  }

  /** A hunter's task starts at `t` in `slot`: pick its command, bucket and artifact, send it. */
  startTask(slot: number, hunter: number, t: number): void {
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

  /** The retry of the request in `slot` is due at `t`. */
  retry(slot: number, t: number): void {
    this.waitingRetry--
    this.attempt(slot, t)
  }

  /** Send one attempt of the request in `slot` at `t`. */
  private attempt(slot: number, t: number): void {
    this.attempts++
    if (!this.client.admit(slot, t)) this.end(slot, t)
    else if (this.staged) this.stages(slot, t)
    else this.toRedis(slot, t)
  }

  /** The tiers between the hunter and Redis that the scenario has: worker ring, load generator, gateway, app. */
  private stages(slot: number, t: number): void {
    const c = this.client
    // Routed to a worker by the hunter's hash: a dead one nobody has noticed refuses at once.
    if (this.ring !== undefined && this.ring.route(c.hunter(slot), t) < 0) {
      this.refuse(slot, t)
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

  /** The load generator let the first attempt in `slot` go at `t`. */
  fromLoadgen(slot: number, t: number): void {
    this.inLoadgen--
    this.toApp(slot, t)
  }

  /** The attempt is refused a connection at `t` (a dead worker, a full gateway): it fails at once. */
  private refuse(slot: number, t: number): void {
    this.rec.sent(this.client.bucket(slot))
    this.scheduleCompletion(slot, -ErrorKind.CONNECTION, t + REFUSED_MS, t + this.client.timeoutMs)
  }

  /**
   * The attempt, let go by the load generator, reaches the gateway (which must hold or open
   * the hunter's connection) and then the app tier (its parse; a retry is the app's own).
   */
  private toApp(slot: number, t: number): void {
    if (this.gateway !== undefined && !this.gateway.connect(this.client.hunter(slot))) {
      this.refuse(slot, t)
      return
    }
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

  /** The app tier is done with the first attempt in `slot` at `t`: its Redis call leaves. */
  fromApp(slot: number, t: number): void {
    this.inAppQueue--
    this.toRedis(slot, t)
  }

  /** The attempt's Redis call leaves at `sendAt`; the mode answers it. */
  private toRedis(slot: number, sendAt: number): void {
    this.rec.sent(this.client.bucket(slot))
    // The model's answer is called directly: the hot path of every simulated run (measured:
    // through the mode's method the reference hunt took ~1.5 % longer).
    if (this.modelled) this.modelAnswer(slot, sendAt, sendAt + this.client.timeoutMs)
    else this.mode.send(slot, sendAt, sendAt + this.client.timeoutMs)
  }

  /**
   * Time the attempt with the timing model (model and lockstep modes). One that never
   * reaches the store — no pool connection in time, a dead node — is failed here; returns
   * whether the store runs it (its figures are then in `timing`).
   */
  timeAttempt(slot: number, sendAt: number, deadline: number): boolean {
    const c = this.client, tm = this.timing
    tm.send(this.bucketNode[c.bucket(slot)], c.command(slot), sendAt, deadline, this.rng)
    const out = tm.outcome
    if (out === Outcome.POOL_TIMEOUT) this.scheduleCompletion(slot, -ErrorKind.POOL_TIMEOUT, tm.replyAt, deadline)
    else if (out === Outcome.CONNECTION) this.scheduleCompletion(slot, -ErrorKind.CONNECTION, tm.replyAt, deadline)
    else return true
    return false
  }

  /**
   * The model answers the attempt (a simulated run): the timing model says when the call
   * runs and returns, or how it fails; the model store runs the claim there and then —
   * whether or not the client is still waiting.
   */
  modelAnswer(slot: number, sendAt: number, deadline: number): void {
    if (!this.timeAttempt(slot, sendAt, deadline)) return
    const c = this.client, tm = this.timing, out = tm.outcome
    const bucket = c.bucket(slot)
    const cmd = c.command(slot)
    let reply: number = Reply.BALANCE
    if (cmd === Command.CLAIM) {
      const store = this.store, artifact = c.artifact(slot)
      reply = store.claim(artifact, c.hunter(slot), c.key(slot), tm.startAt, tm.lagMs, c.attempt(slot) > 1)
      if (reply === Reply.WON) c.setWrite(slot, store.lastWrite)
      this.noteClaim(artifact, bucket, reply, tm.startAt)
    } else this.store.balance(bucket, c.hunter(slot))
    if (this.waitTimeoutMs > 0) this.settleReply(slot, reply, deadline, isWinAck(reply) ? this.replicatedAt(slot, reply) : undefined)
    else this.scheduleCompletion(slot, out === Outcome.APPLIED_NO_REPLY ? -ErrorKind.CONNECTION : reply, tm.replyAt, deadline)
  }

  /**
   * The reply the store gave the attempt in `slot` reaches the client as the timing model
   * says — after a WAIT for the replica first, when the scenario asks for one and the reply
   * is a win (a claim acknowledged only once durable).
   */
  settleReply(slot: number, reply: number, deadline: number, replicatedAt?: number): void {
    const tm = this.timing
    if (this.waitTimeoutMs > 0 && isWinAck(reply) && tm.outcome === Outcome.REPLY) tm.awaitReplica(this.waitTimeoutMs, replicatedAt)
    const out = tm.outcome
    this.scheduleCompletion(slot, out === Outcome.APPLIED_NO_REPLY ? -ErrorKind.CONNECTION : out === Outcome.UNCONFIRMED ? -ErrorKind.TIMEOUT : reply, tm.replyAt, deadline)
  }

  /** When the replica has the win a WON or ALREADY reply in `slot` stands for (the model store's write log). */
  private replicatedAt(slot: number, reply: number): number | undefined {
    const c = this.client, store = this.store
    const w = reply === Reply.WON ? store.lastWrite : (store.idem.get(c.key(slot)) ?? -1)
    return w >= 0 ? store.writes[w].replicateAt : undefined
  }

  /**
   * The attempt in `slot` ends at `at` with `outcome` (a Reply, or minus an ErrorKind) — or,
   * by the engine's timeout rule, at `deadline` as a TIMEOUT if that comes first.
   */
  scheduleCompletion(slot: number, outcome: number, at: number, deadline: number): void {
    if (timedOut(at, deadline)) {
      at = deadline
      outcome = -ErrorKind.TIMEOUT
    } else if (outcome === Reply.WON && this.sink !== undefined) {
      // The win is recorded (a loot row, or an event) before the request completes.
      this.lastSinkEventAt = at
      at = this.sink.record(at, this.rng)
    }
    this.client.setResult(slot, outcome)
    this.q.pushKeyed(slot, at, (slot << KIND_BITS) | K_COMPLETE)
  }

  /**
   * Count collisions: a claim that finds its artifact taken within the collision window of
   * the win (it lost a race rather than arriving late). `at` is when the script ran.
   */
  noteClaim(artifact: number, bucket: number, reply: number, at: number): void {
    if (reply === Reply.WON) this.wonAt[artifact] = at
    else if (reply === Reply.TAKEN && at - this.wonAt[artifact] <= this.collisionWindowMs) this.bucketCollisions[bucket]++
    // The script's diff goes to the artifact's bucket stream (every claim that met an open
    // artifact, or only wins, as the pipeline says).
    if (this.pipeline !== undefined && (reply === Reply.WON || reply === Reply.TAKEN))
      this.pipeline.onClaim(this.workload.artifactBucket[artifact], artifact, reply === Reply.WON, at, this.rng)
  }

  /**
   * A win an asynchronous store applied at `at` for the given request; returns its index in
   * `storeWrites` (the request's write, if it is still the one in its slot).
   */
  storeWin(artifact: number, hunter: number, bucket: number, requestKey: number, at: number): number {
    this.storeWrites.push({ artifact, hunter, bucket, requestKey, appliedAt: at, replicateAt: Infinity, lostBy: -1 })
    return this.storeWrites.length - 1
  }

  /** The attempt in `slot` came back at `t` (its result set): settle it, retry or end. */
  complete(slot: number, t: number): void {
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
      else this.mode.failed(slot)
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
  nextWait(): number {
    return this.interval + (this.jitter > 0 ? (2 * this.rng.next() - 1) * this.jitter : 0)
  }
}
