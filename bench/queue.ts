/**
 * Distributed sweeps (issue 18): runs per minute with 1, 2 and 3 `huntbench worker`
 * processes (one thread each) on this machine, against the same runs in this process on one
 * worker thread — the baseline, run in the same process. The queue's overhead per run: with
 * one worker, the wall time less the time the worker spent simulating, per run, as a share
 * of a run (a ratio of two medians would mostly measure this machine's noise: the same run
 * took 2.4–4.4 s here). Target ≤ 5 % at the reference hunt's run length.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"
import { huntbenchVersion } from "../adapters/package-files.ts"
import { startRedisServer } from "../adapters/redis/server.ts"
import { tuneJitFor } from "../adapters/cli/jit.ts"
import { runPoints } from "../adapters/sweep/pool.ts"
import { Job, Queue } from "bullmq"
import { collect, connect, enqueue, jobId, QUEUE, removeSweep, type SweepSpec } from "../adapters/sweep/queue.ts"
import { presets } from "../src/presets.ts"
import { decodeScenarioSync } from "../src/scenario.ts"

const BIN = fileURLToPath(new URL("../bin/huntbench.js", import.meta.url))

/** A worker process, resolved once it says it takes runs. */
const startWorker = (url: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [BIN, "worker", "--queue", url, "--threads", "1"], { stdio: ["ignore", "ignore", "pipe"] })
    let err = ""
    c.stderr!.on("data", (d) => {
      err += d
      if (/taking runs from/.test(err)) resolve(c)
    })
    c.on("exit", (code) => reject(new Error(`worker exited ${code}: ${err}`)))
  })

export const benchQueue = async (quick: boolean, emit: (r: Record<string, unknown>) => void): Promise<void> => {
  // The reference hunt, two simulated minutes without faults in --quick (its full length is what the target is about).
  const scenario = decodeScenarioSync({ ...(structuredClone(presets.reference) as object), ...(quick ? { durationMs: 120_000, faults: [] } : {}) })
  const runs = 6
  const server = await startRedisServer()
  const redis = connect(server.url)
  try {
    const jobs = Array.from({ length: runs }, (_, k) => ({ cell: 0, input: { ...scenario, seed: scenario.seed + k } }))
    // The long-run JIT flags a worker process applies (V8's flags are per process): the same here.
    tuneJitFor([scenario])
    const t0 = performance.now()
    await runPoints(jobs, { workers: 1 })
    const baselineMs = performance.now() - t0
    const perMin = (ms: number) => Math.round((runs / ms) * 60_000 * 10) / 10
    for (const workers of [1, 2, 3]) {
      const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(server.url)))
      try {
        const spec: SweepSpec = { id: `bench-${workers}-${Date.now().toString(36)}`, version: huntbenchVersion(), source: "reference", axes: [], seeds: runs, scenarios: [scenario] }
        const t = performance.now()
        await enqueue(redis, "huntbench", spec)
        await collect(redis, "huntbench", spec, { pollMs: 50 })
        const ms = performance.now() - t
        // Time the workers spent simulating (BullMQ's processedOn → finishedOn): the rest of
        // the wall time with one worker is the queue's own cost — taking, reporting, polling.
        const queue = new Queue(QUEUE, { connection: redis, prefix: "huntbench" })
        const done = await Promise.all(Array.from({ length: runs }, (_, i) => Job.fromId(queue, jobId(spec.id, i))))
        await queue.close()
        const simulatingMs = done.reduce((a, j) => a + ((j?.finishedOn ?? 0) - (j?.processedOn ?? 0)), 0)
        await removeSweep(redis, "huntbench", spec)
        emit({
          bench: "sweep-queue",
          scenario: "reference",
          runs,
          runSeconds: Math.round(baselineMs / runs / 100) / 10,
          workerProcesses: workers,
          runsPerMin: perMin(ms),
          baseline: "the same runs in this process, 1 worker thread",
          baselineRunsPerMin: perMin(baselineMs),
          ratio: Math.round((baselineMs / ms) * 1000) / 1000,
          ...(workers === 1
            ? { simulatingSecondsPerRun: Math.round(simulatingMs / runs / 100) / 10, overheadPerRunMs: Math.round((ms - simulatingMs) / runs), overheadShare: Math.round(((ms - simulatingMs) / simulatingMs) * 10000) / 10000, targetOverheadShare: 0.05 }
            : {})
        })
      } finally {
        for (const p of procs) p.kill("SIGINT")
        await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(undefined) : p.on("exit", r)))))
      }
    }
  } finally {
    await redis.quit()
    await server.stop()
  }
}
