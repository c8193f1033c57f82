// EventHeap and TimingWheel must pop events in exactly (time, insertion order) order —
// the rule the simulator's determinism rests on. Both are checked against a naive
// reference: an array kept sorted by (time, insertion sequence).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventHeap, TimingWheel, type EventQueue } from "../../sim/queue.ts"
import { checkProperty } from "../support/property.ts"

const FILE = "test/sim/queue.test.ts"

/** The naive reference: stable (time, seq) order by linear insertion. */
class Reference {
  private items: Array<{ time: number; seq: number; payload: number }> = []
  private seq = 0
  time = 0
  get size(): number {
    return this.items.length
  }
  push(time: number, payload: number): void {
    const item = { time, seq: this.seq++, payload }
    // Insert after every element with time <= this one (equal times keep insertion order).
    let i = this.items.length
    while (i > 0 && this.items[i - 1].time > time) i--
    this.items.splice(i, 0, item)
  }
  pop(): number {
    const item = this.items.shift()
    if (item === undefined) throw new Error("reference: pop from empty")
    this.time = item.time
    return item.payload
  }
}

type Op =
  | { readonly op: "push"; readonly rel: boolean; readonly t: number }
  | { readonly op: "pop" }

// Times: clustered small integers (many exact ties), sub-millisecond fractions (several per
// 1 ms / 0.25 ms slot, exactly on and just off slot boundaries), and times far beyond any
// wheel horizon (overflow heap, jumps over empty stretches).
const timeArb = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.integer({ min: 0, max: 400 }).map((k) => k / 8),
  fc.integer({ min: 0, max: 200 }).map((k) => k * 0.1),
  fc.integer({ min: 0, max: 50 }).map((k) => k + 0.999),
  fc.integer({ min: 0, max: 2_000_000 }).map((k) => k / 4),
  fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true })
)

const opArb = (relativeOnly: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("push" as const), rel: relativeOnly ? fc.constant(true) : fc.boolean(), t: timeArb }) },
    { weight: 2, arbitrary: fc.constant({ op: "pop" as const }) },
    // Bursts of pushes at one time (ties), relative to the current time.
    { weight: 1, arbitrary: fc.constant({ op: "push" as const, rel: true, t: 0 }) }
  )

interface QueueFactory {
  readonly name: string
  readonly make: () => EventQueue
}

const factories: ReadonlyArray<QueueFactory> = [
  { name: "EventHeap(capacity 1)", make: () => new EventHeap(1) },
  { name: "EventHeap(1024)", make: () => new EventHeap() },
  { name: "TimingWheel(1 ms, 8 slots, capacity 2)", make: () => new TimingWheel(1, 8, 2) },
  { name: "TimingWheel(0.25 ms, 8 slots, capacity 1)", make: () => new TimingWheel(0.25, 8, 1) },
  { name: "TimingWheel(1 ms, 1 slot)", make: () => new TimingWheel(1, 1, 4) },
  { name: "TimingWheel(0.25 ms, 2 slots)", make: () => new TimingWheel(0.25, 2, 4) },
  { name: "TimingWheel(1 ms, 4096 slots)", make: () => new TimingWheel(1, 4096) },
  { name: "TimingWheel(0.25 ms, 64 slots)", make: () => new TimingWheel(0.25, 64, 8) },
  { name: "TimingWheel(default: 1/16 ms, 32768 slots)", make: () => new TimingWheel() },
  { name: "TimingWheel(1/16 ms, 32 slots)", make: () => new TimingWheel(0.0625, 32, 4) }
]

/**
 * Run `ops` (then drain) on the reference and on every queue; push times are resolved
 * against the reference's current time so every queue sees the same absolute times.
 * Returns the reference's pop log and each queue's pop log.
 */
const runAll = (ops: ReadonlyArray<Op>) => {
  const ref = new Reference()
  const queues = factories.map((f) => ({ name: f.name, q: f.make(), log: [] as Array<[number, number]> }))
  const refLog: Array<[number, number]> = []
  let payload = 0
  let now = 0
  const popAll = () => {
    const p = ref.pop()
    now = ref.time
    refLog.push([p, ref.time])
    for (const x of queues) {
      const got = x.q.pop()
      x.log.push([got, x.q.time])
    }
  }
  for (const o of ops) {
    if (o.op === "push") {
      const time = o.rel ? now + o.t : o.t
      // Payloads are distinct and span the int32 range (sign bit included).
      const pl = payload++ % 2 === 0 ? payload : -payload * 1009
      ref.push(time, pl)
      for (const x of queues) x.q.push(time, pl)
    } else if (ref.size > 0) popAll()
    for (const x of queues) expect(x.q.size, `${x.name} size`).toBe(ref.size)
  }
  while (ref.size > 0) popAll()
  for (const x of queues) expect(x.q.size, `${x.name} size after draining`).toBe(0)
  return { refLog, queues }
}

const samePopOrder = (ops: ReadonlyArray<Op>): void => {
  const { refLog, queues } = runAll(ops)
  for (const x of queues) {
    // Compare element by element so the failure names the first divergence.
    for (let i = 0; i < refLog.length; i++) {
      if (x.log[i][0] !== refLog[i][0] || x.log[i][1] !== refLog[i][1])
        throw new Error(
          `${x.name}: pop #${i} gave payload ${x.log[i][0]} at ${x.log[i][1]}, expected ${refLog[i][0]} at ${refLog[i][1]}`
        )
    }
  }
}

