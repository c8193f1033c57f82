/**
 * A sweep spread over machines: its points as BullMQ jobs on Redis, taken by `huntbench
 * worker` processes anywhere (each point on a worker thread), collected by the coordinator
 * (`huntbench sweep … --queue redis://…`) in job order, so the table equals a local sweep's.
 * Job ids are the sweep's id and the point's index, so re-adding (a resumed coordinator)
 * never duplicates a point and a result is counted once. A worker that dies leaves its job
 * locked; when the lock runs out another worker's stalled check puts it back in the queue.
 * Everything a sweep leaves — its jobs and its spec — is removed once it is collected.
 */
import { Job, Queue, UnrecoverableError, Worker, WaitingError } from "bullmq"
import { Redis } from "ioredis"
import { ms } from "../../src/figures.ts"
import type { PointResult } from "../../sim/sweep.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { tuneJitFor } from "../cli/jit.ts"
import { pointError, ThreadPool, type SweepJob } from "./pool.ts"

/** The queue every sweep's jobs go to; its keys are `<prefix>:sweep:…`. */
export const QUEUE = "sweep"

/** What a coordinator needs to collect a sweep again after it died (`--resume ID`). */
export interface SweepSpec {
  readonly id: string
  readonly version: string
  readonly source: string
  readonly axes: ReadonlyArray<{ readonly path: string; readonly values: ReadonlyArray<unknown> }>
  readonly seeds: number
  /** One decoded scenario per configuration (cell), in grid order. */
  readonly scenarios: ReadonlyArray<unknown>
}

/** A job's data: the point, the scenario with its seed, and the version that made it. */
export interface PointJob extends SweepJob {
  readonly sweep: string
  readonly index: number
  readonly version: string
  /** For people: `topology.buckets=48 seed 5`. */
  readonly label: string
}

export const jobId = (sweep: string, index: number): string => `${sweep}-${index}`
const specKey = (prefix: string, sweep: string) => `${prefix}:sweep-spec:${sweep}`

/** A connection BullMQ accepts (it needs `maxRetriesPerRequest: null` for blocking calls). */
export const connect = (url: string): Redis => new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false })

/** The points of a sweep, in job order: configuration by configuration, seed by seed. */
export const pointJobs = (spec: SweepSpec): Array<PointJob> => {
  const out: Array<PointJob> = []
  spec.scenarios.forEach((s, cell) => {
    const values = cellValues(spec, cell)
    const where = spec.axes.map((x, i) => `${x.path}=${JSON.stringify(values[i])}`).join(" ")
    const seed0 = (s as { seed: number }).seed
    for (let k = 0; k < spec.seeds; k++) {
      const seed = (seed0 + k) >>> 0
      out.push({ sweep: spec.id, index: out.length, version: spec.version, cell, input: { ...(s as object), seed }, label: `${where} seed ${seed}` })
    }
  })
  return out
}

/** The axis values of configuration `cell` (the grid's first axis varying slowest). */
const cellValues = (spec: SweepSpec, cell: number): Array<unknown> => {
  const out: Array<unknown> = []
  let rest = cell
  for (let i = spec.axes.length - 1; i >= 0; i--) {
    const n = spec.axes[i].values.length
    out[i] = spec.axes[i].values[rest % n]
    rest = Math.floor(rest / n)
  }
  return out
}

/** Save the spec and add every point not on the queue yet (jobs already there are left as they are). */
export const enqueue = async (redis: Redis, prefix: string, spec: SweepSpec): Promise<number> => {
  await redis.set(specKey(prefix, spec.id), JSON.stringify(spec))
  const queue = new Queue(QUEUE, { connection: redis, prefix })
  try {
    const jobs = pointJobs(spec)
    for (let i = 0; i < jobs.length; i += 500)
      await queue.addBulk(jobs.slice(i, i + 500).map((data) => ({ name: "point", data, opts: { jobId: jobId(spec.id, data.index), attempts: 1 } })))
    return jobs.length
  } finally {
    await queue.close()
  }
}

/** The spec of sweep `id`, or undefined when no such sweep is on this Redis. */
export const loadSpec = async (redis: Redis, prefix: string, id: string): Promise<SweepSpec | undefined> => {
  const text = await redis.get(specKey(prefix, id))
  return text === null ? undefined : (JSON.parse(text) as SweepSpec)
}

/** A point that failed for good: its configuration named, once. */
export class PointFailed extends Error {}

/**
 * Wait for every point of `spec` and return them in job order. Polls the jobs (a point is
 * counted when its job has completed, whichever worker ran it). Example:
 * `const points = await collect(redis, "huntbench", spec, { onProgress: (d, t) => … })`.
 */
