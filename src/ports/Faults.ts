/**
 * Port: applies the fault timeline. In virtual time it compiles the timeline into the
 * windows the timing model reads; against real processes it will drive a TCP proxy,
 * signals and DEBUG SLEEP.
 */
import { Context } from "effect"
import type { FaultPlan } from "../faults.ts"
import type { Scenario } from "../scenario.ts"

export class Faults extends Context.Service<Faults, {
  readonly name: string
  readonly compile: (scenario: Scenario) => FaultPlan
}>()("huntbench/Faults") {}
