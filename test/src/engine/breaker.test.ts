// The per-bucket circuit breaker: closed → (failureThreshold consecutive failures) → open
// for openMs → half-open with halfOpenProbes probes; a probe success closes, a probe
// failure reopens. Checked case by case and against a small reference state machine.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Breakers, CLOSED, HALF_OPEN, OPEN, type BreakerPolicy } from "../../../src/engine/breaker.ts"
import { checkProperty } from "../../support/property.ts"

const FILE = "test/src/engine/breaker.test.ts"

const policy = (p: Partial<BreakerPolicy> = {}): BreakerPolicy => ({
  enabled: true,
  failureThreshold: 3,
  openMs: 1000,
  halfOpenProbes: 1,
  ...p
})

/** Trip bucket `b` at time `t` with exactly failureThreshold failures. */
const trip = (br: Breakers, b: number, t: number) => {
  for (let i = 0; i < br.policy.failureThreshold; i++) {
    expect(br.allow(b, t)).toBe(true)
    br.onFailure(b, t)
  }
  expect(br.state[b]).toBe(OPEN)
}

describe("Breakers", () => {
  it("threshold consecutive failures trip it, not one fewer", () => {
    for (const threshold of [1, 2, 5]) {
      const br = new Breakers(2, policy({ failureThreshold: threshold }))
      for (let i = 1; i < threshold; i++) {
        expect(br.onFailure(0, 10)).toBe(false)
        expect(br.state[0]).toBe(CLOSED)
        expect(br.allow(0, 10)).toBe(true)
      }
      expect(br.onFailure(0, 10)).toBe(true)
      expect(br.state[0]).toBe(OPEN)
      expect(br.trips[0]).toBe(1)
      expect(br.totalTrips).toBe(1)
      expect(br.openCount).toBe(1)
      // Other buckets are unaffected.
      expect(br.state[1]).toBe(CLOSED)
      expect(br.allow(1, 10)).toBe(true)
    }
  })

  it("a success resets the consecutive-failure count", () => {
    const br = new Breakers(1, policy({ failureThreshold: 3 }))
    br.onFailure(0, 1)
    br.onFailure(0, 2)
    br.onSuccess(0)
    expect(br.failures[0]).toBe(0)
    br.onFailure(0, 3)
    br.onFailure(0, 4)
    expect(br.state[0]).toBe(CLOSED) // 2 consecutive since the success, threshold 3
    expect(br.allow(0, 5)).toBe(true)
    expect(br.onFailure(0, 5)).toBe(true)
    expect(br.state[0]).toBe(OPEN)
  })

  it("open rejects until openMs has passed, then half-opens", () => {
    const br = new Breakers(1, policy({ openMs: 1000 }))
    trip(br, 0, 500)
    expect(br.allow(0, 500)).toBe(false)
    expect(br.allow(0, 1000)).toBe(false)
    expect(br.allow(0, 1499.999)).toBe(false)
    expect(br.state[0]).toBe(OPEN)
    expect(br.allow(0, 1500)).toBe(true) // exactly openMs later: the first probe
    expect(br.state[0]).toBe(HALF_OPEN)
    expect(br.openCount).toBe(0)
  })

  it("failures while open neither extend the open period nor count as trips", () => {
    const br = new Breakers(1, policy({ openMs: 1000 }))
    trip(br, 0, 0)
    expect(br.onFailure(0, 900)).toBe(false) // a late reply from before the trip
    expect(br.trips[0]).toBe(1)
    expect(br.allow(0, 1000)).toBe(true)
  })

  it("half-open allows exactly halfOpenProbes requests", () => {
    for (const probes of [1, 2, 4]) {
      const br = new Breakers(1, policy({ halfOpenProbes: probes, openMs: 100 }))
      trip(br, 0, 0)
      let allowed = 0
      for (let i = 0; i < probes + 5; i++) if (br.allow(0, 100 + i)) allowed++
      expect(allowed).toBe(probes)
      expect(br.state[0]).toBe(HALF_OPEN)
    }
  })

  it("a probe success closes it (and the full threshold is needed to trip again)", () => {
    const br = new Breakers(1, policy({ failureThreshold: 2, halfOpenProbes: 1, openMs: 100 }))
    trip(br, 0, 0)
    expect(br.allow(0, 100)).toBe(true)
    br.onSuccess(0)
    expect(br.state[0]).toBe(CLOSED)
    for (let i = 0; i < 10; i++) expect(br.allow(0, 101 + i)).toBe(true)
    expect(br.onFailure(0, 120)).toBe(false)
    expect(br.state[0]).toBe(CLOSED)
    expect(br.onFailure(0, 121)).toBe(true)
    expect(br.trips[0]).toBe(2)
  })

  it("a probe failure reopens it for another openMs, from the probe failure's time", () => {
    const br = new Breakers(1, policy({ failureThreshold: 5, halfOpenProbes: 2, openMs: 100 }))
    trip(br, 0, 0)
    expect(br.allow(0, 150)).toBe(true)
    expect(br.onFailure(0, 170)).toBe(true) // a single failure suffices in half-open
    expect(br.state[0]).toBe(OPEN)
    expect(br.trips[0]).toBe(2)
    expect(br.totalTrips).toBe(2)
    expect(br.openCount).toBe(1)
    expect(br.allow(0, 269)).toBe(false)
    expect(br.allow(0, 270)).toBe(true)
    // A fresh half-open period grants a fresh set of probes.
    expect(br.allow(0, 271)).toBe(true)
    expect(br.allow(0, 272)).toBe(false)
  })

  it("enabled: false always allows and never trips", () => {
    const br = new Breakers(1, policy({ enabled: false, failureThreshold: 1 }))
    for (let i = 0; i < 50; i++) {
      expect(br.allow(0, i)).toBe(true)
      expect(br.onFailure(0, i)).toBe(false)
    }
    br.onSuccess(0)
    expect(br.state[0]).toBe(CLOSED)
    expect(br.totalTrips).toBe(0)
    expect(br.openCount).toBe(0)
  })

  it("matches a reference state machine on random operation sequences", () => {
    type Op = { kind: "allow" | "success" | "failure"; bucket: number; dt: number }
    const opArb: fc.Arbitrary<Op> = fc.record({
      kind: fc.constantFrom("allow" as const, "success" as const, "failure" as const),
      bucket: fc.integer({ min: 0, max: 2 }),
      dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 }))
    })
    checkProperty(
      "matches a reference state machine on random operation sequences",
      FILE,
      fc.property(
        fc.record({
          failureThreshold: fc.integer({ min: 1, max: 4 }),
          openMs: fc.integer({ min: 1, max: 600 }),
          halfOpenProbes: fc.integer({ min: 1, max: 3 })
        }),
        fc.array(opArb, { maxLength: 200 }),
        (p, ops) => {
          const br = new Breakers(3, { enabled: true, ...p })
          // Reference: explicit states, written from the spec.
          const ref = Array.from({ length: 3 }, () => ({ state: "closed" as "closed" | "open" | "half", fails: 0, until: 0, probes: 0, trips: 0 }))
          let t = 0
          for (const op of ops) {
            t += op.dt
            const r = ref[op.bucket]
            if (op.kind === "allow") {
              let want: boolean
              if (r.state === "open" && t >= r.until) {
                r.state = "half"
                r.probes = 0
              }
              if (r.state === "closed") want = true
              else if (r.state === "open") want = false
              else want = r.probes < p.halfOpenProbes && ++r.probes > 0
              expect(br.allow(op.bucket, t)).toBe(want)
            } else if (op.kind === "success") {
              if (r.state === "half") r.state = "closed"
              r.fails = 0
              br.onSuccess(op.bucket)
            } else {
              let tripped = false
              if (r.state === "half" || (r.state === "closed" && ++r.fails >= p.failureThreshold)) {
                r.state = "open"
                r.until = t + p.openMs
                r.fails = 0
                r.trips++
                tripped = true
              }
              expect(br.onFailure(op.bucket, t)).toBe(tripped)
            }
            for (let b = 0; b < 3; b++) {
              const code = ref[b].state === "closed" ? CLOSED : ref[b].state === "open" ? OPEN : HALF_OPEN
              expect(br.state[b]).toBe(code)
              expect(br.trips[b]).toBe(ref[b].trips)
            }
            expect(br.totalTrips).toBe(ref.reduce((a, x) => a + x.trips, 0))
            expect(br.openCount).toBe(ref.filter((x) => x.state === "open").length)
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})
