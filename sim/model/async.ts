/**
 * The model behind the asynchronous store interface, and its final state in the canonical
 * snapshot form — so the model, ioredis-mock and real Redis can be compared directly.
 */
import type { AsyncClaimStore, StoreSnapshot } from "../../src/ports/ClaimStore.ts"
import type { ModelStore } from "./store.ts"

/** The model's final state. Example: `modelSnapshot(store).winners[3]`. */
export const modelSnapshot = (store: ModelStore): StoreSnapshot => {
  const { buckets, hunters } = store.cfg
  const balances: Array<[number, number, number]> = []
  for (const [key, amount] of store.balances) if (amount !== 0) balances.push([Math.floor(key / hunters), key % hunters, amount])
  balances.sort((x, y) => x[0] - y[0] || x[1] - y[1])
  const kept: Array<Array<{ artifact: number; hunter: number; t: number }>> = Array.from({ length: buckets }, () => [])
  for (const w of store.writes) if (w.lostBy < 0) kept[w.bucket].push({ artifact: w.artifact, hunter: w.hunter, t: w.appliedAt })
  const streams = kept.map((entries, b) => {
    const length = store.streamLength[b]
    return { length, appended: store.streamAppended[b], entries: entries.slice(entries.length - length) }
  })
  return {
    winners: Array.from(store.winner),
    balances,
    streams,
    idempotencyKeys: [...store.idem.keys()].sort((a, b) => a - b)
  }
}

/** The model as an AsyncClaimStore; every claim checks its idempotency key, as the script does. */
export class AsyncModelStore implements AsyncClaimStore {
  readonly name = "model"
  readonly store: ModelStore
  constructor(store: ModelStore) {
    this.store = store
  }
  claim(_bucket: number, artifact: number, hunter: number, requestKey: number, now: number): Promise<number> {
    return Promise.resolve(this.store.claim(artifact, hunter, requestKey, now, 0, true))
  }
  balance(bucket: number, hunter: number): Promise<number> {
    return Promise.resolve(this.store.balance(bucket, hunter))
  }
  snapshot(): Promise<StoreSnapshot> {
    return Promise.resolve(modelSnapshot(this.store))
  }
}
