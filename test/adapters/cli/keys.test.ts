// Which keys a run may touch on a real Redis: only those it created, in its own namespace
// `<prefix>:<run-id>:`. Keys that share any leading part of that namespace — `f`, `fo`,
// `foo`, `foobar`, `fooapp:…`, `foo:r1`, another run's `foo:r10:…` — survive a run, a
// --keep-keys run followed by `huntbench cleanup`, and a Ctrl-C in the middle of a run.
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startRedisServer, type RedisServer } from "../../../adapters/redis/server.ts"
import { ROOT, startCli } from "../../support/cli.ts"

const small = {
  seed: 4,
  durationMs: 6000,
  hunters: { count: 80, behaviour: { model: "closed", pollIntervalMs: 200, jitterMs: 50 } },
  artifacts: { count: 40, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: 5000 } },
  topology: { buckets: 4, nodes: 2, streamCap: 5 },
  faults: []
}

// Strings and hashes whose names share every leading substring of the namespace foo:r1:.
const FOREIGN_STRINGS = ["f", "fo", "foo", "foo:", "foo:r", "foo:r1", "foobar", "foo:r10:{b0}:artifact:0", "foo:other-run:{b1}:balance:3", "foo:r1x:{b0}:stream"]
const FOREIGN_HASH = "fooapp:user:1"

let server: RedisServer
let redis: Redis
let dir: string

const cli = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })
  if (r.error) throw r.error
  return r
}

const foreignState = async () => ({
  strings: await Promise.all(FOREIGN_STRINGS.map((k) => redis.get(k))),
  hash: await redis.hgetall(FOREIGN_HASH)
})

describe("a run's keys on real Redis", () => {
  let before: Awaited<ReturnType<typeof foreignState>>
  beforeAll(async () => {
    server = await startRedisServer()
    redis = new Redis(server.url)
    dir = mkdtempSync(join(tmpdir(), "huntbench-keys-"))
    writeFileSync(join(dir, "small.json"), JSON.stringify(small))
    writeFileSync(join(dir, "long.json"), JSON.stringify({ ...small, durationMs: 600_000, artifacts: { ...small.artifacts, reveal: { kind: "spread", fromMs: 0, toMs: 590_000 } } }))
    for (const k of FOREIGN_STRINGS) await redis.set(k, `stranger's ${k}`)
    await redis.hset(FOREIGN_HASH, "name", "a", "email", "a@example.org")
    before = await foreignState()
  })
  afterAll(async () => {
    await redis?.quit()
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("a run with --prefix foo writes only under foo:<run-id>: and removes exactly what it wrote", async () => {
    const r = cli("run", join(dir, "small.json"), "--target", server.url, "--prefix", "foo", "--run-id", "r1", "--quiet")
    expect([0, 1], r.stderr).toContain(r.status)
    expect(r.stderr).toMatch(/removed the run's \d+ keys under foo:r1: on/)
    expect(await foreignState()).toEqual(before)
    expect(await redis.keys("foo:r1:*")).toEqual([])
    expect((await redis.keys("*")).sort()).toEqual([...FOREIGN_STRINGS, FOREIGN_HASH].sort())
  })

  it("--keep-keys keeps the run's keys in its namespace; huntbench cleanup removes them and nothing else", async () => {
    const r = cli("run", join(dir, "small.json"), "--target", server.url, "--prefix", "foo:", "--run-id", "r2", "--keep-keys", "--quiet")
    expect([0, 1], r.stderr).toContain(r.status)
    expect(r.stderr).toContain(`remove them with: npx huntbench cleanup --target ${server.url} --prefix foo --run-id r2`)
    const kept = await redis.keys("foo:r2:*")
    expect(kept.length).toBeGreaterThan(40)
    expect(kept).toContain("foo:r2:run")
    expect(kept.every((k) => k === "foo:r2:run" || /^foo:r2:\{b\d+\}:/.test(k))).toBe(true)
    expect(await foreignState()).toEqual(before)

    const c = cli("cleanup", "--target", server.url, "--prefix", "foo", "--run-id", "r2")
    expect(c.status, c.stderr).toBe(0)
    expect(c.stdout).toContain(`removed ${kept.length} keys of run r2 under foo:r2:`)
    expect(await redis.keys("foo:r2:*")).toEqual([])
    expect(await foreignState()).toEqual(before)

    // Again, or for a namespace no huntbench run owns (another program's foo:other-run:…): refused.
    for (const runId of ["r2", "other-run", "r10"]) {
      const again = cli("cleanup", "--target", server.url, "--prefix", "foo", "--run-id", runId)
      expect(again.status).toBe(2)
      expect(again.stderr).toMatch(/^huntbench: --run-id: no huntbench run under foo:[\w-]+: .*nothing removed\n$/)
    }
    expect(await foreignState()).toEqual(before)
  })

  it("Ctrl-C in the middle of a lockstep run still removes the run's keys, and only them", async () => {
    const c = startCli(["run", join(dir, "long.json"), "--target", server.url, "--prefix", "foo", "--run-id", "r3"])
    await c.waitFor(/% done/) // the run is under way on Redis
    expect((await redis.keys("foo:r3:*")).length).toBeGreaterThan(40)
    c.child.kill("SIGINT")
    const { code } = await c.exited
    expect(code, c.stderr()).toBe(130)
    expect(c.stderr()).toContain("huntbench: interrupted")
    expect(c.stderr()).toMatch(/removed the run's \d+ keys under foo:r3:/)
    expect(c.stdout()).toContain("PARTIAL — interrupted at")
    expect(await redis.keys("foo:r3:*")).toEqual([])
    expect(await foreignState()).toEqual(before)
  })

  it("a bad output path is refused before the run touches Redis", async () => {
    const r = cli("run", join(dir, "small.json"), "--target", server.url, "--prefix", "foo", "--run-id", "r5", "--keep-keys", "--json", "/nonexistent/x.json")
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^huntbench: --json: cannot write \/nonexistent\/x\.json: [^\n]*\n$/)
    expect(await redis.keys("foo:r5*")).toEqual([])
    expect(await foreignState()).toEqual(before)
  })

  it("refuses a namespace that already holds keys, touching none of them", async () => {
    await redis.set("foo:r4:{b0}:artifact:0", "not huntbench's")
    const r = cli("run", join(dir, "small.json"), "--target", server.url, "--prefix", "foo", "--run-id", "r4", "--quiet")
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^huntbench: .*foo:r4: already holds 1 key\(s\) that are not huntbench's[^\n]*\n$/)
    expect(await redis.keys("foo:r4:*")).toEqual(["foo:r4:{b0}:artifact:0"])
    expect(await redis.get("foo:r4:{b0}:artifact:0")).toBe("not huntbench's")
    await redis.del("foo:r4:{b0}:artifact:0")
    expect(await foreignState()).toEqual(before)
  })
})
