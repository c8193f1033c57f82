// Sweeps over BullMQ on real Redis (issue 18): worker processes on this machine take the
// points; the coordinator's table and CSV equal the in-process sweep's byte for byte — with
// three workers, with one SIGKILLed mid-sweep (its point taken again after the stall
// interval, none lost or counted twice), and after the coordinator was killed and resumed.
// A worker of another version puts the job back and stops. Nothing of a collected sweep is
// left on Redis but the queue's own bookkeeping.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Job, Queue } from "bullmq"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { huntbenchVersion } from "../../../adapters/package-files.ts"
import { enqueue } from "../../../adapters/sweep/queue.ts"
import { ROOT, startCli, type CliChild } from "../../support/cli.ts"
import { connect, redisUrl } from "../../support/redis.ts"
import type { Redis } from "ioredis"

const dir = mkdtempSync(join(tmpdir(), "huntbench-queue-"))
let redis: Redis
beforeAll(async () => {
  redis = await connect()
})
afterAll(async () => {
  await redis.quit()
  rmSync(dir, { recursive: true, force: true })
})

// Points of ~0.1–0.5 s each, so a worker can be killed while it holds one.
const scenario = join(dir, "s.json")
writeFileSync(scenario, JSON.stringify({
  seed: 9, durationMs: 30_000, slo: { p99Ms: 50, maxErrorRate: 0.01 },
  hunters: { count: 600, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 20 } },
  topology: { buckets: 4, nodes: 1, poolSize: 2 },
  timing: { claim: { kind: "constant", ms: 0.3 } },
  engine: { timeoutMs: 1000, retries: { max: 0 } }
}))
const GRID = ["--set", "topology.poolSize=1,4,64", "--set", "topology.nodes=1,2", "--seeds", "2"]
let n = 0
const prefixFor = (label: string) => `huntbench-test-${label}-${process.pid}-${++n}`
const sweepArgs = (prefix: string, csv: string) => ["sweep", scenario, ...GRID, "--queue", redisUrl(), "--prefix", prefix, "--csv", csv, "--quiet"]
const run = (args: Array<string>) => spawnSync(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 300_000 })

/** The in-process sweep of the same grid and seeds: what every distributed one must equal. */
let local: { stdout: string; csv: string }
beforeAll(() => {
  const csv = join(dir, "local.csv")
  const r = run(["sweep", scenario, ...GRID, "--workers", "2", "--quiet", "--csv", csv])
  expect(r.status, r.stderr).toBe(0)
  local = { stdout: r.stdout, csv: readFileSync(csv, "utf8") }
}, 300_000)

const startWorker = async (prefix: string, extra: Array<string> = []): Promise<CliChild> => {
  const w = startCli(["worker", "--queue", redisUrl(), "--prefix", prefix, "--threads", "1", ...extra])
  await w.waitFor(/^huntbench worker: huntbench .* taking runs from /)
  return w
}
const stop = async (workers: ReadonlyArray<CliChild>) => {
  for (const w of workers) w.child.kill("SIGINT")
  for (const w of workers) expect((await w.exited).code).toBe(130)
}
/** Keys under `prefix` other than the queue's own bookkeeping. */
const leftovers = async (prefix: string) => (await redis.keys(`${prefix}:*`)).filter((k) => !/^[^:]+:sweep:(meta|events|id|stalled-check)$/.test(k)).sort()

