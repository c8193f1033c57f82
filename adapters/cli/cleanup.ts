/**
 * `huntbench cleanup --target redis://… --run-id ID [--prefix P]`: remove the keys a
 * `--keep-keys` run left. Only a namespace that carries a huntbench run's marker is touched,
 * and in it only keys of the shapes a run writes (adapters/redis/keys.ts) — never a pattern
 * a stranger's key could match.
 */
import { Effect, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import { StoreError } from "../../src/ports/ClaimStore.ts"
import { redactUrl, runNamespace } from "../redis/keys.ts"
import { redisConnection } from "../redis/layers.ts"
import { NoSuchRun, removeRun } from "../redis/store.ts"
import * as F from "./flags.ts"
import { UsageError } from "./input.ts"
import { command } from "./session.ts"

const flags = {
  target: F.checked("target", "the redis:// URL the run used", (raw) => (F.isRedisUrl(raw) ? Result.succeed(raw) : F.expected("a redis:// URL", raw))).pipe(Flag.optional),
  runId: F.runId("the run id (printed by the --keep-keys run)"),
  prefix: F.prefix("the key prefix the run used (default huntbench)"),
  config: F.config
}

const required = <A>(o: Option.Option<A>, message: string) => Option.match(o, { onNone: () => Effect.fail(new UsageError({ message })), onSome: Effect.succeed })

const cleanup = (i: Command.Command.Config.Infer<typeof flags>) =>
  Effect.gen(function* () {
    const a = {
      target: yield* required(i.target, "--target: cleanup needs the redis:// URL the run used"),
      runId: yield* required(i.runId, "--run-id: cleanup needs the run id (printed by the --keep-keys run)"),
      prefix: Option.getOrUndefined(i.prefix)
    }
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

export const cleanupCommand = command("cleanup", flags, cleanup).pipe(
  Command.withDescription("remove the keys a run --keep-keys left on Redis: only in a namespace carrying a huntbench run's marker, only keys of the shapes a run writes")
)