describe("event queues pop in (time, insertion order)", () => {
  it("the reference itself is (time, seq) ordered", () => {
    const r = new Reference()
    r.push(5, 1)
    r.push(2, 2)
    r.push(5, 3)
    r.push(2, 4)
    r.push(0, 5)
    const out = [r.pop(), r.pop(), r.pop(), r.pop(), r.pop()]
    expect(out).toEqual([5, 2, 4, 1, 3])
  })

  it("driver-like use: pushes at or after the current time, interleaved with pops", () => {
    checkProperty(
      "driver-like use: pushes at or after the current time, interleaved with pops",
      FILE,
      fc.property(fc.array(opArb(true), { maxLength: 300 }), (ops) => samePopOrder(ops)),
      { numRuns: 300 }
    )
  })

  it("arbitrary use: absolute push times, also earlier than the last popped event", () => {
    checkProperty(
      "arbitrary use: absolute push times, also earlier than the last popped event",
      FILE,
      fc.property(fc.array(opArb(false), { maxLength: 300 }), (ops) => samePopOrder(ops)),
      { numRuns: 300 }
    )
  })

  it("many ties at one time, pushed while that time is being drained", () => {
    // Every pop at time T pushes two more events at T: all of them must come out in
    // insertion order before anything later.
    for (const f of factories) {
      const q = f.make()
      q.push(10, 1000)
      q.push(3, 0)
      q.push(3, 1)
      let next = 2
      const seen: Array<number> = []
      while (seen.length < 40) {
        seen.push(q.pop())
        expect(q.time, f.name).toBe(3)
        if (next < 60) {
          q.push(3, next++)
          q.push(3, next++)
        }
      }
      expect(seen, f.name).toEqual(Array.from({ length: 40 }, (_, i) => i))
    }
  })

  it("a far-future event waits behind near ones and still comes out at its own time", () => {
    for (const f of factories) {
      const q = f.make()
      q.push(1e9, 7)
      q.push(0.5, 1)
      q.push(4096.25, 3)
      q.push(9, 2)
      expect([q.pop(), q.time], f.name).toEqual([1, 0.5])
      expect([q.pop(), q.time], f.name).toEqual([2, 9])
      q.push(1e9, 8) // same time as the overflow event, later insertion
      q.push(5000, 4)
      expect([q.pop(), q.time], f.name).toEqual([3, 4096.25])
      expect([q.pop(), q.time], f.name).toEqual([4, 5000])
      expect([q.pop(), q.time], f.name).toEqual([7, 1e9])
      expect([q.pop(), q.time], f.name).toEqual([8, 1e9])
      expect(q.size, f.name).toBe(0)
    }
  })

  it("TimingWheel rejects a slot count that is not a power of two", () => {
    expect(() => new TimingWheel(1, 6)).toThrow(/power of two/)
  })

  it("TimingWheel throws on pop from an empty queue", () => {
    expect(() => new TimingWheel(1, 8).pop()).toThrow(/empty/)
    expect(() => new EventHeap(4).pop()).toThrow(/empty/)
  })
})

describe("TimingWheel with keyed rows (a request slot's event in the slot's own row)", () => {
  // Ops on K entities, each with at most one event pending (as the driver's slots), mixed
  // with un-keyed events; the keyed wheel must pop exactly as the reference does, and the
  // owner's half of every row must survive the node storage growing.
  const K = 12
  const keyedOp = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("keyed" as const), key: fc.integer({ min: 0, max: K - 1 }), t: timeArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("plain" as const), t: timeArb }) },
    { weight: 3, arbitrary: fc.constant({ op: "pop" as const }) }
  )

  it("pops in (time, insertion order) and keeps the owner's half of the rows across growth", () => {
    checkProperty(
      "keyed rows: pop order and owner data across growth",
      FILE,
      fc.property(fc.array(keyedOp, { maxLength: 300 }), fc.constantFrom(1, 8, 4096), (ops, slots) => {
        const ref = new Reference()
        const q = new TimingWheel(0.25, slots, 1, K, 4)
        let rows = q.rows
        q.onGrow = (r) => (rows = r)
        // The owner's half: each key's row holds (key + 1) · 1.5 + j in its doubles 2..3.
        for (let k = 0; k < K; k++) for (let j = 2; j < 4; j++) rows[k * 4 + j] = (k + 1) * 1.5 + j
        const pending = new Set<number>()
        let plain = 0
        const popOne = () => {
          const want = ref.pop()
          expect([q.pop(), q.time]).toEqual([want, ref.time])
          if (want < K) pending.delete(want)
        }
        for (const o of ops) {
          if (o.op === "pop") {
            if (ref.size > 0) popOne()
          } else if (o.op === "keyed") {
            if (pending.has(o.key)) continue // the driver never does this
            const time = ref.time + o.t
            pending.add(o.key)
            ref.push(time, o.key)
            q.pushKeyed(o.key, time, o.key)
          } else {
            const time = ref.time + o.t
            const p = K + plain++ // un-keyed payloads never collide with keys
            ref.push(time, p)
            q.push(time, p)
          }
          expect(q.size).toBe(ref.size)
        }
        while (ref.size > 0) popOne()
        expect(rows).toBe(q.rows)
        for (let k = 0; k < K; k++) for (let j = 2; j < 4; j++) expect(rows[k * 4 + j]).toBe((k + 1) * 1.5 + j)
      }),
      { numRuns: 300 }
    )
  })

  it("EventHeap takes pushKeyed as a plain push", () => {
    const q = new EventHeap(2)
    q.pushKeyed(0, 5, 1)
    q.pushKeyed(0, 2, 2) // a heap has no rows: the same key twice is just two events
    expect([q.pop(), q.pop()]).toEqual([2, 1])
  })

  it("rejects a row size other than 2 or 4 doubles", () => {
    expect(() => new TimingWheel(1, 8, 4, 2, 8)).toThrow(/rowDoubles/)
  })
})
