/**
 * The simulated adapters as layers: the Redis model store, its timing model, the static
 * topology and the virtual-time fault plan. `layerModel` provides all four.
 */
import { Layer } from "effect"
import { bucketToNode } from "../../src/engine/routing.ts"
import { compileFaults } from "../../src/faults.ts"
import { ClaimStore } from "../../src/ports/ClaimStore.ts"
import { Faults } from "../../src/ports/Faults.ts"
import { Timing } from "../../src/ports/Timing.ts"
import { Topology } from "../../src/ports/Topology.ts"
import { ModelStore } from "./store.ts"
import { ModelTiming } from "./timing.ts"

export const layerModelStore = Layer.succeed(ClaimStore, ClaimStore.of({ name: "model", make: (c) => new ModelStore(c) }))
export const layerModelTiming = Layer.succeed(Timing, Timing.of({ name: "model", make: (c) => new ModelTiming(c) }))
export const layerStaticTopology = Layer.succeed(Topology, Topology.of({ name: "static", bucketToNode }))
export const layerVirtualFaults = Layer.succeed(Faults, Faults.of({ name: "virtual", compile: compileFaults }))

/** Every port, simulated. Example: `Simulation.run(s).pipe(Effect.provide(layerModel))`. */
export const layerModel = Layer.mergeAll(layerModelStore, layerModelTiming, layerStaticTopology, layerVirtualFaults)
