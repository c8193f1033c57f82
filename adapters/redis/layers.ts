/**
 * Real Redis as a StoreTarget layer: one ioredis connection (auto-pipelining) for the life
 * of the layer, and per run a store under its own prefix, seeded on open and — unless
 * `keepKeys` — cleaned of its own keys (only those) when the run's scope closes.
 */
import { Effect, Layer } from "effect"
import { Redis } from "ioredis"
import { StoreError, StoreTarget } from "../../src/ports/ClaimStore.ts"
import { defaultPrefix, prefixProblem, redactUrl } from "./keys.ts"
import { RedisClaimStore } from "./store.ts"

export interface RedisTargetOptions {
  readonly url: string
  /** Key prefix; default `huntbench:<runId>:`. */
  readonly prefix?: string
  readonly runId: string
  readonly keepKeys?: boolean
  /** Per-command timeout (ms); a timed-out command may still run on the server. */
  readonly commandTimeoutMs?: number
  readonly log?: (line: string) => void
}

const describe = (e: unknown, url: string): string =>
  (e instanceof Error ? e.message : String(e)).split(url).join(redactUrl(url))

/** Connect to `url` for the life of the scope. */
export const redisConnection = (url: string, commandTimeoutMs?: number) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const r = new Redis(url, {
          lazyConnect: true,
          enableAutoPipelining: true,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: () => null,
          ...(commandTimeoutMs ? { commandTimeout: commandTimeoutMs } : {})
        })
        let last: unknown
        r.on("error", (e) => (last = e)) // surfaced through connect() or the failing commands
        try {
          await r.connect()
        } catch (e) {
          r.disconnect()
          throw last ?? e
        }
        return r
      },
      catch: (e) => new StoreError({ message: `cannot connect to ${redactUrl(url)}: ${describe(e, url)}` })
    }),
    (r) => Effect.promise(() => r.quit().then(() => undefined, () => r.disconnect()))
  )

/** Example: `Simulation.lockstep(s).pipe(Effect.provide(layerRedisTarget({ url, runId: "r1" })))`. */
export const layerRedisTarget = (opts: RedisTargetOptions) =>
  Layer.effect(
    StoreTarget,
    Effect.gen(function* () {
      const prefix = opts.prefix ?? defaultPrefix(opts.runId)
      const problem = prefixProblem(prefix)
      if (problem) return yield* new StoreError({ message: `--prefix ${JSON.stringify(prefix)} ${problem}` })
      const redis = yield* redisConnection(opts.url, opts.commandTimeoutMs)
      const name = redactUrl(opts.url)
      return StoreTarget.of({
        name,
        open: (config) =>
          Effect.acquireRelease(
            Effect.tryPromise({
              try: async () => {
                const store = new RedisClaimStore("redis", redis, prefix, config, true)
                await store.setup()
                return store
              },
              catch: (e) => new StoreError({ message: `setting up keys under ${prefix} on ${name}: ${describe(e, opts.url)}` })
            }),
            (store) =>
              opts.keepKeys
                ? Effect.sync(() => opts.log?.(`kept keys under ${prefix} on ${name}`))
                : Effect.promise(() => store.cleanup().then((n) => opts.log?.(`removed ${n} keys under ${prefix} on ${name}`), () => undefined))
          )
      })
    })
  )
