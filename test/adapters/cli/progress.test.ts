// Progress where there is no terminal (CI logs, a pipe): a line at every 10 % step with the
// simulated time, events/s and ETA — not a line per update, nothing for a run under a second,
// and at least one line every 30 s when the steps come slowly. On a terminal: the bar, in place.
// And the verdicts coloured on a terminal, unless NO_COLOR says not to.
import { describe, expect, it } from "vitest"
import { Progress } from "../../../adapters/cli/progress.ts"

const sink = (isTTY: boolean) => {
  const lines: Array<string> = []
  return { lines, out: { isTTY, write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WriteStream }
}

describe("progress without a terminal", () => {
  it("writes one line per 10 % step, with simulated time, events/s and ETA", () => {
    let t = 0
    const { lines, out } = sink(false)
    const p = new Progress(out, () => t)
    p.phase("running x")
    for (let i = 1; i <= 200; i++) {
      t += 100 // 20 s of wall time in all
      p.update(i / 200, i * 50_000, { ms: i * 18_000, totalMs: 3_600_000 })
    }
    const progress = lines.filter((l) => l.includes("% done"))
    // Nothing before a second has passed; a line then (5 %: the run is under way), then at
    // 10 %, 20 %, …, 100 %.
    expect(progress.map((l) => /(\d+) % done/.exec(l)![1])).toEqual(["5", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"])
    expect(progress[1]).toBe("huntbench: 10 % done — 360 s of 3,600 s simulated, 0.50 M events/s, ETA 18 s\n")
    expect(lines[0]).toBe("huntbench: running x\n")
  })

  it("says nothing for a run under a second, and at least every 30 s when steps are slow", () => {
    let t = 0
    const { lines, out } = sink(false)
    const p = new Progress(out, () => t)
    for (let i = 1; i <= 9; i++) (t += 100), p.update(i / 10, 1000)
    expect(lines).toEqual([])
    const slow = sink(false)
    t = 0
    const q = new Progress(slow.out, () => t)
    for (let i = 1; i <= 100; i++) (t += 1000), q.update(0.05, `${i}/2000 runs`)
    // 100 s at 5 %: no 10 % step, so a line at 1 s and then every 30 s.
    expect(slow.lines.map((l) => /(\d+)\/2000 runs/.exec(l)![1])).toEqual(["1", "31", "61", "91"])
  })

  it("on a terminal, redraws the bar in place", () => {
    let t = 0
    const { lines, out } = sink(true)
    const p = new Progress(out, () => t)
    t = 2000
    p.update(0.5, 2e6)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\r\[#{15}\.{15}\]\s+50\.0 %\s+2\.0 M events\s+ETA 2 s/)
  })
})

describe("colour", () => {
  it("PASS green and FAIL red on a terminal; none with NO_COLOR or off a terminal", async () => {
    const { colourVerdicts, useColour } = await import("../../../adapters/cli/format.ts")
    expect(colourVerdicts("SLO (…): PASS\n  x  FAIL")).toBe("SLO (…): \x1b[32mPASS\x1b[39m\n  x  \x1b[31mFAIL\x1b[39m")
    expect(useColour({ isTTY: true }, {})).toBe(true)
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(useColour({ isTTY: true }, { NO_COLOR: "" })).toBe(true)
    expect(useColour({ isTTY: false }, {})).toBe(false)
  })
})
