/**
 * Runs a sweep's points on worker threads (one per core by default), or in-process with
 * `workers: 0`. Points come back in job order whatever order they finish in; every worker
 * is terminated when the sweep ends, fails or is aborted.
 */
import { availableParallelism } from "node:os"
import { Worker } from "node:worker_threads"
import { sibling } from "../package-files.ts"
import { Simulator } from "../../sim/driver.ts"
import { pointOf, type PointResult } from "../../sim/sweep.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"

export interface SweepJob {
  readonly cell: number
  /** Scenario JSON with the cell's values and the seed applied. */
  readonly input: unknown
}

export interface PoolOptions {
  /** Worker threads; default one per core; 0 runs in this thread. */
  readonly workers?: number
  readonly onProgress?: (done: number, total: number) => void
  readonly signal?: AbortSignal
}

export const defaultWorkers = (): number => Math.max(1, availableParallelism())

/** Run every job; resolves to their points in job order. Example: `await runPoints(jobs, { workers: 2 })`. */
export const runPoints = async (jobs: ReadonlyArray<SweepJob>, opts: PoolOptions = {}): Promise<Array<PointResult>> => {
  const n = opts.workers ?? defaultWorkers()
  const out = new Array<PointResult>(jobs.length)
  let done = 0
  if (n === 0) {
    for (let i = 0; i < jobs.length; i++) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted")
      const t0 = performance.now()
      // In chunks, yielding between them, so Ctrl-C is answered within a long point too.
      const sim = new Simulator(decodeScenarioSync(jobs[i].input))
      while (!sim.step(1 << 20)) {
        await new Promise((r) => setImmediate(r))
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted")
      }
      out[i] = pointOf(buildReport(sim.raw(), "sweep", performance.now() - t0), jobs[i].cell)
      done++
      opts.onProgress?.(done, jobs.length)
      await new Promise((r) => setImmediate(r)) // let an abort or a progress draw in
    }
    return out
  }
  const workers = Array.from({ length: Math.min(n, jobs.length) }, () => new Worker(sibling("./worker.ts", import.meta.url)))
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0
      const abort = () => reject(opts.signal?.reason ?? new Error("aborted"))
      opts.signal?.addEventListener("abort", abort, { once: true })
      const feed = (w: Worker) => {
        if (next < jobs.length) {
          const id = next++
          w.postMessage({ id, cell: jobs[id].cell, input: jobs[id].input })
        }
      }
      for (const w of workers) {
        w.on("message", (m: { id: number; point?: PointResult; error?: string }) => {
          if (m.error !== undefined) return reject(new Error(`point ${m.id}: ${m.error}`))
          out[m.id] = m.point as PointResult
          done++ // not inside onProgress?.(…): its arguments are skipped when it is absent
          opts.onProgress?.(done, jobs.length)
          if (done === jobs.length) resolve()
          else feed(w)
        })
        w.on("error", reject)
        feed(w)
      }
      if (jobs.length === 0) resolve()
    })
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return out
}
