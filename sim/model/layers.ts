/**
 * The simulated world's port implementations as layers: today the timing model (the client
 * pool, network and each node's single-threaded queue, with the fault plan applied). A
 * timing profile measured on a real server will be the Timing port's second implementation.
 */
import { Layer } from "effect"
import { Timing } from "../../src/ports/Timing.ts"
import { ModelTiming } from "./timing.ts"

export const layerModelTiming = Layer.succeed(Timing, Timing.of({ name: "model", make: (c) => new ModelTiming(c) }))

/** Every port, simulated. Example: `Simulation.run(s).pipe(Effect.provide(layerModel))`. */
export const layerModel = layerModelTiming
