/**
 * A claim store over several Redis nodes, one per `topology.nodes`: each bucket's keys live
 * on the node `bucketNode` maps it to (as in a Redis Cluster, where the bucket's hash tag
 * picks the slot), so a claim goes to its bucket's node and the final state is each node's
 * own part, put together.
 */
import type { AsyncClaimStore, StoreConfig, StoreSnapshot } from "../../src/ports/ClaimStore.ts"
import type { ChaosTarget } from "../chaos/injector.ts"
import type { RedisClaimStore } from "./store.ts"

/** Example: `new ShardedClaimStore("local", [storeOnNode0, storeOnNode1], cfg)`. */
export class ShardedClaimStore implements AsyncClaimStore {
  readonly name: string
  readonly stores: ReadonlyArray<RedisClaimStore>
  /** What faults act on: the deployment huntbench started, or the proxies in front of a server it did not. */
  readonly deployment: ChaosTarget | undefined
  private readonly cfg: StoreConfig

  constructor(name: string, stores: ReadonlyArray<RedisClaimStore>, cfg: StoreConfig, deployment?: ChaosTarget) {
    if (stores.length !== cfg.nodes) throw new Error(`ShardedClaimStore: ${stores.length} stores for ${cfg.nodes} nodes`)
    this.name = name
    this.stores = stores
    this.cfg = cfg
    this.deployment = deployment
  }

  claim(bucket: number, artifact: number, hunter: number, requestKey: number, now: number): Promise<number> {
    return this.stores[this.cfg.bucketNode[bucket]].claim(bucket, artifact, hunter, requestKey, now)
  }

  waitReplicas(bucket: number, replicas: number, timeoutMs: number): Promise<number> {
    return this.stores[this.cfg.bucketNode[bucket]].waitReplicas(bucket, replicas, timeoutMs)
  }

  balance(bucket: number, hunter: number): Promise<number> {
    return this.stores[this.cfg.bucketNode[bucket]].balance(bucket, hunter)
  }

  /** Each artifact's winner and each bucket's stream and balances from the bucket's own node. */
  async snapshot(): Promise<StoreSnapshot> {
    const snaps = await Promise.all(this.stores.map((s) => s.snapshot()))
    const { artifactBucket, bucketNode } = this.cfg
    const nodeOf = (b: number) => bucketNode[b]
    return {
      winners: Array.from(artifactBucket, (b, a) => snaps[nodeOf(b)].winners[a]),
      streams: Array.from({ length: this.cfg.buckets }, (_, b) => snaps[nodeOf(b)].streams[b]),
      balances: snaps.flatMap((s, n) => s.balances.filter(([b]) => nodeOf(b) === n)).sort((x, y) => x[0] - y[0] || x[1] - y[1]),
      idempotencyKeys: snaps.flatMap((s) => s.idempotencyKeys).sort((x, y) => x - y)
    }
  }
}
