// Outputs as k6 and Locust users expect (issue 14, item 4): --out kind=FILE, repeatable; the
// CSV has one row per simulated second (Locust's stats_history columns where they apply) and
// its counts add up to the report's; per-bucket rows with csv-buckets; - is stdout (the
// summary then on stderr); writability checked before the run; each file confirmed on stderr.
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Report } from "../../../src/report.ts"
import { ROOT } from "../../support/cli.ts"

let dir = ""
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "huntbench-out-"))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})
const cli = (...args: Array<string>) => spawnSync(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })
const rows = (csv: string) => csv.trimEnd().split("\n").map((l) => l.split(","))

describe("run --out", () => {
  it("json, csv and csv-buckets together: the CSV's rows are the timeline's seconds and add up to the report", () => {
    const [json, csv, buckets] = [join(dir, "r.json"), join(dir, "t.csv"), join(dir, "b.csv")]
    const r = cli("run", "small", "--out", `json=${json}`, "--out", `csv=${csv}`, "--out", `csv-buckets=${buckets}`)
    expect([0, 1], r.stderr).toContain(r.status)
    const report = JSON.parse(readFileSync(json, "utf8")) as Report
    const [head, ...body] = rows(readFileSync(csv, "utf8"))
    expect(head.slice(0, 9)).toEqual(["Timestamp", "Name", "Requests/s", "Failures/s", "50%", "99%", "100%", "Total Request Count", "Total Failure Count"])
    expect(body).toHaveLength(report.timeline.length)
    const col = (name: string) => body.map((row) => Number(row[head.indexOf(name)]))
    expect(col("Timestamp")).toEqual(report.timeline.map((t) => t.second))
    expect(col("Requests/s")).toEqual(report.timeline.map((t) => t.requests))
    expect(col("99%")).toEqual(report.timeline.map((t) => t.p99))
    expect(col("Total Request Count").at(-1)).toBe(report.timeline.reduce((n, t) => n + t.requests, 0))
    expect(col("Total Failure Count").at(-1)).toBe(report.timeline.reduce((n, t) => n + t.errors, 0))
    const [bhead, ...brows] = rows(readFileSync(buckets, "utf8"))
    expect(bhead.slice(0, 4)).toEqual(["fromSecond", "bucket", "node", "requests"])
    expect(brows).toHaveLength(report.bucketTimeline.requests.length * report.buckets.length)
    expect(brows.reduce((n, row) => n + Number(row[3]), 0)).toBe(report.bucketTimeline.requests.flat().reduce((a, b) => a + b, 0))
    // Each file confirmed on stderr (--quiet leaves that out too).
    for (const f of [json, csv, buckets]) expect(r.stderr).toContain(` to ${f}\n`)
    expect(cli("run", "small", "--quiet", "--out", `csv=${csv}`).stderr).toBe("")
  })

  it("- is stdout: only the output there, the summary on stderr", () => {
    const r = cli("run", "small", "--quiet", "--out", "csv=-")
    expect([0, 1], r.stderr).toContain(r.status)
    expect(r.stdout.split("\n")[0]).toMatch(/^Timestamp,Name,Requests\/s/)
    expect(r.stderr).toMatch(/huntbench — small/)
    const j = cli("run", "small", "--quiet", "--json", "-")
    expect((JSON.parse(j.stdout) as Report).scenario.name).toBe("small")
  })

  it("bad --out values and unwritable files exit 2 before the run, naming the flag", () => {
    const kind = cli("run", "small", "--out", "parquet=a.pq")
    expect(kind.status).toBe(2)
    expect(kind.stderr).toBe('huntbench: --out: unknown kind "parquet"; expected one of json, csv, csv-buckets, html\n')
    expect(cli("run", "small", "--out", "cvs=a.csv").stderr).toMatch(/unknown kind "cvs" \(did you mean csv\?\)/)
    expect(cli("run", "small", "--out", "csv").stderr).toMatch(/^huntbench: --out: expected kind=FILE/)
    const two = cli("run", "small", "--out", "csv=-", "--json", "-")
    expect(two.status).toBe(2)
    expect(two.stderr).toMatch(/^huntbench: --json: only one output can go to stdout/)
    const unwritable = cli("run", "small", "--out", `json=${join(dir, "r2.json")}`, "--out", "csv=/nonexistent/t.csv")
    expect(unwritable.status).toBe(2)
    expect(unwritable.stderr).toMatch(/^huntbench: --out csv: cannot write \/nonexistent\/t\.csv/)
    expect(existsSync(join(dir, "r2.json"))).toBe(false) // nothing ran, nothing written
  })
})
