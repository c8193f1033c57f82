/**
 * `huntbench worker --queue redis://…`: run sweep points from the queue on this machine —
 * one worker thread per core by default — until Ctrl-C, which puts the points it had not
 * finished back on the queue for another worker. A point made by another huntbench version
 * is put back too, and this worker stops with exit 2: results of two versions never mix.
 */
import { Effect, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import { huntbenchVersion } from "../package-files.ts"
import { normalizePrefix, redactUrl } from "../redis/keys.ts"
import { defaultWorkers } from "../sweep/pool.ts"
import { startWorker } from "../sweep/queue.ts"
import * as F from "./flags.ts"
import { UsageError } from "./input.ts"
import { command } from "./session.ts"
import { queueConnection } from "./sweep.ts"

const flags = {
  queue: F.checked("queue", "the Redis the sweep's coordinator queued its runs on (redis://host:port[/db])", (raw) => (F.isRedisUrl(raw) ? Result.succeed(raw) : F.expected("a redis:// URL", raw))).pipe(Flag.withMetavar("URL"), Flag.optional),
  threads: F.checked("threads", "points run at once, each on a worker thread (default: one per core)", F.wholeNumber("a whole number from 1 to 256", 1, 256)).pipe(Flag.withMetavar("N"), Flag.optional),
  prefix: F.prefix("the key prefix the sweep used (default huntbench)"),
  stall: F.checked("stall", "a point whose worker went silent this long goes back to the queue (default 30s; every worker looks this often)", (raw) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw)
    return m && Number(m[1]) > 0 ? Result.succeed(Number(m[1]) * (m[2] === "ms" ? 1 : 1000)) : F.expected("a duration such as 30s or 5000ms", raw)
  }).pipe(Flag.withMetavar("DURATION"), Flag.withDefault(30_000)),
  config: F.config
}

const work = (i: Command.Command.Config.Infer<typeof flags>) =>
  Effect.gen(function* () {
    if (Option.isNone(i.queue)) return yield* new UsageError({ message: "--queue: worker needs the redis:// URL the sweep was queued on" })
    const url = i.queue.value
    const prefix = normalizePrefix(Option.getOrElse(i.prefix, () => "huntbench"))
    const threads = Option.getOrElse(i.threads, defaultWorkers)
    const version = huntbenchVersion()
    const log = (line: string) => process.stderr.write(`huntbench worker: ${line}\n`)
    const redis = yield* queueConnection(url)
    const w = yield* Effect.acquireRelease(
      Effect.sync(() => startWorker(redis, prefix, { threads, stallMs: i.stall, version, log })),
      (w) => Effect.promise(() => w.stop())
    )
    yield* Effect.promise(() => w.worker.waitUntilReady())
    log(`huntbench ${version}, ${threads} thread(s), taking runs from ${redactUrl(url)} (prefix ${prefix}); Ctrl-C to stop`)
    const why = yield* Effect.promise(() => w.refused)
    return yield* new UsageError({ message: `worker: refused a run — ${why}` })
  }).pipe(Effect.scoped)

export const workerCommand = command("worker", flags, work).pipe(
  Command.withDescription("run the points of sweeps queued with sweep --queue, on this machine, until Ctrl-C (unfinished points go back to the queue); start one per machine"),
  Command.withExamples([{ command: "huntbench worker --queue redis://10.0.0.5:6379", description: "on each machine of the fleet" }])
)
