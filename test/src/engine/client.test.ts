// The claim client's slot rows pack bucket, command, attempt and result into one int32 and
// may live in a row buffer shared with the event queue: every field must read back what was
// written, at its extremes, beside a queue writing its own half of the same rows.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ClaimClient, Next, ROW_CLIENT, ROW_DOUBLES } from "../../../src/engine/client.ts"
import { ErrorKind, Reply } from "../../../src/engine/protocol.ts"
import { decodeScenarioSync } from "../../../src/scenario.ts"
import { checkProperty } from "../../support/property.ts"

const FILE = "test/src/engine/client.test.ts"

const scenario = (retries: number) =>
  decodeScenarioSync({ topology: { buckets: 65_536 }, engine: { retries: { max: retries, baseMs: 10, maxMs: 1000, jitter: 0 } } })

const fixed = { next: () => 0.5 }

describe("ClaimClient slot rows", () => {
  it("every field reads back, at its extremes, and the queue's half of a shared row is left alone", () => {
    const s = scenario(20)
    checkProperty(
      "client rows: fields read back beside the queue's half",
      FILE,
      fc.property(
        fc.array(
          fc.record({
            hunter: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
            bucket: fc.integer({ min: 0, max: 65_535 }),
            artifact: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
            command: fc.integer({ min: 0, max: 1 }),
            t: fc.double({ min: 0, max: 1e9, noNaN: true }),
            fails: fc.integer({ min: 0, max: 20 }),
            result: fc.constantFrom(Reply.WON, Reply.BALANCE, -ErrorKind.TIMEOUT, -ErrorKind.POOL_TIMEOUT, -ErrorKind.BREAKER_OPEN),
            write: fc.integer({ min: -1, max: 2 ** 31 - 1 })
          }),
          { minLength: 1, maxLength: 8 }
        ),
        (reqs) => {
          const rows = new Float64Array(reqs.length * ROW_DOUBLES)
          // The queue's half of each row: values the client must never touch.
          for (let i = 0; i < reqs.length; i++) for (let j = 0; j < ROW_CLIENT; j++) rows[i * ROW_DOUBLES + j] = i * 10 + j + 0.25
          const c = new ClaimClient(s, reqs.length, rows)
          reqs.forEach((r, slot) => {
            c.begin(slot, r.hunter, r.bucket, r.artifact, r.command, r.t)
            // Timeouts until the last retry: the attempt counter climbs one by one.
            for (let k = 0; k < r.fails; k++) expect(c.settle(slot, r.t, -ErrorKind.TIMEOUT, fixed)).toBe(Next.RETRY)
            c.setWrite(slot, r.write)
            c.setResult(slot, r.result)
          })
          reqs.forEach((r, slot) => {
            expect(c.hunter(slot)).toBe(r.hunter)
            expect(c.bucket(slot)).toBe(r.bucket)
            expect(c.artifact(slot)).toBe(r.artifact)
            expect(c.command(slot)).toBe(r.command)
            expect(c.attempt(slot)).toBe(1 + r.fails)
            expect(c.result(slot)).toBe(r.result)
            expect(c.write(slot)).toBe(r.write)
            expect(c.intended(slot)).toBe(r.t)
            for (let j = 0; j < ROW_CLIENT; j++) expect(rows[slot * ROW_DOUBLES + j]).toBe(slot * 10 + j + 0.25)
          })
          // Keys: one per logical request, distinct.
          expect(new Set(reqs.map((_, slot) => c.key(slot))).size).toBe(reqs.length)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("the last retry allowed (attempt 21 of max 20) ends the request instead of retrying", () => {
    const c = new ClaimClient(scenario(20), 1)
    c.begin(0, 7, 65_535, 3, 1, 0)
    for (let k = 0; k < 20; k++) expect(c.settle(0, 0, -ErrorKind.CONNECTION, fixed)).toBe(Next.RETRY)
    expect(c.attempt(0)).toBe(21)
    expect(c.settle(0, 0, -ErrorKind.CONNECTION, fixed)).toBe(Next.DONE)
    expect(c.result(0)).toBe(-ErrorKind.CONNECTION)
    expect(c.bucket(0)).toBe(65_535)
    expect(c.command(0)).toBe(1)
  })

  it("open-model slots grow past the initial capacity and keep their contents", () => {
    const c = new ClaimClient(scenario(2), 1)
    const slots = Array.from({ length: 9 }, () => c.allocate())
    slots.forEach((slot) => c.begin(slot, slot * 3, slot, slot + 100, 0, slot * 1.5))
    slots.forEach((slot) => {
      expect([c.hunter(slot), c.bucket(slot), c.artifact(slot), c.intended(slot)]).toEqual([slot * 3, slot, slot + 100, slot * 1.5])
    })
  })

  it("rows too short for the slots are refused", () => {
    expect(() => new ClaimClient(scenario(2), 4, new Float64Array(3 * ROW_DOUBLES))).toThrow(/rows too short/)
  })
})
