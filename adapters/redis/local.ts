/**
 * `--target local`: a StoreTarget that starts its own Redis deployment for the run
 * (adapters/redis/deployment.ts: per node a primary, a replica with `topology.replicas`, a
 * fault proxy in front, which a run's clients go through when it has faults) and shards the run's buckets over its nodes as the scenario maps
 * them. Everything — connections, proxies, processes — is stopped when the run's scope
 * closes (its end, a failure or Ctrl-C); the keys go with the servers.
 */
import { Effect, Layer } from "effect"
import { StoreError, StoreTarget } from "../../src/ports/ClaimStore.ts"
import { LocalDeployment } from "./deployment.ts"
import { runNamespace } from "./keys.ts"
import { redisConnection } from "./layers.ts"
import { ShardedClaimStore } from "./sharded.ts"
import { RedisClaimStore } from "./store.ts"

export interface LocalTargetOptions {
  readonly runId: string
  readonly log?: (line: string) => void
  /** Called with the deployment once it runs (fault injection drives its proxies and processes). */
  readonly onDeployment?: (d: LocalDeployment) => void
}

/** Example: `Simulation.lockstep(s).pipe(Effect.provide(layerLocalTarget({ runId: "r1" })), Effect.scoped)`. */
export const layerLocalTarget = (opts: LocalTargetOptions) =>
  Layer.succeed(
    StoreTarget,
    StoreTarget.of({
      name: "local",
      faults: { owned: true, allowDestructive: true },
      open: (config) =>
        Effect.gen(function* () {
          const deployment = yield* Effect.acquireRelease(
            Effect.tryPromise({
              try: () => LocalDeployment.start({ nodes: config.nodes, replicas: config.replicas ?? false, sentinel: config.sentinel, aof: config.aof, directReplication: !config.proxied }),
              catch: (e) => new StoreError({ message: `starting a local Redis deployment: ${e instanceof Error ? e.message : String(e)}` })
            }),
            (d) => Effect.promise(() => d.stop()).pipe(Effect.tap(() => Effect.sync(() => opts.log?.("stopped the local Redis deployment"))))
          )
          const ports = deployment.nodes.map((n) => `${n.primary.port}${n.replica ? `+${n.replica.port}` : ""}`).join(", ")
          const sentinels = deployment.sentinels.length > 0 ? `, watched by ${deployment.sentinels.length} Sentinels on ports ${deployment.sentinels.map((s) => s.port).join(", ")}` : ""
          opts.log?.(`started a local Redis deployment: ${config.nodes} node(s) on 127.0.0.1 ports ${ports} (primary${config.replicas ? "+replica" : ""}), through fault proxies${sentinels}`)
          opts.onDeployment?.(deployment)
          const ns = runNamespace(undefined, opts.runId)
          const stores: Array<RedisClaimStore> = []
          for (const n of deployment.nodes) {
            // Through the fault proxy only in a run with faults: the proxy runs in this process,
            // on the driver's thread, and without faults its work would be measured as the client's.
            const url = config.proxied ? n.proxy.url : n.primary.url
            // Without auto-pipelining, so that an injected link delay adds just that delay
            // (see redisConnection).
            const redis = yield* redisConnection(url, undefined, false, true)
            // Reads on a connection of their own, as a pool's other connections: a claim held
            // by a write pause (CLIENT PAUSE WRITE) holds up the commands behind it on its connection.
            const reads = yield* redisConnection(url, undefined, false, true)
            const store = new RedisClaimStore(`node ${n.index}`, redis, ns, config, true, n.index, reads)
            yield* Effect.tryPromise({
              try: () => store.setup(),
              catch: (e) => new StoreError({ message: `seeding node ${n.index} of the local deployment: ${e instanceof Error ? e.message : String(e)}` })
            })
            stores.push(store)
          }
          return new ShardedClaimStore("local", stores, config, deployment)
        })
    })
  )
