/**
 * Real Redis as a StoreTarget layer: one ioredis connection (auto-pipelining) for the life
 * of the layer, and per run a store in its own namespace (`<prefix>:<runId>:`), taken only
 * when empty, seeded on open and — unless `keepKeys` — cleaned of its own keys (only those)
 * when the run's scope closes, also on failure and Ctrl-C.
 */
import { Effect, Layer } from "effect"
import { Redis } from "ioredis"
import { StoreError, StoreTarget, type StoreConfig } from "../../src/ports/ClaimStore.ts"
import { faultProxy, type FaultProxy } from "../chaos/proxy.ts"
import { RemoteChaos } from "./remote-chaos.ts"
import { ShardedClaimStore } from "./sharded.ts"
import { prefixProblem, redactUrl, runNamespace } from "./keys.ts"
import { RedisClaimStore } from "./store.ts"

export interface RedisTargetOptions {
  readonly url: string
  /** Key prefix; the run's keys go under `<prefix>:<runId>:` (default prefix `huntbench`). */
  readonly prefix?: string
  readonly runId: string
  readonly keepKeys?: boolean
  /** Per-command timeout (ms); a timed-out command may still run on the server. */
  readonly commandTimeoutMs?: number
  readonly log?: (line: string) => void
  /** The command that removes kept keys, shown with `keepKeys`. */
  readonly cleanupHint?: string
  /** Live runs may inject faults that stall the whole server (CLIENT PAUSE, slow scripts). */
  readonly allowDestructive?: boolean
}

const describe = (e: unknown, url: string): string =>
  (e instanceof Error ? e.message : String(e)).split(url).join(redactUrl(url))

/**
 * Connect to `url` for the life of the scope. `autoPipelining` (default on) batches the
 * commands of one tick into one write — but while a batch is in flight ioredis holds the
 * next one, which on a slow link adds up to a round trip (measured through the fault proxy
 * at 25 ms each way, a request every 1 ms: median 78 ms with it, 50 ms without).
 * `reconnect`: after a dropped connection, reconnect every 20 ms (chaos on a local deployment).
 */
export const redisConnection = (url: string, commandTimeoutMs?: number, autoPipelining = true, reconnect = false) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const r = new Redis(url, {
          lazyConnect: true,
          enableAutoPipelining: autoPipelining,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          // A deployment huntbench restarts under the run is reconnected to (its commands fail
          // meanwhile: no offline queue); a server someone else runs is not.
          retryStrategy: reconnect ? () => 20 : () => null,
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
      const problem = opts.prefix === undefined ? undefined : prefixProblem(opts.prefix)
      if (problem) return yield* new StoreError({ message: `--prefix ${JSON.stringify(opts.prefix)} ${problem}` })
      const ns = runNamespace(opts.prefix, opts.runId)
      const redis = yield* redisConnection(opts.url, opts.commandTimeoutMs)
      const name = redactUrl(opts.url)
      const own = (config: StoreConfig) =>
        Effect.acquireRelease(
          Effect.tryPromise({
            try: async () => {
              const store = new RedisClaimStore("redis", redis, ns, config, true)
              await store.claimNamespace({ runId: opts.runId, buckets: config.buckets, artifacts: config.artifactBucket.length })
              try {
                await store.setup()
              } catch (e) {
                await store.cleanup().catch(() => undefined)
                throw e
              }
              return store
            },
            catch: (e) => new StoreError({ message: `setting up keys under ${ns} on ${name}: ${describe(e, opts.url)}` })
          }),
          (store) =>
            opts.keepKeys
              ? Effect.sync(() => opts.log?.(`kept the run's keys under ${ns} on ${name}${opts.cleanupHint ? `; remove them with: ${opts.cleanupHint}` : ""}`))
              : Effect.promise(() =>
                  store.cleanup().then(
                    (n) => opts.log?.(`removed the run's ${n} keys under ${ns} on ${name}`),
                    (e) => opts.log?.(`could not remove the run's keys under ${ns} on ${name}: ${describe(e, opts.url)}`)
                  )
                )
        )
      return StoreTarget.of({
        name,
        faults: { owned: false, allowDestructive: opts.allowDestructive ?? false },
        open: (config) =>
          Effect.gen(function* () {
            const store = yield* own(config)
            if (!config.proxied) return store
            // A live run with faults: each node's commands through a fault proxy of its own.
            const u = new URL(opts.url)
            if (u.protocol === "rediss:") return yield* new StoreError({ message: `faults on ${name}: a TLS server's traffic cannot go through huntbench's fault proxy; drop the faults with --no-faults` })
            const stores: Array<RedisClaimStore> = []
            const proxies: Array<FaultProxy> = []
            for (let i = 0; i < config.nodes; i++) {
              const proxy = yield* faultProxy({ host: u.hostname, port: Number(u.port || 6379) }).pipe(Effect.mapError((e) => new StoreError({ message: `starting a fault proxy for ${name}: ${e.message}` })))
              const through = new URL(opts.url)
              through.hostname = "127.0.0.1"
              through.port = String(proxy.port)
              // Reconnected after a reset; no auto-pipelining, so a link delay adds just itself.
              const conn = yield* redisConnection(through.toString(), opts.commandTimeoutMs, false, true)
              const reads = yield* redisConnection(through.toString(), opts.commandTimeoutMs, false, true)
              stores.push(new RedisClaimStore(`node ${i}`, conn, ns, config, true, i, reads))
              proxies.push(proxy)
            }
            opts.log?.(`${config.nodes} fault prox${config.nodes === 1 ? "y" : "ies"} in front of ${name} on 127.0.0.1 port${config.nodes === 1 ? "" : "s"} ${proxies.map((p) => p.port).join(", ")} (huntbench's own connections only)`)
            const chaos = new RemoteChaos(proxies, redis, (e) => opts.log?.(`fault injection: ${e}`))
            return new ShardedClaimStore(name, stores, config, chaos)
          })
      })
    })
  )
