// `huntbench calibrate` (issue 16, first part): on a local deployment it measures the round
// trip, the server's time per command, four load levels and the ceiling, and writes a
// profile that decodes and that a scenario runs with (the report carries it); on a server
// huntbench did not start it removes its keys and nothing else; bad profiles and bad
// arguments exit 2 naming the field or flag.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createConnection } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Schema } from "effect"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startRedisServer, type RedisServer } from "../../../adapters/redis/server.ts"
import { ProfileSchema, type Profile } from "../../../src/profile.ts"
import type { Report } from "../../../src/report.ts"

const cli = (...args: Array<string>) => spawnSync(process.execPath, ["bin/huntbench.js", ...args], { encoding: "utf8", timeout: 120_000 })
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection(port, "127.0.0.1")
    s.on("connect", () => (s.destroy(), resolve(true)))
    s.on("error", () => resolve(false))
  })

let dir: string
let profileFile: string
let calibrated: ReturnType<typeof cli>

describe("huntbench calibrate", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "huntbench-calibrate-"))
    profileFile = join(dir, "profile.json")
    calibrated = cli("calibrate", "--target", "local", "--seconds", "0.3", "--repeats", "1", "--profile", profileFile)
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("on a local deployment: a profile that decodes, four load levels, the ceiling, and no process left", async () => {
    expect(calibrated.status, calibrated.stderr).toBe(0)
    const profile = Schema.decodeUnknownSync(ProfileSchema)(JSON.parse(readFileSync(profileFile, "utf8")))
    expect(profile.target).toBe("local")
    expect(profile.redisVersion).toMatch(/^\d+\.\d+/)
    expect(profile.levels.map((l) => l.inFlight)).toEqual([1, 8, 64, 256])
    expect(profile.ceilingPerSec).toBe(Math.max(...profile.levels.map((l) => l.claimsPerSec)))
    // More in flight carries more claims per second (one at a time waits a round trip each).
    expect(profile.levels[1].claimsPerSec).toBeGreaterThan(profile.levels[0].claimsPerSec)
    expect(profile.raw.rttMs.p50).toBeGreaterThan(0)
    expect(profile.raw.rttMs.count).toBeGreaterThan(100)
    // Redis 7 reports its own time per command: the claim's, from its LATENCY HISTOGRAM.
    expect(profile.timing.claim.kind).toBe("empirical")
    expect(profile.raw.claimServerMs.count).toBeGreaterThan(100)
    expect(profile.raw.claimServerMs.p50).toBeLessThan(profile.levels[0].latencyMs.p50)
    // huntbench's own live driver: its open-loop levels, then the rates it kept up with on
    // the way to its ceiling, a quarter more each.
    const driver = profile.driver!
    expect(driver.levels.slice(0, 3).map((l) => l.ratePerSec)).toEqual([1000, 4000, 16_000])
    for (let i = 3; i < driver.levels.length; i++) expect(driver.levels[i].ratePerSec).toBe(Math.round(driver.levels[i - 1].ratePerSec * 1.25))
    for (const l of driver.levels) {
      expect(l.latencyMs.kind).toBe("empirical")
      expect(l.raw.p99).toBeGreaterThanOrEqual(l.raw.p50)
      expect(l.raw.count).toBeGreaterThan(0)
    }
    // The ceiling: the highest rate it sustained (what it completed there).
    expect([driver.levels.at(-1)!.claimsPerSec, driver.levels.at(-1)!.ratePerSec]).toContain(driver.ceilingPerSec)
    expect(calibrated.stderr).toMatch(/live driver, open loop 16,000\/s: p50 [\d.]+ ms, p99 [\d.]+ ms/)
    expect(calibrated.stderr).toMatch(/live driver's ceiling: [\d,]+ claims\/s/)
    // The summary on stderr repeats the figures; the deployment is gone.
    expect(calibrated.stderr).toMatch(/ceiling: [\d,]+ claims\/s/)
    const ports = [.../ports ([\d, +]+) \(primary/.exec(calibrated.stderr)![1].matchAll(/\d+/g)].map((m) => Number(m[0]))
    expect(ports.length).toBeGreaterThan(0)
    for (const p of ports) expect(await portOpen(p)).toBe(false)
  })

  it("a scenario runs with the profile (a file path beside it), and the report carries the profile", () => {
    writeFileSync(join(dir, "s.json"), JSON.stringify({ name: "profiled", durationMs: 5000, hunters: { count: 100 }, timing: { profile: "profile.json" } }))
    const json = join(dir, "r.json")
    const r = cli("run", join(dir, "s.json"), "--quiet", "--json", json)
    expect([0, 1]).toContain(r.status)
    expect(r.stdout).toMatch(/timing: the profile calibrate measured on local at /)
    expect(r.stdout).toMatch(/the client: huntbench's live driver as measured there \(latency at 1,000–[\d,]+ claims\/s, ceiling [\d,]+ claims\/s in one process\)/)
    // Claims only: no word of balance reads.
    expect(r.stdout).not.toMatch(/balance reads/)
    const report = JSON.parse(readFileSync(json, "utf8")) as Report
    expect(report.scenario.timing.profile).toEqual(JSON.parse(readFileSync(profileFile, "utf8")))
    // The model ran on the measured round trip: no success faster than its minimum.
    const profile = JSON.parse(readFileSync(profileFile, "utf8")) as { rttMs: { quantiles: Array<[number, number]> } }
    expect(report.latencyMs.p50).toBeGreaterThanOrEqual(profile.rttMs.quantiles[0][1])
  })

  it("the shapes beside the levels: measured over 3 nodes and with half reads; a run of such a shape says how it is modelled, or that it is not", () => {
    const profile = JSON.parse(readFileSync(profileFile, "utf8")) as Profile
    const shapes = profile.driver!.shapes!
    expect(shapes.map((m) => [m.nodes, m.balanceShare, m.ratePerSec])).toEqual([[1, 0.5, 4000], [1, 0.5, 16_000], [3, 0, 4000]])
    for (const m of shapes) expect(m.latencyMs.kind).toBe("empirical")
    const tasks = [{ name: "claim", command: "claim", weight: 1 }, { name: "balance", command: "balance", weight: 1 }]
    const run = (profileName: string, nodes: number) => {
      writeFileSync(join(dir, "w.json"), JSON.stringify({ durationMs: 2000, hunters: { count: 100, behaviour: { model: "open", ratePerSec: 500, tasks } }, topology: { nodes }, timing: { profile: profileName } }))
      const r = cli("run", join(dir, "w.json"), "--quiet")
      expect([0, 1], r.stderr).toContain(r.status)
      return r.stdout
    }
    expect(run("profile.json", 3)).toMatch(/the client's work for 3 nodes' connections: as measured over 3\n/)
    expect(run("profile.json", 5)).toMatch(/the client's work for 5 nodes' connections: as measured over 3 \(no more than that: a live p99 may run higher than this one\)/)
    expect(run("profile.json", 3)).toMatch(/balance reads' client path: as measured with 50 % of requests reads at 4,000 and 16,000\/s/)
    // A profile without them (an older one) says what the model leaves out.
    writeFileSync(join(dir, "old.json"), JSON.stringify({ ...profile, driver: { ...profile.driver, shapes: undefined } }))
    const old = run("old.json", 3)
    expect(old).toMatch(/not modelled: the client's extra work for 3 nodes' connections \(calibrated on one\) — a live p99 runs higher than this one/)
    expect(old).toMatch(/not modelled: balance reads' own client path \(calibrated on claims\) — a live p50 runs lower than this one/)
  })

  it("bad profiles exit 2 naming the field", () => {
    const good = JSON.parse(readFileSync(profileFile, "utf8")) as Record<string, unknown>
    const run = (profile: unknown) => {
      writeFileSync(join(dir, "p.json"), typeof profile === "string" ? profile : JSON.stringify(profile))
      writeFileSync(join(dir, "b.json"), JSON.stringify({ timing: { profile: "p.json" } }))
      return cli("run", join(dir, "b.json"), "--quiet")
    }
    for (const [profile, field] of [
      ["{ not json", "timing.profile: \"p.json\" is not valid JSON"],
      [{ ...good, huntbenchProfile: 2 }, "timing.profile.huntbenchProfile"],
      [{ ...good, rttMs: { kind: "empirical", quantiles: [[0, 1], [0.5, 0.5], [1, 2]] } }, "timing.profile.rttMs.quantiles[1][1]"],
      [{ ...good, ceilingPerSec: undefined }, "timing.profile.ceilingPerSec"]
    ] as const) {
      const r = run(profile)
      expect(r.status, JSON.stringify(field)).toBe(2)
      expect(r.stderr).toContain(field)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    writeFileSync(join(dir, "m.json"), JSON.stringify({ timing: { profile: "missing.json" } }))
    const missing = cli("run", join(dir, "m.json"))
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/timing\.profile: cannot read the profile "missing\.json"/)
  })

  it("bad arguments exit 2 naming the flag", () => {
    expect(cli("calibrate").stderr).toMatch(/--target: calibrate needs local or the redis:\/\/ URL/)
    expect(cli("calibrate", "--target", "local", "--seconds", "0").stderr).toMatch(/--seconds: expected/)
    const repeats = cli("calibrate", "--target", "local", "--repeats", "0")
    expect(repeats.status).toBe(2)
    expect(repeats.stderr).toMatch(/--repeats: expected a whole number/)
    const r = cli("calibrate", "--target", "local", "--profile", "/nonexistent/dir/p.json")
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^huntbench: --profile: /)
  })

  it("on a server huntbench did not start: its own keys removed, a stranger's untouched", async () => {
    let server: RedisServer | undefined
    const admin = { r: undefined as Redis | undefined }
    try {
      server = await startRedisServer()
      admin.r = new Redis(server.url)
      await admin.r.set("stranger", "theirs")
      const r = cli("calibrate", "--target", server.url, "--seconds", "0.2", "--repeats", "1")
      expect(r.status, r.stderr).toBe(0)
      const profile = Schema.decodeUnknownSync(ProfileSchema)(JSON.parse(r.stdout)) // no --profile: the profile on stdout
      // Every node would share one connection here: no three-node shape, only the reads.
      expect(profile.driver!.shapes!.map((m) => [m.nodes, m.balanceShare, m.ratePerSec])).toEqual([[1, 0.5, 4000], [1, 0.5, 16_000]])
      expect(r.stderr).toMatch(/removed the run's \d+ keys/)
      expect(await admin.r.keys("*")).toEqual(["stranger"])
    } finally {
      admin.r?.disconnect()
      await server?.stop()
    }
  }, 60_000)
})