export const collect = async (
  redis: Redis,
  prefix: string,
  spec: SweepSpec,
  opts: { readonly onProgress?: (done: number, total: number) => void; readonly signal?: AbortSignal; readonly pollMs?: number } = {}
): Promise<Array<PointResult>> => {
  const jobs = pointJobs(spec)
  const out = new Array<PointResult>(jobs.length)
  const pending = new Set(jobs.map((j) => j.index))
  const queue = new Queue(QUEUE, { connection: redis, prefix })
  try {
    let last = -1
    while (pending.size > 0) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted")
      const ids = [...pending]
      for (let i = 0; i < ids.length; i += 200) {
        const found = await Promise.all(ids.slice(i, i + 200).map((index) => Job.fromId<PointJob, PointResult>(queue, jobId(spec.id, index))))
        found.forEach((job, k) => {
          const index = ids[i + k]
          if (job === undefined) throw new PointFailed(`point ${index} (${jobs[index].label}) is gone from the queue: was the sweep removed?`)
          if (job.failedReason && job.finishedOn) throw new PointFailed(`point ${index} (${jobs[index].label}) failed: ${job.failedReason}`)
          if (job.finishedOn && job.returnvalue) {
            out[index] = job.returnvalue
            pending.delete(index)
          }
        })
      }
      const done = jobs.length - pending.size
      if (done !== last) opts.onProgress?.(done, jobs.length)
      last = done
      if (pending.size > 0) await new Promise((r) => setTimeout(r, opts.pollMs ?? 250))
    }
    return out
  } finally {
    await queue.close()
  }
}

/**
 * Remove everything sweep `spec` left on Redis: its jobs and its spec. A job a worker is
 * running is locked and cannot be removed (BullMQ answers 0): the rest go at once — so no
 * worker takes another point of a failed sweep — and those are removed once they finish,
 * `onWait` told how many are still running. Example: `await removeSweep(redis, "huntbench", spec)`.
 */
export const removeSweep = async (
  redis: Redis,
  prefix: string,
  spec: SweepSpec,
  opts: { readonly onWait?: (running: number) => void; readonly signal?: AbortSignal; readonly pollMs?: number } = {}
): Promise<void> => {
  const queue = new Queue(QUEUE, { connection: redis, prefix })
  try {
    let left = pointJobs(spec).map((j) => jobId(spec.id, j.index))
    for (;;) {
      const locked: Array<string> = []
      for (const id of left) if ((await queue.remove(id)) === 0) locked.push(id)
      left = locked
      if (left.length === 0) break
      opts.onWait?.(left.length)
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted")
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500))
    }
    await redis.del(specKey(prefix, spec.id))
  } finally {
    await queue.close()
  }
}

export interface WorkerOptions {
  readonly threads: number
  /** How long a job's lock lasts without renewal, and how often stalled jobs are looked for. */
  readonly stallMs: number
  readonly version: string
  readonly log: (line: string) => void
}

/**
 * Take points from the queue until `stop` is called: each simulated on a worker thread and
 * returned as the job's result. A job made by another huntbench version is put back and the
 * worker stops (`refused` says why): results of two versions never mix. Example:
 * `const w = startWorker(connect(url), "huntbench", { threads: 2, stallMs: 30_000, … })`.
 */
export const startWorker = (redis: Redis, prefix: string, opts: WorkerOptions) => {
  const pool = new ThreadPool(opts.threads)
  const active = new Map<string, { job: Job<PointJob>; token: string }>()
  let refused: string | undefined
  let onRefused: (why: string) => void = () => undefined
  const worker = new Worker<PointJob, PointResult>(
    QUEUE,
    async (job, token) => {
      const d = job.data
      if (d.version !== opts.version) {
        refused = `point ${d.index} of sweep ${d.sweep} was made by huntbench ${d.version}, this worker is huntbench ${opts.version}: results of two versions must not mix — start workers of huntbench ${d.version}`
        await job.moveToWait(token)
        onRefused(refused)
        throw new WaitingError()
      }
      if (token) active.set(job.id!, { job, token })
      const t0 = performance.now()
      opts.log(`sweep ${d.sweep} point ${d.index} (${d.label}): running`)
      try {
        // Long runs get the inlining a local sweep gives them (V8's flags are the process's).
        tuneJitFor([decodeScenarioSync(d.input)])
        const point = await pool.run(d)
        opts.log(`sweep ${d.sweep} point ${d.index} (${d.label}): done in ${ms((performance.now() - t0) / 1000)} s`)
        return point
      } catch (e) {
        // A point that fails fails the same way on every worker: the sweep fails, no retry.
        const message = pointError(e)
        opts.log(`sweep ${d.sweep} point ${d.index} (${d.label}): failed — ${message}`)
        throw new UnrecoverableError(message)
      } finally {
        active.delete(job.id!)
      }
    },
    { connection: redis, prefix, concurrency: opts.threads, lockDuration: opts.stallMs, stalledInterval: opts.stallMs, maxStalledCount: 1000, autorun: true }
  )
  return {
    worker,
    /** Resolves with the reason when a job of another version was refused. */
    refused: new Promise<string>((resolve) => (onRefused = resolve)),
    refusal: () => refused,
    /** Put unfinished jobs back on the queue and stop. */
    stop: async () => {
      for (const { job, token } of active.values()) await job.moveToWait(token).catch(() => undefined)
      await worker.close(true)
      await pool.terminate()
    }
  }
}
