// Golden digests: a SHA-256 of the deterministic part of the report of every preset at two
// seeds (its own and the next), committed in golden.json. A refactoring that changes a single
// figure of any report fails here. When a change is meant to alter results, regenerate with
// `UPDATE_GOLDEN=1 npx vitest run test/scenarios/golden.test.ts` and say why in the commit.
import { createHash } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { afterAll, describe, expect, it } from "vitest"
import { simulate } from "../../sim/driver.ts"
import { presetNames, presets } from "../../src/presets.ts"
import { deterministicPart } from "../../src/report.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"

const FILE = new URL("./golden.json", import.meta.url)
const update = process.env.UPDATE_GOLDEN === "1"
const golden = JSON.parse(readFileSync(FILE, "utf8")) as Record<string, string>
const seen: Record<string, string> = {}

/** The digest of a preset's report at `seed`: what must not move. */
const digest = (name: string, seed: number): string => {
  const s = decodeScenarioSync({ ...(presets[name] as object), seed })
  const report = buildReport(simulate(s), name, 0)
  return createHash("sha256").update(JSON.stringify(deterministicPart(report))).digest("hex")
}

afterAll(() => {
  if (update) writeFileSync(FILE, JSON.stringify(seen, null, 2) + "\n")
})

describe("golden report digests", () => {
  for (const name of presetNames()) {
    const seed = decodeScenarioSync(presets[name]).seed
    for (const s of [seed, seed + 1]) {
      const key = `${name}@${s}`
      it(key, () => {
        seen[key] = digest(name, s)
        if (!update) expect(seen[key], `${key}: the report changed; if that is intended, regenerate (see the file's header)`).toBe(golden[key])
      })
    }
  }
})
