/**
 * `huntbench cleanup --target redis://… --run-id ID [--prefix P]`: remove the keys a
 * `--keep-keys` run left. Only a namespace that carries a huntbench run's marker is touched,
 * and in it only keys of the shapes a run writes (adapters/redis/keys.ts) — never a pattern
 * a stranger's key could match.
 */
import { Effect } from "effect"
import { StoreError } from "../../src/ports/ClaimStore.ts"
import { prefixProblem, redactUrl, runIdProblem, runNamespace } from "../redis/keys.ts"
import { redisConnection } from "../redis/layers.ts"
import { NoSuchRun, removeRun } from "../redis/store.ts"
import { unknownOption, UsageError } from "./input.ts"
import { COMMAND_FLAGS } from "./defaults.ts"

interface CleanupArgs {
  target?: string
  runId?: string
  prefix?: string
}

const parseArgs = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const out: CleanupArgs = {}
    for (let i = 0; i < args.length; i++) {
      const a = args[i]
      const v = args[i + 1]
      if (a === "--target" || a === "--run-id" || a === "--prefix") i++
      if (a === "--target") {
        if (v === undefined || !/^rediss?:\/\/./.test(v)) return yield* new UsageError({ message: `--target: expected a redis:// URL, got ${JSON.stringify(v ?? "")}` })
        out.target = v
      } else if (a === "--run-id") {
        const problem = runIdProblem(v)
        if (problem) return yield* new UsageError({ message: `--run-id: ${problem}` })
        out.runId = v
      } else if (a === "--prefix") {
        const problem = v === undefined ? "is missing" : prefixProblem(v)
        if (problem) return yield* new UsageError({ message: `--prefix: ${problem}` })
        out.prefix = v
      } else if (a.startsWith("-")) return yield* unknownOption(a, [...COMMAND_FLAGS.cleanup, "--config"], "cleanup")
      else return yield* new UsageError({ message: `cleanup: unknown argument ${JSON.stringify(a)} (see huntbench help)` })
    }
    if (out.target === undefined) return yield* new UsageError({ message: "--target: cleanup needs the redis:// URL the run used" })
    if (out.runId === undefined) return yield* new UsageError({ message: "--run-id: cleanup needs the run id (printed by the --keep-keys run)" })
    return { target: out.target, runId: out.runId, prefix: out.prefix }
  })

export const cleanupCommand = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const a = yield* parseArgs(args)
    const ns = runNamespace(a.prefix, a.runId)
    const redis = yield* redisConnection(a.target)
    const n = yield* Effect.tryPromise({
      try: () => removeRun(redis, ns),
      catch: (e) =>
        e instanceof NoSuchRun
          ? new UsageError({ message: `--run-id: ${e.message}` })
          : new StoreError({ message: `removing ${ns} on ${redactUrl(a.target)}: ${e instanceof Error ? e.message : String(e)}` })
    })
    process.stdout.write(`removed ${n} keys of run ${a.runId} under ${ns} on ${redactUrl(a.target)}\n`)
    return 0
  }).pipe(Effect.scoped)
