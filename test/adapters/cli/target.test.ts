// The CLI against a real, password-protected redis-server started for this file: lockstep
// runs give the model's outcomes, the password never appears in any output, the run's keys
// are removed, and an unreachable target is a clean exit 2. (Which keys a run may touch,
// --keep-keys and cleanup: keys.test.ts.)
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startRedisServer, type RedisServer } from "../../../adapters/redis/server.ts"
import type { Report } from "../../../src/report.ts"

const PASSWORD = "s3cret-pw-93f1"
const scenario = {
  seed: 4,
  durationMs: 6000,
  hunters: { count: 80, behaviour: { model: "closed", pollIntervalMs: 200, jitterMs: 50 } },
  artifacts: { count: 40, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: 5000 } },
  topology: { buckets: 4, nodes: 2, streamCap: 5 },
  faults: [{ kind: "latencySpike", atMs: 2000, durationMs: 1000, target: 1, extraMs: 3 }]
}

let server: RedisServer
let dir: string
let url: string

const cli = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, ["bin/huntbench.js", "run", join(dir, "s.json"), "--quiet", ...args], { encoding: "utf8", timeout: 120_000 })
  if (r.error) throw r.error
  return r
}
const comparable = (r: Report) => ({ ...r, target: "", replay: "", sim: null })

describe("huntbench run --target redis://…", () => {
  beforeAll(async () => {
    server = await startRedisServer({ args: ["--requirepass", PASSWORD] })
    url = `redis://:${PASSWORD}@127.0.0.1:${server.port}`
    dir = mkdtempSync(join(tmpdir(), "huntbench-target-"))
    writeFileSync(join(dir, "s.json"), JSON.stringify(scenario))
  })
  afterAll(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("gives the model's outcomes, never shows the password, and removes its keys", async () => {
    const model = cli("--json", join(dir, "model.json"))
    const real = cli("--target", url, "--run-id", "t1", "--json", join(dir, "real.json"))
    expect([0, 1]).toContain(real.status)
    const m = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Report
    const text = readFileSync(join(dir, "real.json"), "utf8")
    const r = JSON.parse(text) as Report
    expect(r.target).toBe(`redis://:***@127.0.0.1:${server.port}`)
    expect(r.replay).toContain(`--target 'redis://:***@127.0.0.1:${server.port}'`)
    expect(comparable(r)).toEqual(comparable(m))
    expect(r.claims.won).toBeGreaterThan(0)
    for (const out of [text, real.stdout, real.stderr]) expect(out).not.toContain(PASSWORD)
    const redis = new Redis(url)
    try {
      expect(await redis.keys("huntbench:t1:*")).toEqual([])
    } finally {
      await redis.quit()
    }
  })

  it("an unreachable or refused target exits 2 with one clean line", () => {
    for (const target of [`redis://:${PASSWORD}@127.0.0.1:1`, `redis://:wrong@127.0.0.1:${server.port}`]) {
      const r = cli("--target", target)
      expect(r.status).toBe(2)
      expect(r.stderr).toMatch(/^huntbench: .+\n$/)
      expect(r.stderr).not.toContain(PASSWORD)
      expect(r.stderr).not.toContain(":wrong@")
      expect(r.stdout).toBe("")
    }
  })

  it("refuses crash faults outside the model and bad prefixes, naming the field", () => {
    writeFileSync(join(dir, "crash.json"), JSON.stringify({ ...scenario, faults: [{ kind: "crash", atMs: 1000, durationMs: 3000, target: 0 }] }))
    const r = spawnSync(process.execPath, ["bin/huntbench.js", "run", join(dir, "crash.json"), "--target", "mock"], { encoding: "utf8" })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("faults[0].kind")
    const p = cli("--target", url, "--prefix", "bad{tag}:")
    expect(p.status).toBe(2)
    expect(p.stderr).toContain("--prefix")
  })
})
