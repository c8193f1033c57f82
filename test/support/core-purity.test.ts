// The deterministic core (src/, sim/) takes time and randomness only from the driver and
// stays browser-safe: no wall clock, no Math.random, no timers, no Node built-ins or
// `process`. A source scan, so a stray debugging switch cannot slip into a commit.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const FORBIDDEN: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bDate\.now\s*\(/, "Date.now()"],
  [/\bnew Date\s*\(/, "new Date()"],
  [/\bMath\.random\s*\(/, "Math.random()"],
  [/\bperformance\.now\s*\(/, "performance.now()"],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, "a timer"],
  [/\bprocess\.\w/, "process"],
  [/from\s+["']node:|require\s*\(/, "a Node built-in"]
]

const files = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : []
  })

describe("the deterministic core", () => {
  it("src/ and sim/ use no clock, no Math.random, no timers, no process and no Node built-ins", () => {
    const offences: Array<string> = []
    for (const file of [...files("src"), ...files("sim")]) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, "") // comments may name what is forbidden
          for (const [re, what] of FORBIDDEN) if (re.test(code)) offences.push(`${file}:${i + 1} uses ${what}: ${line.trim()}`)
        })
    }
    expect(offences).toEqual([])
  })
})
