// Differential properties: random sequences of ≥ 1 000 protocol operations over a few
// artifacts and hunters (many collisions, retries reusing idempotency keys, times on the
// window edges, tiny stream caps) give identical replies after every operation and an
// identical final state on the TypeScript model, the Lua script on real Redis, and the
// same script on ioredis-mock. A divergence is shrunk and printed with its replay command.
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Redis } from "ioredis"
import { AsyncModelStore } from "../../../sim/model/async.ts"
import { ModelStore } from "../../../sim/model/store.ts"
import { makeMockStore } from "../../../adapters/mock/store.ts"
import { RedisClaimStore } from "../../../adapters/redis/store.ts"
import type { AsyncClaimStore, StoreConfig } from "../../../src/ports/ClaimStore.ts"
import { checkProperty } from "../../support/property.ts"
import { connect, uniquePrefix } from "../../support/redis.ts"

const FILE = "test/adapters/redis/differential.test.ts"

type Op =
  | { readonly op: "claim"; readonly artifact: number; readonly hunter: number; readonly dt: number }
  /** Resend the k-th most recent claim as is (same artifact, hunter and idempotency key). */
  | { readonly op: "retry"; readonly k: number; readonly dt: number }
  | { readonly op: "balance"; readonly hunter: number; readonly bucket: number; readonly dt: number }

interface World {
  readonly artifacts: number
  readonly hunters: number
  readonly buckets: number
  readonly windowMs: number
  readonly streamCap: number
  readonly idempotency: boolean
  readonly placement: ReadonlyArray<number>
  readonly reveal: ReadonlyArray<number>
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    artifacts: fc.integer({ min: 1, max: 6 }),
    hunters: fc.integer({ min: 1, max: 5 }),
    buckets: fc.integer({ min: 1, max: 3 }),
    windowMs: fc.integer({ min: 1, max: 40 }),
    streamCap: fc.integer({ min: 1, max: 4 }),
    idempotency: fc.boolean(),
    seed: fc.array(fc.nat(), { minLength: 12, maxLength: 12 })
  })
  .map((w) => ({
    ...w,
    placement: Array.from({ length: w.artifacts }, (_, a) => w.seed[a] % w.buckets),
    reveal: Array.from({ length: w.artifacts }, (_, a) => (w.seed[a + 6] % 8) * 10)
  }))

const opArb = (w: World): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.record({
      op: fc.constant("claim" as const),
      artifact: fc.integer({ min: -1, max: w.artifacts - 1 }),
      hunter: fc.integer({ min: 0, max: w.hunters - 1 }),
      dt: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 5 }))
    }) },
    { weight: 3, arbitrary: fc.record({
      op: fc.constant("retry" as const),
      k: fc.integer({ min: 1, max: 5 }),
      dt: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 5 }))
    }) },
    { weight: 1, arbitrary: fc.record({
      op: fc.constant("balance" as const),
      hunter: fc.integer({ min: 0, max: w.hunters - 1 }),
      bucket: fc.integer({ min: 0, max: w.buckets - 1 }),
      dt: fc.constant(0)
    }) }
  )

const caseArb = worldArb.chain((w) => fc.tuple(fc.constant(w), fc.array(opArb(w), { minLength: 1000, maxLength: 1200 })))

const configOf = (w: World): StoreConfig => ({
  artifactBucket: Int32Array.from(w.placement),
  artifactRevealAt: Float64Array.from(w.reveal),
  claimWindowMs: w.windowMs,
  reward: 7,
  buckets: w.buckets,
  hunters: w.hunters,
  bucketNode: new Int32Array(w.buckets),
  nodes: 1,
  streamCap: w.streamCap,
  idempotency: w.idempotency
})

// Which replies the generated sequences produced, and whether a stream was trimmed: the
// last test checks the generator really reaches every branch of the script.
const seenReplies = new Set<number>()
let trimmedSomewhere = false

