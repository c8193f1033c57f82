/**
 * Benchmarks (`npm run bench`; not a test). Prints one JSON line per benchmark and rewrites
 * the generated section of BENCHMARKS.md. Every engine figure is paired with a baseline run
 * in the same process (these machines are shared and noisy: compare ratios, not absolutes).
 *
 *   reference      the `reference` preset end to end (15 000 hunters, 60 simulated minutes)
 *                  vs a bare event loop over the same event count on the same queue
 *   reference-streams(-edge)  the same with geography, streams and fan-out (and an edge cache)
 *   jit-inlining   a 10-minute reference in fresh processes: V8's default inlining budget
 *                  vs the raised one the CLI uses for long runs (bench/reference-child.ts)
 *   queue-*        the event heap vs the timing wheel on the same synthetic event stream
 *   memory         steady-state heap per hunter at 100 000 hunters (vs 1 000)
 *   sweep          sweep throughput, one worker thread vs one per core (parallel efficiency)
 *   sweep-queue    a sweep over BullMQ: runs/min with 1–3 worker processes vs in-process
 *   redis-claims   claims/s through the real Redis adapter vs redis-benchmark, same EVALSHA
 *   dashboard      the default preset in Chromium (Web Worker) vs the CLI code: first chart
 *                  frame and total wall time
 *   geohash-lookup which bucket a point is in: the dense cell grid vs ngeohash.encode + a Map
 *   fidelity       the model with a profile calibrated on a local Redis vs live runs there:
 *                  p50/p99 at moderate load, the knee, fault outcomes (bench/fidelity.ts)
 *
 * Options: --quick (a 10-minute reference, for a fast look), --no-write (leave BENCHMARKS.md).
 */
