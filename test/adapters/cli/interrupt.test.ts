// Ctrl-C at any moment the CLI announces — start-up (its handlers just installed), the
// rehearsal, the run, a sweep — exits 130 with the one line "huntbench: interrupted", never
// "internal error" or a stack, and a run prints what it had simulated so far, marked
// PARTIAL. Each test waits for a state the CLI announces, never for a fixed delay.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { startCli, type CliChild } from "../../support/cli.ts"

const interruptedCleanly = async (c: CliChild) => {
  const sent = Date.now()
  c.child.kill("SIGINT")
  const { code, signal } = await c.exited
  expect({ code, signal }, `stderr: ${c.stderr()}`).toEqual({ code: 130, signal: null })
  // Loose on purpose (this machine may be slow): a swallowed signal would run the hour to
  // its end (exit 0) or hang until the test's timeout.
  expect(Date.now() - sent).toBeLessThan(15_000)
  expect(c.stderr().split("\n").filter((l) => l === "huntbench: interrupted")).toHaveLength(1)
  expect(c.stderr()).not.toMatch(/internal error|Error:|\n\s+at /)
  return Date.now() - sent
}

describe("Ctrl-C", () => {
  it("as soon as the handlers are installed, while the CLI loads: exit 130, one line", async () => {
    const c = startCli(["run", "reference"], { HUNTBENCH_TRACE: "1" })
    await c.waitFor(/^huntbench: trace: signal handlers installed/)
    await interruptedCleanly(c)
    expect(c.stderr()).not.toContain("running")
  })

  it("during the rehearsal: exit 130", async () => {
    const c = startCli(["run", "reference"])
    await c.waitFor(/^huntbench: rehearsing/)
    await interruptedCleanly(c)
  })

  it("during the run: exit 130 and a summary of what was simulated, marked PARTIAL", async () => {
    const c = startCli(["run", "reference"])
    await c.waitFor(/^huntbench: running reference/)
    await c.waitFor(/% done/) // progress: the hunt is under way
    await interruptedCleanly(c)
    expect(c.stdout()).toMatch(/^huntbench — reference/)
    expect(c.stdout()).toMatch(/PARTIAL — interrupted at [\d,.]+ s of 3,600 s/)
    expect(c.stdout()).toContain("NOT JUDGED (partial run)")
  })

  it("during the run with --out json and csv: the partial report written to both, marked partial", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huntbench-int-out-"))
    try {
      const [json, csv] = [join(dir, "r.json"), join(dir, "t.csv")]
      const c = startCli(["run", "reference", "--out", `json=${json}`, "--out", `csv=${csv}`])
      await c.waitFor(/% done/)
      await interruptedCleanly(c)
      const report = JSON.parse(readFileSync(json, "utf8")) as { partial: { reason: string; atMs: number }; timeline: Array<unknown> }
      expect(report.partial.reason).toBe("interrupted")
      expect(report.partial.atMs).toBeLessThan(3_600_000)
      expect(readFileSync(csv, "utf8").trimEnd().split("\n")).toHaveLength(report.timeline.length + 1)
      expect(c.stderr()).toContain(`wrote the report (JSON) of the partial run to ${json}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("during a sweep: exit 130, worker threads stopped", async () => {
    const c = startCli(["sweep", "reference", "--set", "topology.buckets=24,48", "--seeds", "2"])
    await c.waitFor(/^huntbench: sweeping/)
    await interruptedCleanly(c)
    expect(c.stdout()).toBe("")
  })

  it("during a sweep run in this thread (--workers 0), inside one long point: exit 130", async () => {
    const c = startCli(["sweep", "reference", "--set", "topology.buckets=24,48", "--seeds", "1", "--workers", "0"])
    await c.waitFor(/^huntbench: sweeping/)
    // One reference point takes ~10 s here (far longer on a slower machine); answered
    // between chunks of a tenth of that, Ctrl-C takes well under a second.
    expect(await interruptedCleanly(c)).toBeLessThan(5000)
  })

  it("while the HTML report is written: exit 130, the summary already printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huntbench-int-"))
    try {
      const c = startCli(["run", "small", "--html", join(dir, "r.html")])
      await c.waitFor(/^huntbench: writing the HTML report/)
      await interruptedCleanly(c)
      expect(c.stdout()).toMatch(/^huntbench — small/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("during a live run on the wall clock: exit 130 and a PARTIAL summary", async () => {
    const c = startCli(["run", "small", "--target", "mock", "--live", "--no-faults"])
    await c.waitFor(/% done/)
    await interruptedCleanly(c)
    expect(c.stdout()).toContain("PARTIAL — interrupted at")
    expect(c.stdout()).toContain("Live (wall clock)")
  })

  it("a second Ctrl-C exits at once", async () => {
    const c = startCli(["run", "reference"])
    await c.waitFor(/^huntbench: running reference/)
    c.child.kill("SIGINT")
    c.child.kill("SIGINT")
    const { code } = await c.exited
    expect(code).toBe(130)
    expect(c.stderr()).not.toMatch(/internal error|\n\s+at /)
  })
})