/** Play the ops on both stores in lockstep; the first differing reply fails with its index. */
const play = async (w: World, ops: ReadonlyArray<Op>, a: AsyncClaimStore, b: AsyncClaimStore) => {
  let now = 0
  let nextKey = 1
  const sent: Array<{ artifact: number; hunter: number; key: number }> = []
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]
    now += o.dt
    let ra: number, rb: number
    if (o.op === "balance") {
      ra = await a.balance(o.bucket, o.hunter)
      rb = await b.balance(o.bucket, o.hunter)
    } else {
      const req = o.op === "claim" ? { artifact: o.artifact, hunter: o.hunter, key: nextKey++ } : sent[Math.max(0, sent.length - o.k)]
      if (req === undefined) continue // a retry before any claim: nothing to resend
      sent.push(req)
      const bucket = req.artifact >= 0 ? w.placement[req.artifact] : req.hunter % w.buckets
      ra = await a.claim(bucket, req.artifact, req.hunter, req.key, now)
      rb = await b.claim(bucket, req.artifact, req.hunter, req.key, now)
      seenReplies.add(ra)
    }
    if (ra !== rb) {
      const context = ops.slice(Math.max(0, i - 15), i + 1).map((x, j) => `  #${Math.max(0, i - 15) + j} ${JSON.stringify(x)}`).join("\n")
      throw new Error(`op ${i} at t=${now}: ${a.name} replied ${ra}, ${b.name} replied ${rb}; the ops before it:\n${context}`)
    }
  }
  const snap = await a.snapshot()
  if (snap.streams.some((x) => x.appended > x.length)) trimmedSomewhere = true
  expect(await b.snapshot()).toEqual(snap)
}

describe("model ≡ Lua on real Redis ≡ Lua on ioredis-mock", () => {
  let redis: Redis
  beforeAll(async () => {
    redis = await connect()
  })
  afterAll(async () => {
    await redis?.quit()
  })

  it("model vs real Redis: same replies and final state", () =>
    checkProperty(
      "model vs real Redis",
      FILE,
      fc.asyncProperty(caseArb, async ([w, ops]) => {
        const cfg = configOf(w)
        const real = new RedisClaimStore("redis", redis, uniquePrefix("diff"), cfg, true)
        await real.setup()
        try {
          await play(w, ops, new AsyncModelStore(new ModelStore(cfg)), real)
        } finally {
          await real.cleanup()
        }
        expect(await real.ownKeys()).toEqual([])
      }),
      { numRuns: 8, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true }
    ))

  it("model vs ioredis-mock: same replies and final state", () =>
    checkProperty(
      "model vs ioredis-mock",
      FILE,
      fc.asyncProperty(caseArb, async ([w, ops]) => {
        const cfg = configOf(w)
        const mock = await makeMockStore(uniquePrefix("diffmock"), cfg)
        await play(w, ops, new AsyncModelStore(new ModelStore(cfg)), mock)
      }),
      { numRuns: 4, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true }
    ))

  it("pins ioredis-mock's known differences from Redis, so a change in either shows up", async () => {
    const { default: RedisMock } = await import("ioredis-mock")
    const mock = new RedisMock()
    const p = uniquePrefix("quirks")
    // Explicit stream ids: Redis stores "1-0"; the mock stores "1-0-0". The claim script's
    // snapshot compares entry fields, never ids, for this reason.
    await mock.xadd(`${p}s`, "1-0", "f", "v")
    await redis.xadd(`${p}s`, "1-0", "f", "v")
    const mockIds = (await mock.xrange(`${p}s`, "-", "+")).map(([id]) => id)
    const realIds = (await redis.xrange(`${p}s`, "-", "+")).map(([id]) => id)
    expect(realIds).toEqual(["1-0"])
    expect(mockIds).not.toEqual(realIds)
    // Lua integers: Redis returns an integer reply, the mock a float that equals it.
    expect(await redis.eval("return 3", 0)).toBe(3)
    expect(Number(await mock.eval("return 3", 0))).toBe(3)
    await redis.unlink(`${p}s`)
  })

  it("the generator reaches every reply of the script and trims a stream", async () => {
    // On a fixed sample, played on the model (the properties above use fresh seeds each run
    // and may be cut short by their time limit, so what they happened to reach varies).
    for (const [w, ops] of fc.sample(caseArb, { seed: 20_261_130, numRuns: 24 })) {
      const cfg = configOf(w)
      await play(w, ops, new AsyncModelStore(new ModelStore(cfg)), new AsyncModelStore(new ModelStore(cfg)))
    }
    expect([...seenReplies].sort()).toEqual([1, 2, 3, 4, 5, 6])
    expect(trimmedSomewhere).toBe(true)
  })
})