import { resetJit, tuneJit } from "../adapters/cli/jit.ts"
import { spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { findRedisServer } from "../adapters/redis/server.ts"
import { Prng } from "../sim/prng.ts"
import ngeohash from "ngeohash"
import { GeoGrid, cellsCovering } from "../src/geo.ts"
import { benchRedis } from "./redis.ts"
import { benchDashboard, canBenchDashboard } from "./dashboard.ts"
import { benchFidelity } from "./fidelity.ts"
import { benchQueue } from "./queue.ts"
import { defaultWorkers, runPoints } from "../adapters/sweep/pool.ts"
import { EventHeap, TimingWheel, type EventQueue } from "../sim/queue.ts"
import { Simulator, simulate } from "../sim/driver.ts"
import { rehearsal } from "../sim/rehearsal.ts"
import { presets } from "../src/presets.ts"
import { decodeScenarioSync, type Scenario } from "../src/scenario.ts"

// The reference hunts run as the CLI runs a long hunt: with V8's inlining budget raised
// (adapters/cli/jit.ts); everything after them with V8's defaults, as the CLI runs short ones.
tuneJit()

const args = new Set(process.argv.slice(2))
const quick = args.has("--quick")
const results: Array<Record<string, unknown>> = []
const emit = (r: Record<string, unknown>) => {
  results.push(r)
  process.stdout.write(JSON.stringify(r) + "\n")
}

const referenceScenario = (): Scenario => {
  const input = structuredClone(presets.reference) as { durationMs: number; faults: Array<{ atMs: number; durationMs: number }> }
  if (quick) {
    input.durationMs = 600_000
    input.faults = input.faults.filter((f) => f.atMs + f.durationMs <= input.durationMs)
  }
  return decodeScenarioSync(input)
}

/**
 * The physical floor: events through the same queue, each event popping and scheduling its
 * successor (half ~1 ms ahead like a reply, half ~1.2 s like a next poll), with one PRNG
 * draw per event and nothing else. Returns a runner: `run(n)` processes the next n events
 * and returns the milliseconds they took, so the loop can be run in slices between slices
 * of the hunt it is compared with.
 */
const bareLoop = (q: EventQueue, pending: number): ((events: number) => number) => {
  const rng = new Prng(1)
  for (let i = 0; i < pending; i++) q.push(rng.next() * 1200, i)
  let done = 0
  return (events: number): number => {
    const t0 = performance.now()
    let acc = 0, e = done
    for (const end = done + events; e < end; e++) {
      const p = q.pop()
      acc += p
      const u = rng.next()
      q.push(q.time + ((e & 1) === 1 ? 0.3 + u : 1000 + 400 * u), p)
    }
    done = e
    const ms = performance.now() - t0
    if (acc < 0) throw new Error("unreachable")
    return ms
  }
}

/**
 * The same floor with the hunt's own event pattern: each of `pending` entities alternates an
 * event ~1 ms ahead (a reply) and one ~1.2 s ahead (its next poll), so the loop branches on
 * the popped event's kind as the driver does — where `bareLoop` picks near or far from the
 * loop counter's parity, which the CPU predicts perfectly. Reported beside the headline
 * ratio, not instead of it. A function of its own: V8 shares type feedback between closures
 * of one literal.
 */
const entityLoop = (q: EventQueue, pending: number): ((events: number) => number) => {
  const rng = new Prng(1)
  for (let i = 0; i < pending; i++) q.push(rng.next() * 1200, i << 1)
  return (events: number): number => {
    const t0 = performance.now()
    let acc = 0
    for (let e = 0; e < events; e++) {
      const p = q.pop()
      acc += p
      const u = rng.next()
      if ((p & 1) === 0) q.push(q.time + 0.3 + u, p | 1)
      else q.push(q.time + 1000 + 400 * u, p & ~1)
    }
    const ms = performance.now() - t0
    if (acc < 0) throw new Error("unreachable")
    return ms
  }
}

const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// 1. The reference hunt vs the bare loop on the same queue (the timing wheel the engine
//    uses), plus the bare loop on the binary heap for reference. The hunt and the wheel
//    loop run interleaved, in slices of ~4 M events (the hunt's slice, then as many loop
//    events), so the machine's slow and fast spells fall on both alike; each sums its own
//    slices. The heap loop runs afterwards: all loops are closures of one function literal,
//    which V8 gives one shared type feedback, so interleaving the heap too would make the
//    wheel loop's queue calls polymorphic — a slower floor.
let referenceWallMs = 0
{
  const s = referenceScenario()
  // Warm the JIT as the CLI does before a long run: a rehearsal of the same hunt, its hour
  // (faults included) compressed into 15 simulated seconds (sim/rehearsal.ts).
  simulate(rehearsal(s))
  const wheelLoop = bareLoop(new TimingWheel(), s.hunters.count)
  wheelLoop(200_000) // the loop's own warm-up, outside the timed slices
  const sim = new Simulator(s)
  let wallMs = 0, bareMs = 0, finished = false
  while (!finished) {
    const before = sim.events
    const t0 = performance.now()
    finished = sim.step(4_000_000)
    wallMs += performance.now() - t0
    bareMs += wheelLoop(sim.events - before)
  }
  const raw = sim.raw()
  referenceWallMs = wallMs
  const heapMs = bareLoop(new EventHeap(1024), s.hunters.count)(raw.events)
  const entityMs = entityLoop(new TimingWheel(), s.hunters.count)(raw.events)
  const eventsPerSec = (raw.events / wallMs) * 1000
  const baselineEventsPerSec = (raw.events / bareMs) * 1000
  const heapEventsPerSec = (raw.events / heapMs) * 1000
  emit({
    bench: quick ? "reference-10min" : "reference",
    events: raw.events,
    requests: raw.requests,
    wallMs: Math.round(wallMs),
    eventsPerSec: Math.round(eventsPerSec),
    baseline: "bare loop, timing wheel",
    baselineEventsPerSec: Math.round(baselineEventsPerSec),
    ratio: Math.round((eventsPerSec / baselineEventsPerSec) * 1000) / 1000,
    heapBaselineEventsPerSec: Math.round(heapEventsPerSec),
    ratioVsHeapLoop: Math.round((eventsPerSec / heapEventsPerSec) * 1000) / 1000,
    entityLoopEventsPerSec: Math.round((raw.events / entityMs) * 1000),
    ratioVsEntityLoop: Math.round((entityMs / wallMs) * 1000) / 1000,
    targetWallMs: quick ? 20_000 / 6 : 20_000,
    targetRatio: 0.3,
    jit: "inlining budget raised, as the CLI runs a long hunt (adapters/cli/jit.ts)"
  })
}

// 1a. The same reference hunt on a map with streams: 96 geohash-6 buckets (the same count),
//     hunters walking at 1.4 m/s, a stream worker per bucket fanning every claim's diff out
//     to its subscribers — and then the same with an edge cache read on every request.
//     Baseline: the plain reference just above, same process.
for (const edge of [false, true]) {
  const input = structuredClone(presets.reference) as Record<string, unknown> & { durationMs: number; faults: Array<{ atMs: number; durationMs: number }>; topology: Record<string, unknown> }
  if (quick) {
    input.durationMs = 600_000
    input.faults = input.faults.filter((f) => f.atMs + f.durationMs <= input.durationMs)
  }
  delete input.topology.buckets
  input.geography = { area: { south: 48.84522, west: 2.29615, north: 48.88915, east: 2.42797 }, precision: 6, movement: { speedMps: 1.4 } }
  input.pipeline = edge ? { edgeCache: { ttlMs: 1000 } } : {}
  const s = decodeScenarioSync(input)
  simulate(rehearsal(s))
  const t0 = performance.now()
  const raw = simulate(s)
  const wallMs = performance.now() - t0
  emit({
    bench: `reference-streams${edge ? "-edge" : ""}${quick ? "-10min" : ""}`,
    events: raw.events,
    buckets: s.topology.buckets,
    diffs: raw.pipeline?.diffs.reduce((a, b) => a + b, 0),
    crossings: raw.crossings,
    wallMs: Math.round(wallMs),
    eventsPerSec: Math.round((raw.events / wallMs) * 1000),
    baseline: "plain reference (no geography, no pipeline), same process",
    baselineWallMs: Math.round(referenceWallMs),
    ratio: Math.round((referenceWallMs / wallMs) * 1000) / 1000,
    targetWallMs: quick ? 30_000 / 6 : 30_000
  })
}

// 1a'. What the JIT tuning (adapters/cli/jit.ts) buys: a 10-minute reference hunt in fresh
//      processes with V8's default inlining budget and with the raised one, alternated three
//      times; median of each.
{
  const child = fileURLToPath(new URL("./reference-child.ts", import.meta.url))
  const once = (defaults: boolean): number => {
    const r = spawnSync(process.execPath, [child, quick ? "3" : "10"], { encoding: "utf8", env: { ...process.env, HUNTBENCH_JIT_DEFAULTS: defaults ? "1" : "0" } })
    if (r.status !== 0) throw new Error(`bench/reference-child.ts failed: ${r.stderr}`)
    return (JSON.parse(r.stdout) as { wallMs: number }).wallMs
  }
  const tuned: Array<number> = [], defaults: Array<number> = []
  for (let round = 0; round < 3; round++) {
    defaults.push(once(true))
    tuned.push(once(false))
  }
  const t = median(tuned), d = median(defaults)
  emit({
    bench: "jit-inlining",
    hunt: `reference, ${quick ? 3 : 10} simulated minutes`,
    wallMs: Math.round(t),
    baseline: "V8's default inlining budget",
    baselineWallMs: Math.round(d),
    ratio: Math.round((d / t) * 1000) / 1000
  })
}

resetJit()

// 1b. Geohash lookup: the grid the driver uses for moving hunters vs the library + a Map.
{
  const cells = cellsCovering({ south: 48.8, west: 2.25, north: 48.9, east: 2.42 }, 6)
  const grid = new GeoGrid(cells)
  const index = new Map(cells.map((c, i) => [c, i]))
  const rng = new Prng(9)
  const n = 2_000_000
  const lat = new Float64Array(n), lon = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    lat[i] = 48.8 + 0.1 * rng.next()
    lon[i] = 2.25 + 0.17 * rng.next()
  }
  const time = (f: (i: number) => number) => {
    let acc = 0
    const t0 = performance.now()
    for (let i = 0; i < n; i++) acc += f(i)
    const ms = performance.now() - t0
    if (acc < 0) throw new Error("unreachable")
    return ms
  }
  const g: Array<number> = [], l: Array<number> = []
  for (let round = 0; round < 3; round++) {
    g.push(time((i) => grid.bucketAt(lat[i], lon[i])))
    l.push(time((i) => index.get(ngeohash.encode(lat[i], lon[i], 6)) ?? -1))
  }
  const gm = median(g), lm = median(l)
  emit({ bench: "geohash-lookup", events: n, wallMs: Math.round(gm), eventsPerSec: Math.round((n / gm) * 1000), baseline: "ngeohash.encode + Map", baselineEventsPerSec: Math.round((n / lm) * 1000), ratio: Math.round((lm / gm) * 100) / 100 })
}

