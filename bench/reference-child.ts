/**
 * One reference hunt of N simulated minutes in a fresh process, for the JIT comparison in
 * bench/run.ts: `node bench/reference-child.ts 10` prints `{"wallMs", "events", "requests"}`.
 * The inlining budget is raised as the CLI raises it unless HUNTBENCH_JIT_DEFAULTS=1.
 */
import { tuneJit } from "../adapters/cli/jit.ts"
import { simulate } from "../sim/driver.ts"
import { rehearsal } from "../sim/rehearsal.ts"
import { presets } from "../src/presets.ts"
import { decodeScenarioSync } from "../src/scenario.ts"

tuneJit()
const minutes = Number(process.argv[2] ?? 10)
const input = structuredClone(presets.reference) as { durationMs: number; faults: Array<{ atMs: number; durationMs: number }> }
input.durationMs = minutes * 60_000
input.faults = input.faults.filter((f) => f.atMs + f.durationMs <= input.durationMs)
const s = decodeScenarioSync(input)
simulate(rehearsal(s)) // the same warm-up as the main benchmark (and the CLI)
const t0 = performance.now()
const raw = simulate(s)
process.stdout.write(JSON.stringify({ wallMs: performance.now() - t0, events: raw.events, requests: raw.requests }) + "\n")
