// The simulation in a Web Worker: the same src/ and sim/ code as the CLI, run in chunks so
// progress (new timeline rows, virtual time) streams to the page several times a second.
import { Effect, Exit, Cause } from "effect"
import { Simulator } from "../sim/driver.ts"
import { buildReport } from "../sim/report.ts"
import { decodeScenario, ScenarioError } from "../src/scenario.ts"
import { cellBounds } from "../src/geo.ts"
import type { BucketCell } from "./charts.ts"

/** New per-bucket columns since the last message (see BucketTimeline). */
export interface BucketColumns {
  readonly requests: ReadonlyArray<Float64Array>
  readonly errors: ReadonlyArray<Float64Array>
  readonly maxBacklog: ReadonlyArray<Int32Array>
  readonly hunters: ReadonlyArray<Int32Array>
  readonly streamBacklog: ReadonlyArray<Int32Array>
  readonly breakerOpen: ReadonlyArray<Int32Array>
}

export type FromWorker =
  | { readonly type: "start"; readonly cells: ReadonlyArray<BucketCell>; readonly everySec: number }
  | {
      readonly type: "progress"
      readonly virtualMs: number
      readonly durationMs: number
      readonly rows: ReadonlyArray<unknown>
      readonly columns: BucketColumns
      readonly breakersOpen: number
      readonly lost: number
      readonly collisions: number
    }
  | { readonly type: "done"; readonly report: unknown; readonly wallMs: number }
  | { readonly type: "error"; readonly field: string; readonly message: string }

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m)

// A new "run" supersedes the one in progress: each chunk checks it is still current.
let current = 0
// Yield between chunks through a MessageChannel: nested setTimeout(0) is clamped to 4 ms.
const channel = new MessageChannel()
const queue: Array<() => void> = []
channel.port1.onmessage = () => queue.shift()?.()
const yieldThen = (f: () => void) => {
  queue.push(f)
  channel.port2.postMessage(0)
}

self.onmessage = (e: MessageEvent<{ type: "run"; input: unknown; source: string }>) => {
  const id = ++current
  const exit = Effect.runSyncExit(decodeScenario(e.data.input))
  if (Exit.isFailure(exit)) {
    const err = Cause.squash(exit.cause)
    post(err instanceof ScenarioError ? { type: "error", field: err.field, message: err.message } : { type: "error", field: "(root)", message: String(err) })
    return
  }
  const s = exit.value
  const started = performance.now()
  const sim = new Simulator(s)
  const names = sim.workload.cells
  post({
    type: "start",
    everySec: sim.bucketTimeline.everySec,
    cells: Array.from(sim.bucketNode, (node, bucket) => (names.length > 0 ? { bucket, node, name: names[bucket], bounds: cellBounds(names[bucket]) } : { bucket, node }))
  })
  let sent = 0
  let sentCols = 0
  let lastPost = 0
  const tick = () => {
    if (id !== current) return
    // Chunks of ~10–20 ms (a small first one, so the first frame comes early), and progress
    // every 80 ms: the page gets at least 10 updates a second.
    const done = sim.step(sent === 0 ? 20_000 : 50_000)
    const now = performance.now()
    if (done || now - lastPost > 80 || (sent === 0 && sim.timeline.length > 0)) {
      lastPost = now
      const rows = sim.timeline.slice(sent)
      sent = sim.timeline.length
      const bt = sim.bucketTimeline
      const columns = { requests: bt.requests.slice(sentCols), errors: bt.errors.slice(sentCols), maxBacklog: bt.maxBacklog.slice(sentCols), hunters: bt.hunters.slice(sentCols), streamBacklog: bt.streamBacklog.slice(sentCols), breakerOpen: bt.breakerOpen.slice(sentCols) }
      sentCols = bt.requests.length
      post({
        type: "progress",
        virtualMs: sim.now,
        durationMs: s.durationMs,
        rows,
        columns,
        breakersOpen: sim.client.breakers.openAt(sim.now),
        lost: sim.losses.reduce((n, l) => n + l.lostWrites, 0),
        collisions: sim.life.bucketCollisions.reduce((a, b) => a + b, 0)
      })
    }
    if (done) {
      const wallMs = performance.now() - started
      post({ type: "done", report: buildReport(sim.raw(), e.data.source, wallMs), wallMs })
    } else yieldThen(tick)
  }
  tick()
}
