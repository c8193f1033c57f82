// The CLI raises V8's inlining budget only for long runs: the estimate it decides on must
// track the real event count, put the reference hunt above the line and the default below.
import { describe, expect, it } from "vitest"
import { expectedEvents, LONG_RUN_EVENTS } from "../../../adapters/cli/jit.ts"
import { simulate } from "../../../sim/driver.ts"
import { presets } from "../../../src/presets.ts"
import { decodeScenarioSync } from "../../../src/scenario.ts"

describe("JIT tuning decision", () => {
  it("expectedEvents is within 10 % of the events a run takes (closed and open models)", () => {
    const closed = decodeScenarioSync({ ...(structuredClone(presets.reference) as object), durationMs: 30_000, faults: [], hunters: { count: 3000 } })
    const open = decodeScenarioSync({ durationMs: 20_000, hunters: { count: 500, behaviour: { model: "open", ratePerSec: 2000 } } })
    for (const s of [closed, open]) {
      const events = simulate(s).events
      expect(Math.abs(expectedEvents(s) / events - 1)).toBeLessThan(0.1)
    }
  })

  it("the reference hunt is a long run, the default preset is not", () => {
    expect(expectedEvents(decodeScenarioSync(presets.reference))).toBeGreaterThan(LONG_RUN_EVENTS)
    expect(expectedEvents(decodeScenarioSync(presets.default))).toBeLessThan(LONG_RUN_EVENTS)
  })
})
