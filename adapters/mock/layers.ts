/** ioredis-mock as a StoreTarget layer: a fresh in-process server per run. */
import { Effect, Layer } from "effect"
import { StoreError, StoreTarget } from "../../src/ports/ClaimStore.ts"
import { defaultPrefix } from "../redis/keys.ts"
import { makeMockStore } from "./store.ts"

/** Example: `Simulation.lockstep(s).pipe(Effect.provide(layerMockTarget("r1")))`. */
export const layerMockTarget = (runId: string) =>
  Layer.succeed(
    StoreTarget,
    StoreTarget.of({
      name: "mock",
      open: (config) =>
        Effect.tryPromise({
          try: () => makeMockStore(defaultPrefix(runId), config),
          catch: (e) => new StoreError({ message: `ioredis-mock: ${e instanceof Error ? e.message : String(e)}` })
        })
    })
  )