// 2. Heap vs wheel on the same stream, alternated, 3 rounds each; median.
{
  const events = 20_000_000
  const heap: Array<number> = [], wheel: Array<number> = []
  for (let round = 0; round < 3; round++) {
    heap.push(bareLoop(new EventHeap(1024), 15_000)(events))
    wheel.push(bareLoop(new TimingWheel(), 15_000)(events))
  }
  const h = median(heap), w = median(wheel)
  emit({ bench: "queue-heap", events, wallMs: Math.round(h), eventsPerSec: Math.round((events / h) * 1000), baselineEventsPerSec: Math.round((events / h) * 1000), ratio: 1 })
  emit({ bench: "queue-wheel", events, wallMs: Math.round(w), eventsPerSec: Math.round((events / w) * 1000), baselineEventsPerSec: Math.round((events / h) * 1000), ratio: Math.round((h / w) * 1000) / 1000 })
}

// 3. Memory: heap per hunter at steady state (after 20 simulated seconds), 100 000 vs 1 000.
{
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error("run with --expose-gc (npm run bench does)")
  const steady = (hunters: number): number => {
    const s = decodeScenarioSync({ ...(structuredClone(presets.reference) as object), durationMs: 60_000, faults: [], hunters: { count: hunters } })
    const sim = new Simulator(s)
    while (sim.now < 20_000 && !sim.step(100_000));
    gc()
    gc()
    const m = process.memoryUsage()
    const used = m.heapUsed + m.arrayBuffers // typed arrays live outside the JS heap
    if (sim.events < 0) throw new Error("unreachable") // keep sim alive until measured
    return used
  }
  steady(1000) // warm up code and module state
  const small = steady(1000)
  const big = steady(100_000)
  const perHunter = (big - small) / 99_000
  emit({ bench: "memory", hunters: 100_000, heapBytes: big, baselineHeapBytes: small, bytesPerHunter: Math.round(perHunter), targetBytesPerHunter: 300 })
}

