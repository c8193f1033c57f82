/**
 * Modes of the request lifecycle (sim/lifecycle.ts): who answers an attempt's Redis call.
 * `ModelMode` here (a simulated run); `LockstepMode` in sim/lockstep.ts (an asynchronous
 * store, awaited in virtual-time order); `LiveMode` in sim/live.ts (a real server on the
 * wall clock).
 */
import type { Lifecycle } from "./lifecycle.ts"

/**
 * Who answers an attempt's Redis call. Example: `new Simulator(s, { mode: new LockstepMode() })`
 * (the default is `new ModelMode()`).
 */
export interface Mode {
  /** The step loop stops while a call waits for its answer (lockstep awaits the store). */
  readonly stops: boolean
  /** Whether the tiers between hunter and Redis are modelled (live sends straight to Redis). */
  readonly modelsTiers: boolean
  /** Closed-model hunters start their next task on schedule, not when the last one ends. */
  readonly openLoop: boolean
  /** Whether a call is waiting for its answer now (the step loop reads it when `stops`). */
  readonly waiting: boolean
  /** Bind to the run's lifecycle; the Simulator calls it once, before any event. */
  attach(life: Lifecycle): void
  /** The attempt in `slot` leaves for Redis at `sendAt` and gives up at `deadline`. */
  send(slot: number, sendAt: number, deadline: number): void
  /** A deadline event for `slot` fired at `t` (only modes that schedule them get it). */
  expire(slot: number, t: number): void
  /** The request in `slot` ended in error (a win may still come back for it, live). */
  failed(slot: number): void
  /** The client's pool to `node` holds `size` connections from `t` (modes with a pool of their own). */
  resizePool?(node: number, size: number, t: number): void
}

/**
 * A simulated run: the timing model says when the call runs and returns (or fails), the
 * model store answers it there and then. Example: `new Simulator(s)` uses it.
 */
export class ModelMode implements Mode {
  readonly stops = false
  readonly modelsTiers = true
  readonly openLoop = false
  readonly waiting = false
  private life!: Lifecycle

  attach(life: Lifecycle): void {
    this.life = life
  }

  send(slot: number, sendAt: number, deadline: number): void {
    this.life.modelAnswer(slot, sendAt, deadline)
  }

  expire(): void {}
  failed(): void {}
}
