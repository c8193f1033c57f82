// Faults on a Redis server huntbench did not start (here a redis-server this file starts, with
// a stranger's key on it): link faults go through huntbench's own fault proxy — the stranger
// and the server untouched; a pause, which stalls every client, needs --allow-destructive
// and is then CLIENT PAUSE for its window; what needs the server's processes is refused
// even so — each refusal exit 2 naming the fault, before anything is written.
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { liveRun } from "../../../adapters/live/simulation.ts"
import { layerRedisTarget } from "../../../adapters/redis/layers.ts"
import { startRedisServer, type RedisServer } from "../../../adapters/redis/server.ts"
import { Simulation } from "../../../sim/simulation.ts"

const hunt = (faults: Array<Record<string, unknown>>, nodes = 2) => ({
  seed: 6,
  durationMs: 4000,
  hunters: { count: 100, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 30 } },
  artifacts: { count: 1500, claimWindowMs: 1000, reveal: { kind: "spread", fromMs: 0, toMs: 3800 } },
  topology: { buckets: 4, nodes },
  engine: { timeoutMs: 200 },
  faults
})

let server: RedisServer
let admin: Redis
let dir: string
let n = 0

const cli = (faults: Array<Record<string, unknown>>, ...flags: Array<string>) => {
  const file = join(dir, `s${++n}.json`)
  writeFileSync(file, JSON.stringify(hunt(faults)))
  return spawnSync(process.execPath, ["bin/huntbench.js", "run", file, "--target", server.url, "--live", "--quiet", ...flags], { encoding: "utf8", timeout: 60_000 })
}
const live = (faults: Array<Record<string, unknown>>, allowDestructive = false, nodes = 2) =>
  Effect.runPromise(liveRun(hunt(faults, nodes)).pipe(Effect.scoped, Effect.provide(layerRedisTarget({ url: server.url, runId: `remote-${process.pid}-${++n}`, allowDestructive }))))

/** Only the stranger's key is on the server, unchanged. */
const untouched = async () => {
  expect(await admin.keys("*")).toEqual(["stranger"])
  expect(await admin.get("stranger")).toBe("theirs")
}

describe("faults on a server huntbench did not start", () => {
  beforeAll(async () => {
    server = await startRedisServer()
    admin = new Redis(server.url)
    await admin.set("stranger", "theirs")
    dir = mkdtempSync(join(tmpdir(), "huntbench-remote-"))
  })
  afterAll(async () => {
    admin?.disconnect()
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("a pause without --allow-destructive, or a crash even with it: exit 2 naming the fault, nothing written", async () => {
    const pause = cli([{ kind: "linkLatency", atMs: 100, durationMs: 100, target: 0, extraMs: 5 }, { kind: "pause", atMs: 1000, durationMs: 500, target: 1 }])
    expect(pause.status).toBe(2)
    expect(pause.stderr).toMatch(/^huntbench: invalid scenario: faults\[1\]\.kind: pause would stall every client of redis:\/\/127\.0\.0\.1:\d+, a server huntbench did not start: pass --allow-destructive/)
    expect(pause.stderr).not.toMatch(/\n\s+at /)
    const crash = cli([{ kind: "crash", atMs: 1000, durationMs: 500, target: 0 }], "--allow-destructive")
    expect(crash.status).toBe(2)
    expect(crash.stderr).toMatch(/faults\[0\]\.kind: crash needs processes huntbench started \(--target local\)/)
    // On a server that holds every node, stalling it is not stalling one node, as the model would.
    const wide = cli([{ kind: "latencySpike", atMs: 1000, durationMs: 500, target: 1, extraMs: 2 }], "--allow-destructive")
    expect(wide.status).toBe(2)
    expect(wide.stderr).toMatch(/faults\[0\]\.target: latencySpike on redis:\/\/[^ ]+ stalls the one server that holds all 2 nodes' buckets/)
    const misplaced = spawnSync(process.execPath, ["bin/huntbench.js", "run", "default", "--target", "local", "--live", "--allow-destructive"], { encoding: "utf8" })
    expect(misplaced.status).toBe(2)
    expect(misplaced.stderr).toMatch(/--allow-destructive: only applies to --live runs on --target redis:\/\//)
    await untouched()
  })

  it("linkLatency through huntbench's own proxy raises its latency by the delay; the server and its other keys untouched", async () => {
    const slow = [{ kind: "linkLatency", atMs: 0, durationMs: 4000, target: 0, extraMs: 25, jitterMs: 5 }, { kind: "linkLatency", atMs: 0, durationMs: 4000, target: 1, extraMs: 25, jitterMs: 5 }]
    const [base, withFault] = [await live([]), await live(slow)]
    const rise = withFault.latencyMs.p50 - base.latencyMs.p50
    expect(rise).toBeGreaterThan(35)
    expect(rise).toBeLessThan(65)
    // Nobody else's connection is slowed: a stranger's command right after is fast, and was during.
    const t = performance.now()
    await admin.ping()
    expect(performance.now() - t).toBeLessThan(25)
    for (const inv of withFault.invariants) expect(inv.ok, inv.name).toBe(true)
    await untouched()
  }, 60_000)

  it("with --allow-destructive a pause is CLIENT PAUSE for its window: requests stall, time out and open the breaker, then the server serves again", async () => {
    const pause = [{ kind: "pause", atMs: 1500, durationMs: 1000, target: 0 }]
    const r = await live(pause, true, 1)
    // The server stalls: most requests in the window fail.
    const during = r.timeline.filter((row) => row.second === 1 || row.second === 2)
    expect(during.reduce((sum, row) => sum + row.errors, 0)).toBeGreaterThan(500)
    expect(r.breakers.trips).toBeGreaterThan(0)
    expect(r.claims.appliedUnacknowledged).toBeGreaterThan(0) // timed out in the pause, run after it
    const after = r.timeline.find((row) => row.second === 3)!
    expect(after.errors).toBe(0)
    expect(after.ok).toBeGreaterThan(500)
    const model = await Effect.runPromise(Simulation.run(hunt(pause, 1)))
    expect(model.breakers.trips).toBeGreaterThan(0)
    // The pause ended with its window: the stranger is served at once.
    const t = performance.now()
    await admin.ping()
    expect(performance.now() - t).toBeLessThan(25)
    await untouched()
  }, 60_000)
})