describe("huntbench sweep --queue", () => {
  it("three worker processes: the same table and CSV as the in-process sweep; nothing left on Redis", async () => {
    const prefix = prefixFor("three")
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(prefix)))
    const csv = join(dir, "three.csv")
    const r = run(sweepArgs(prefix, csv))
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe(local.stdout)
    expect(readFileSync(csv, "utf8")).toBe(local.csv)
    expect(r.stderr).toMatch(/^huntbench: sweep [a-z0-9-]+: 12 runs on the queue at /m)
    await stop(workers)
    // Each point ran once (a worker prints each point it finishes).
    const ran = workers.map((w) => (w.stderr().match(/ point \d+ \(.*\): done in /g) ?? []).length)
    expect(ran.reduce((a, b) => a + b, 0), workers.map((w) => w.stderr()).join("\n")).toBe(12)
    expect(await leftovers(prefix)).toEqual([])
  }, 300_000)

  it("a worker SIGKILLed mid-sweep: its point runs again elsewhere; the same table, every point once", async () => {
    const prefix = prefixFor("kill")
    // A short lock, so the victim's point is back on the queue two seconds after it died.
    const victim = await startWorker(prefix, ["--stall", "2s"])
    const csv = join(dir, "kill.csv")
    const coordinator = startCli(sweepArgs(prefix, csv))
    await victim.waitFor(/ point \d+ \(.*\): done in /, 120_000) // it has finished one and holds the next
    victim.child.kill("SIGKILL")
    await victim.exited
    const rescuer = await startWorker(prefix, ["--stall", "2s"])
    const { code } = await coordinator.exited
    expect(code, coordinator.stderr()).toBe(0)
    expect(coordinator.stdout()).toBe(local.stdout)
    expect(readFileSync(csv, "utf8")).toBe(local.csv)
    await stop([rescuer])
    // The rescuer ran what the victim left, the point it held when it died included (and one
    // it had just finished but not yet reported, if the kill fell between the two); each
    // counted once in the table all the same — a point's result is its job's, by job id.
    const done = (w: CliChild) => (w.stderr().match(/ point \d+ \(.*\): done in /g) ?? []).length
    expect(done(victim)).toBeLessThan(12)
    expect(done(victim) + done(rescuer)).toBeGreaterThanOrEqual(12)
    expect(readFileSync(csv, "utf8").trim().split("\n")).toHaveLength(13)
    expect(await leftovers(prefix)).toEqual([])
  }, 300_000)

  it("the coordinator killed and resumed: the same table", async () => {
    const prefix = prefixFor("resume")
    const first = startCli(sweepArgs(prefix, join(dir, "never.csv")))
    await first.waitFor(/^huntbench: if this process dies: npx huntbench sweep --queue .* --resume [a-z0-9-]+$/)
    const id = /--resume ([a-z0-9-]+)$/m.exec(first.stderr())![1]
    first.child.kill("SIGKILL")
    await first.exited
    const workers = [await startWorker(prefix), await startWorker(prefix)]
    const csv = join(dir, "resumed.csv")
    const r = run(["sweep", "--queue", redisUrl(), "--prefix", prefix, "--resume", id, "--csv", csv, "--quiet"])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe(local.stdout)
    expect(readFileSync(csv, "utf8")).toBe(local.csv)
    await stop(workers)
    expect(await leftovers(prefix)).toEqual([])
    // Collected and removed: resuming again says so.
    const again = run(["sweep", "--queue", redisUrl(), "--prefix", prefix, "--resume", id])
    expect(again.status).toBe(2)
    expect(again.stderr).toMatch(/^huntbench: --resume: no sweep /)
  }, 300_000)

  it("Ctrl-C on a worker puts the point it was running back on the queue", async () => {
    const prefix = prefixFor("ctrl-c")
    const long = join(dir, "long.json")
    writeFileSync(long, JSON.stringify({ ...JSON.parse(readFileSync(scenario, "utf8")), durationMs: 3_600_000 }))
    const coordinator = startCli(["sweep", long, "--set", "topology.poolSize=4", "--seeds", "1", "--queue", redisUrl(), "--prefix", prefix, "--quiet"])
    await coordinator.waitFor(/--resume ([a-z0-9-]+)$/)
    const id = /--resume ([a-z0-9-]+)$/m.exec(coordinator.stderr())![1]
    const w = await startWorker(prefix)
    await w.waitFor(/ point 0 \(.*\): running$/)
    w.child.kill("SIGINT")
    expect((await w.exited).code).toBe(130)
    const queue = new Queue("sweep", { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix })
    expect(await (await Job.fromId(queue, `${id}-0`))!.getState()).toBe("waiting")
    coordinator.child.kill("SIGINT")
    expect((await coordinator.exited).code).toBe(130)
    await queue.obliterate({ force: true })
    await redis.del(`${prefix}:sweep-spec:${id}`)
    await queue.close()
    await (queue.opts.connection as Redis).quit()
  }, 120_000)

  it("a point that fails fails the sweep once, naming its configuration; the sweep's runs are removed", async () => {
    const prefix = prefixFor("fail")
    // The coordinator checks every configuration before queuing it, so the bad input is put
    // into a queued job by hand — as a corrupted job or a simulator that throws would fail.
    const good = JSON.parse(readFileSync(scenario, "utf8"))
    const spec = { id: `broken-${process.pid}`, version: huntbenchVersion(), source: "s.json", axes: [{ path: "topology.buckets", values: [2, 4] }], seeds: 2, scenarios: [2, 4].map((buckets) => ({ ...good, topology: { ...good.topology, buckets } })) }
    expect(await enqueue(redis, prefix, spec)).toBe(4)
    const queue = new Queue("sweep", { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix })
    const job = (await Job.fromId(queue, `${spec.id}-0`))!
    await job.updateData({ ...job.data, input: { ...job.data.input, topology: { ...good.topology, buckets: 0 } } })
    await queue.close()
    await (queue.opts.connection as Redis).quit()
    const w = await startWorker(prefix)
    const r = run(["sweep", "--queue", redisUrl(), "--prefix", prefix, "--resume", spec.id, "--quiet"])
    expect(r.status, r.stderr).toBe(2)
    expect(r.stdout).toBe("")
    const failed = r.stderr.match(/^huntbench: sweep broken-\d+ failed: point 0 \(topology\.buckets=2 seed 9\) failed: .*topology\.buckets.*$/gm)
    expect(failed, r.stderr).toHaveLength(1)
    await stop([w])
    // Run once, not retried: the worker reports point 0's failure one time.
    expect(w.stderr().match(/ point 0 \(topology\.buckets=2 seed 9\): failed — /g), w.stderr()).toHaveLength(1)
    expect(w.stderr()).not.toMatch(/ point 0 \(.*\): done in /)
    expect(await leftovers(prefix)).toEqual([])
  }, 120_000)

  it("a worker of another version puts the job back and stops, naming both versions", async () => {
    const prefix = prefixFor("version")
    const queue = new Queue("sweep", { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix })
    await queue.add("point", { sweep: "old", index: 0, version: "0.0.1", cell: 0, input: {}, label: "x" }, { jobId: "old-0" })
    const w = startCli(["worker", "--queue", redisUrl(), "--prefix", prefix, "--threads", "1"])
    const { code } = await w.exited
    expect(code).toBe(2)
    expect(w.stderr()).toMatch(/huntbench: worker: refused a run — point 0 of sweep old was made by huntbench 0\.0\.1, this worker is huntbench \d+\.\d+\.\d+: results of two versions must not mix/)
    expect(await (await Job.fromId(queue, "old-0"))!.getState()).toBe("waiting")
    await queue.obliterate({ force: true })
    await queue.close()
    await (queue.opts.connection as Redis).quit()
  }, 120_000)
})
