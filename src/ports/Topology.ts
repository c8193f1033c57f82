/**
 * Port: buckets → nodes, primaries and replicas. The simulated topology is a mapping plus
 * the failover rules compiled into the fault plan; a real one (Sentinel) comes with the
 * real-Redis adapter.
 */
import { Context } from "effect"
import type { Scenario } from "../scenario.ts"

export class Topology extends Context.Service<Topology, {
  readonly name: string
  /** The node owning each bucket. */
  readonly bucketToNode: (topology: Scenario["topology"]) => Int32Array
}>()("huntbench/Topology") {}
