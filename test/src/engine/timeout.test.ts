// The client's timeout rule: a reply after the deadline is a timeout; per-slot deadlines end
// an attempt exactly once — by its reply in time or by its deadline — and ignore what is
// left over from an attempt that already ended.
import { describe, expect, it } from "vitest"
import { Deadlines, timedOut } from "../../../src/engine/timeout.ts"

describe("timeout rule", () => {
  it("a reply exactly at the deadline is in time; after it, not", () => {
    expect(timedOut(1200, 1200)).toBe(false)
    expect(timedOut(1200.001, 1200)).toBe(true)
  })

  it("the reply ends an attempt in time; its deadline event is then ignored", () => {
    const d = new Deadlines()
    d.arm(3, 1200)
    expect(d.waiting).toBe(1)
    expect(d.answer(3, 1200, 900)).toBe(true)
    expect(d.expire(3, 1200)).toBe(false)
    expect(d.waiting).toBe(0)
  })

  it("the deadline ends a late attempt; the late reply is then ignored", () => {
    const d = new Deadlines()
    d.arm(3, 1200)
    expect(d.answer(3, 1200, 1300)).toBe(false) // late: left to the deadline
    expect(d.expire(3, 1200)).toBe(true)
    expect(d.answer(3, 1200, 1300)).toBe(false)
  })

  it("what an earlier attempt in the same slot left behind does not end the next one", () => {
    const d = new Deadlines()
    d.arm(0, 500)
    expect(d.expire(0, 500)).toBe(true) // first attempt timed out
    d.arm(0, 1700) // its retry
    expect(d.answer(0, 500, 600)).toBe(false) // the first attempt's reply, late
    expect(d.expire(0, 500)).toBe(false)
    expect(d.answer(0, 1700, 1650)).toBe(true)
  })

  it("grows to any slot", () => {
    const d = new Deadlines()
    d.arm(10_000, 5)
    expect(d.expire(10_000, 5)).toBe(true)
    expect(d.expire(9_999, 5)).toBe(false)
  })
})
