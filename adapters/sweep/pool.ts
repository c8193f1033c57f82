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
import { decodeScenarioSync, ScenarioError } from "../../src/scenario.ts"

/**
 * What a point that failed failed with, as one line: a bad scenario names its field. Example:
 * `pointError(new ScenarioError({ field: "topology.buckets", message: "…" }))` is "topology.buckets: …".
 */
export const pointError = (e: unknown): string =>
  e instanceof ScenarioError ? `${e.field}: ${e.message}` : e instanceof Error ? e.message : String(e)

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
  const pool = new ThreadPool(Math.min(n, jobs.length))
  try {
    await new Promise<void>((resolve, reject) => {
      const abort = () => reject(opts.signal?.reason ?? new Error("aborted"))
      opts.signal?.addEventListener("abort", abort, { once: true })
      if (jobs.length === 0) resolve()
      jobs.forEach((job, id) =>
        pool.run(job).then(
          (point) => {
            out[id] = point
            done++ // not inside onProgress?.(…): its arguments are skipped when it is absent
            opts.onProgress?.(done, jobs.length)
            if (done === jobs.length) resolve()
          },
          (e: Error) => reject(new Error(`point ${id}: ${e.message}`))
        )
      )
    })
  } finally {
    await pool.terminate()
  }
  return out
}

/**
 * Worker threads that simulate one point each at a time; what is sent while all are busy
 * waits its turn, in order. Example: `const pool = new ThreadPool(2); const point = await
 * pool.run({ cell: 0, input }); await pool.terminate()`.
 */
export class ThreadPool {
  private readonly idle: Array<Worker> = []
  private readonly waiting: Array<() => void> = []
  private readonly all: Array<Worker>
  private next = 0

  constructor(size: number) {
    this.all = Array.from({ length: Math.max(1, size) }, () => new Worker(sibling("./worker.ts", import.meta.url)))
    this.idle.push(...this.all)
  }

  /** The point of one job: its figures, or the error that stopped its simulation. */
  async run(job: SweepJob): Promise<PointResult> {
    while (this.idle.length === 0) await new Promise<void>((r) => this.waiting.push(r))
    const w = this.idle.pop()!
    const id = this.next++
    try {
      return await new Promise<PointResult>((resolve, reject) => {
        const onMessage = (m: { id: number; point?: PointResult; error?: string }) => {
          if (m.id !== id) return
          w.off("message", onMessage)
          w.off("error", reject)
          if (m.error !== undefined) reject(new Error(m.error))
          else resolve(m.point as PointResult)
        }
        w.on("message", onMessage)
        w.on("error", reject)
        w.postMessage({ id, cell: job.cell, input: job.input })
      })
    } finally {
      this.idle.push(w)
      this.waiting.shift()?.()
    }
  }

  /** Stop every thread (a point being simulated is abandoned). */
  async terminate(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()))
  }
}
