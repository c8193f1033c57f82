/**
 * ioredis-mock as a StoreTarget layer: a fresh in-process server per run — its own keyspace
 * (ioredis-mock shares one between clients of the same host and port), emptied when the
 * run's scope closes.
 */
import { Effect, Layer } from "effect"
import { StoreError, StoreTarget } from "../../src/ports/ClaimStore.ts"
import { runNamespace } from "../redis/keys.ts"
import { makeMockStore } from "./store.ts"

/** Example: `Simulation.lockstep(s).pipe(Effect.provide(layerMockTarget("r1")))`. */
export const layerMockTarget = (runId: string) =>
  Layer.succeed(
    StoreTarget,
    StoreTarget.of({
      name: "mock",
      open: (config) =>
        Effect.acquireRelease(
          Effect.tryPromise({
            try: () => makeMockStore(runNamespace(undefined, runId), config),
            catch: (e) => new StoreError({ message: `ioredis-mock: ${e instanceof Error ? e.message : String(e)}` })
          }),
          (store) => Effect.promise(() => store.close())
        )
    })
  )
