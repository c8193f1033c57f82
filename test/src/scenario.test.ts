// Decoding scenarios in-process: every kind of bad input fails with a ScenarioError naming
// the offending field (and, where the field alone is ambiguous, saying what is wrong); the
// base scenario the cases break is valid. The CLI's rendering of these errors (exit 2, one
// line) is checked for a handful of them in test/adapters/cli/bad-input.test.ts.
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { parseScenario } from "../../src/scenario.ts"
import { badScenarios, crash, json } from "../support/bad-scenarios.ts"

const decode = (text: string) => Effect.runSyncExit(parseScenario(text))

describe("decoding a bad scenario", () => {
  for (const c of badScenarios) {
    it(`${c.name} → names ${c.field}`, () => {
      const exit = decode(c.text)
      expect(Exit.isFailure(exit)).toBe(true)
      const e = Exit.isFailure(exit) ? (Cause.squash(exit.cause) as { _tag: string; field: string; message: string }) : undefined
      expect(e?._tag).toBe("ScenarioError")
      expect(e?.field).toBe(c.field)
      expect(e?.message).not.toBe("")
      expect(e?.message).not.toMatch(/\n/) // one line in the CLI
      if (c.message) expect(e?.message).toMatch(c.message)
    })
  }

  it("the base scenario those cases break is itself valid", () => {
    expect(Exit.isSuccess(decode(json(crash({}))))).toBe(true)
  })
})

describe("timing.profile outside the CLI", () => {
  it("a file path is refused naming the field (only the CLI reads files); an embedded profile is decoded", () => {
    const exit = decode(JSON.stringify({ timing: { profile: "profile.json" } }))
    expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toMatchObject({ field: "timing.profile" })
    expect(Exit.isFailure(exit) && String((Cause.squash(exit.cause) as Error).message)).toMatch(/only the CLI reads/)
  })
})
