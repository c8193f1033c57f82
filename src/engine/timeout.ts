/**
 * The client's timeout rule: an attempt whose reply has not come by its deadline ends there,
 * as a TIMEOUT — though the command may still run, or have run, on the server (a timeout does
 * not mean "not applied"; the invariants count such wins as applied but unacknowledged).
 *
 * Both drivers apply it on the virtual clock. The simulated one knows the reply time when it
 * sends (`timedOut`); the live one does not, so it arms a deadline per attempt, schedules an
 * event at it, and whichever comes first — the reply or the deadline — ends the attempt
 * (`Deadlines`).
 */

/**
 * Whether a reply due at `replyAt` comes too late for an attempt with this deadline. Example:
 * `timedOut(1250, 1200) === true` — the attempt ends at 1200 as a TIMEOUT.
 */
export const timedOut = (replyAt: number, deadline: number): boolean => replyAt > deadline

/**
 * The deadlines of attempts whose reply time is unknown when they leave, one per request
 * slot. Example: `d.arm(slot, 1200)`; then a reply at 900 → `d.answer(slot, 1200, 900) === true`
 * (the reply ends the attempt), or the deadline event at 1200 → `d.expire(slot, 1200) ===
 * true` (a TIMEOUT ends it); whichever comes second is told `false`.
 */
export class Deadlines {
  private at = new Float64Array(64).fill(NaN)

  /** An attempt in `slot` left with this deadline. */
  arm(slot: number, deadline: number): void {
    if (slot >= this.at.length) {
      const grown = new Float64Array(Math.max(slot + 1, this.at.length * 2)).fill(NaN)
      grown.set(this.at)
      this.at = grown
    }
    this.at[slot] = deadline
  }

  /**
   * The reply to the attempt sent with `deadline` came at `t`: true if that attempt is still
   * waiting and the reply is in time (the reply ends it). A reply after the deadline is left
   * to the deadline's event; one for an attempt that already ended (another deadline, or
   * none, in the slot) is ignored. Two attempts of one slot cannot share a deadline: the
   * next leaves only after the last ended, later on the clock.
   */
  answer(slot: number, deadline: number, t: number): boolean {
    if (this.at[slot] !== deadline || t > deadline) return false
    this.at[slot] = NaN
    return true
  }

  /**
   * The deadline event for `slot` fired at `t`: true if it ends an attempt (a TIMEOUT).
   * An event left over from an attempt that was answered, or from an earlier attempt in
   * the same slot, finds another deadline (or none) and is ignored.
   */
  expire(slot: number, t: number): boolean {
    if (this.at[slot] !== t) return false
    this.at[slot] = NaN
    return true
  }

  /** Attempts sent and not yet ended. */
  get waiting(): number {
    let n = 0
    for (const d of this.at) if (d === d) n++
    return n
  }
}
