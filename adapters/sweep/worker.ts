// A sweep worker thread: decodes and simulates the points it is sent, one at a time, and
// posts back each point's figures (or the error that stopped it).
import { parentPort } from "node:worker_threads"
import { simulate } from "../../sim/driver.ts"
import { pointOf } from "../../sim/sweep.ts"
import { buildReport } from "../../sim/report.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"
import { pointError } from "./pool.ts"

parentPort?.on("message", (job: { id: number; cell: number; input: unknown }) => {
  try {
    const s = decodeScenarioSync(job.input)
    const t0 = performance.now()
    const raw = simulate(s)
    parentPort?.postMessage({ id: job.id, point: pointOf(buildReport(raw, "sweep", performance.now() - t0), job.cell) })
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: pointError(e) })
  }
})