// 4. Sweep throughput: a 5-minute, 5 000-hunter hunt, on 1 worker thread vs one per core.
{
  const cores = defaultWorkers()
  const base = { ...(structuredClone(presets.reference) as object), durationMs: 300_000, faults: [], hunters: { count: 5000 } }
  const jobs = Array.from({ length: 6 * cores }, (_, i) => ({ cell: 0, input: { ...base, seed: i + 1 } }))
  const t1 = performance.now()
  await runPoints(jobs, { workers: 1 })
  const one = performance.now() - t1
  const tn = performance.now()
  await runPoints(jobs, { workers: cores })
  const all = performance.now() - tn
  const perMin = (ms: number) => Math.round((jobs.length / ms) * 60_000 * 10) / 10
  emit({
    bench: "sweep",
    scenarios: jobs.length,
    cores,
    scenariosPerMin: perMin(all),
    baseline: "1 worker thread",
    baselineScenariosPerMin: perMin(one),
    ratio: Math.round((one / all) * 1000) / 1000,
    parallelEfficiency: Math.round((one / all / cores) * 1000) / 1000,
    targetParallelEfficiency: 0.8
  })
}

// 5. Claims/s through the real Redis adapter vs redis-benchmark on the same server.
{
  if (!findRedisServer() || spawnSync("redis-benchmark", ["--version"]).status !== 0)
    emit({ bench: "redis-claims", skipped: "redis-server or redis-benchmark not on PATH (Debian: apt-get install redis-server)" })
  else for (const r of await benchRedis(quick)) emit({ ...r })
}

// 6. The dashboard: the default preset in Chromium vs the CLI code.
{
  if (!canBenchDashboard()) emit({ bench: "dashboard", skipped: "no /usr/bin/chromium (Debian: apt-get install chromium)" })
  else emit(await benchDashboard())
}

// 7. Fidelity: the model calibrated on a local Redis beside live runs on it (issue 16).
{
  if (!findRedisServer()) emit({ bench: "fidelity", skipped: "redis-server not on PATH (Debian: apt-get install redis-server)" })
  else await benchFidelity(quick, emit)
}

// 8. Sweeps over BullMQ: runs/min with 1–3 worker processes vs in-process (issue 18).
{
  if (!findRedisServer()) emit({ bench: "sweep-queue", skipped: "redis-server not on PATH (Debian: apt-get install redis-server)" })
  else await benchQueue(quick, emit)
}

// BENCHMARKS.md: replace the generated block.
if (!args.has("--no-write")) {
  const file = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url))
  const begin = "<!-- bench:begin -->", end = "<!-- bench:end -->"
  let md: string
  try {
    md = readFileSync(file, "utf8")
  } catch {
    md = `# Benchmarks\n\n${begin}\n${end}\n`
  }
  const block = [
    begin,
    `Last run: \`npm run bench${quick ? " -- --quick" : ""}\` on ${process.platform}/${process.arch}, Node ${process.version}.`,
    "",
    "```jsonl",
    ...results.map((r) => JSON.stringify(r)),
    "```",
    end
  ].join("\n")
  const i = md.indexOf(begin), j = md.indexOf(end)
  md = i >= 0 && j > i ? md.slice(0, i) + block + md.slice(j + end.length) : `${md.trimEnd()}\n\n${block}\n`
  writeFileSync(file, md)
}
