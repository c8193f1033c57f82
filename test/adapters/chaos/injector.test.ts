// Faults injected into a Redis deployment huntbench starts, in live runs on the wall clock:
// a slow link raises the latency by its delay both ways (as the model says), a partition
// makes requests time out and the breaker open until it heals, a pause stalls requests that
// then complete (and claims whose client gave up meanwhile are counted applied but not
// acknowledged); faults that cannot be injected, or a target huntbench did not start, are
// refused naming the fault; and Ctrl-C during a pause leaves no process behind.
import { Cause, Effect, Exit } from "effect"
import { rmSync, writeFileSync } from "node:fs"
import { createConnection } from "node:net"
import { describe, expect, it } from "vitest"
import type { HistoryEntry } from "../../../adapters/live/history.ts"
import { liveRun } from "../../../adapters/live/simulation.ts"
import { layerMockTarget } from "../../../adapters/mock/layers.ts"
import { layerLocalTarget } from "../../../adapters/redis/local.ts"
import { Simulation } from "../../../sim/simulation.ts"
import type { Report } from "../../../src/report.ts"
import { startCli } from "../../support/cli.ts"
import { redisUrl } from "../../support/redis.ts"

const hunt = (over: Record<string, unknown>) => ({
  seed: 5,
  durationMs: 4000,
  hunters: { count: 100, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 30 } },
  artifacts: { count: 1500, claimWindowMs: 1000, reveal: { kind: "spread", fromMs: 0, toMs: 3800 } },
  topology: { buckets: 4, nodes: 1 },
  ...over
})

let n = 0
const live = (input: unknown, log: Array<string> = [], history: Array<HistoryEntry> = []) =>
  Effect.runPromise(
    liveRun(input, { log: (l) => log.push(l), onHistory: (h) => history.push(...h) }).pipe(
      Effect.scoped,
      Effect.provide(layerLocalTarget({ runId: `inj-${process.pid}-${++n}` }))
    )
  )

const invariantsHold = (r: Report) => {
  for (const inv of r.invariants) expect(inv.ok, `${inv.name}: ${JSON.stringify(inv.examples)}`).toBe(true)
}

describe("fault injection into a local deployment", () => {
  it("linkLatency 25 ± 5 ms each way raises the p50 by 50 ± 15 ms, live and in the model", async () => {
    const slow = { faults: [{ kind: "linkLatency", atMs: 0, durationMs: 4000, target: 0, extraMs: 25, jitterMs: 5 }] }
    const log: Array<string> = []
    const [base, withFault] = [await live(hunt({})), await live(hunt(slow), log)]
    expect(log[0]).toMatch(/fault 0 \(linkLatency, node 0\) injected at 0\.000 s/)
    const rise = withFault.latencyMs.p50 - base.latencyMs.p50
    expect(rise).toBeGreaterThan(35)
    expect(rise).toBeLessThan(65)
    const model = (await Effect.runPromise(Simulation.run(hunt(slow)))).latencyMs.p50 - (await Effect.runPromise(Simulation.run(hunt({})))).latencyMs.p50
    expect(Math.abs(model - 50)).toBeLessThan(15)
    invariantsHold(withFault)
  }, 60_000)

  it("with calls that slow (linkLatency 25 ± 5 ms each way), a pool of 100 per node waits longer than a pool of 500, live and in the model", async () => {
    // 2500 calls/s arriving (open loop, in both worlds); 100 connections held ~51 ms each
    // carry ~1950/s, so a queue for a connection builds; 500 carry ~9800/s.
    const busy = (poolSize: number) =>
      hunt({
        hunters: { count: 500, behaviour: { model: "open", ratePerSec: 2500 } },
        topology: { buckets: 4, nodes: 1, poolSize },
        engine: { timeoutMs: 3000 },
        faults: [{ kind: "linkLatency", atMs: 0, durationMs: 4000, target: 0, extraMs: 25, jitterMs: 5 }]
      })
    const [small, large] = [await live(busy(100)), await live(busy(500))]
    const [modelSmall, modelLarge] = [await Effect.runPromise(Simulation.run(busy(100))), await Effect.runPromise(Simulation.run(busy(500)))]
    for (const [a, b] of [[small, large], [modelSmall, modelLarge]]) {
      expect(a.latencyMs.p50).toBeGreaterThan(1.4 * b.latencyMs.p50)
      expect(b.latencyMs.p50).toBeGreaterThan(45) // the link's delay, no wait
      expect(b.latencyMs.p50).toBeLessThan(70)
    }
    // Live and model agree on the wait's size.
    expect(small.latencyMs.p50 / modelSmall.latencyMs.p50).toBeGreaterThan(0.6)
    expect(small.latencyMs.p50 / modelSmall.latencyMs.p50).toBeLessThan(1.6)
    invariantsHold(small)
  }, 90_000)

  it("linkLatency on one direction only (up 40 ms, or down) raises the p50 by about 40 ms, live and in the model", async () => {
    const base = await live(hunt({}))
    const modelBase = await Effect.runPromise(Simulation.run(hunt({})))
    for (const direction of ["up", "down"]) {
      const slow = hunt({ faults: [{ kind: "linkLatency", atMs: 0, durationMs: 4000, target: 0, extraMs: 40, direction }] })
      const rise = (await live(slow)).latencyMs.p50 - base.latencyMs.p50
      const model = (await Effect.runPromise(Simulation.run(slow))).latencyMs.p50 - modelBase.latencyMs.p50
      for (const r of [rise, model]) {
        expect(r, direction).toBeGreaterThan(30)
        expect(r, direction).toBeLessThan(52)
      }
    }
  }, 60_000)

  it("a script latency spike slows every claim on the node by about its extraMs, live and in the model", async () => {
    // 10 hunters, 100 claims/s at 5 ms more each: the node half busy, so queueing adds a little.
    const few = { hunters: { count: 10, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 30 } } }
    const spike = { ...few, faults: [{ kind: "latencySpike", atMs: 0, durationMs: 4000, target: 0, extraMs: 5, scope: "script" }] }
    const rise = (await live(hunt(spike))).latencyMs.p50 - (await live(hunt(few))).latencyMs.p50
    const model = (await Effect.runPromise(Simulation.run(hunt(spike)))).latencyMs.p50 - (await Effect.runPromise(Simulation.run(hunt(few)))).latencyMs.p50
    expect(rise).toBeGreaterThan(4)
    expect(model).toBeGreaterThan(4)
    expect(rise / model).toBeGreaterThan(0.5)
    expect(rise / model).toBeLessThan(2)
  }, 60_000)

  it("a node-wide latency spike slows balance reads too; a script one does not, live and in the model", async () => {
    const reads = { hunters: { count: 10, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 30, tasks: [{ name: "balance", command: "balance", weight: 1 }] } } }
    const spike = (scope: string) => ({ ...reads, faults: [{ kind: "latencySpike", atMs: 0, durationMs: 4000, target: 0, extraMs: 5, scope }] })
    const p50 = async (input: unknown) => [(await live(input)).latencyMs.p50, (await Effect.runPromise(Simulation.run(input))).latencyMs.p50]
    const [[base, modelBase], [node, modelNode], [script, modelScript]] = [await p50(hunt(reads)), await p50(hunt(spike("node"))), await p50(hunt(spike("script")))]
    for (const rise of [node - base, modelNode - modelBase]) {
      expect(rise).toBeGreaterThan(4)
      expect(rise).toBeLessThan(8)
    }
    for (const rise of [script - base, modelScript - modelBase]) expect(Math.abs(rise)).toBeLessThan(1)
  }, 60_000)

  it("a write pause (CLIENT PAUSE WRITE) holds the claims but not the reads, live and in the model", async () => {
    const only = (command: string) => ({ hunters: { count: 50, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 30, tasks: [{ name: command, command, weight: 1 }] } } })
    const paused = (command: string) => hunt({ ...only(command), engine: { timeoutMs: 3000, breaker: { enabled: false } }, faults: [{ kind: "pause", atMs: 1000, durationMs: 1000, target: 0, mode: "writes" }] })
    const log: Array<string> = []
    for (const r of [await live(paused("claim"), log), await Effect.runPromise(Simulation.run(paused("claim")))]) {
      // Claims sent in the window wait for its end: up to a second.
      expect(r.latencyMs.max).toBeGreaterThan(800)
      expect(r.errors.total).toBe(0)
    }
    expect(log.some((l) => /fault 0 \(pause, node 0\) injected/.test(l))).toBe(true)
    for (const r of [await live(paused("balance")), await Effect.runPromise(Simulation.run(paused("balance")))]) {
      expect(r.latencyMs.max).toBeLessThan(100)
      expect(r.errors.total).toBe(0)
    }
  }, 60_000)

  it("a poolShrink shrinks the client's own pool for its window: calls wait for a connection and time out waiting, live and in the model", async () => {
    // 1000 calls/s arriving (open loop, in both worlds) over a link of 10 ms round trip: 2 connections carry 200/s.
    const input = hunt({
      hunters: { count: 100, behaviour: { model: "open", ratePerSec: 1000 } },
      engine: { timeoutMs: 200, breaker: { enabled: false } },
      faults: [
        { kind: "linkLatency", atMs: 0, durationMs: 4000, target: 0, extraMs: 5 },
        { kind: "poolShrink", atMs: 1000, durationMs: 1000, target: 0, poolSize: 2 }
      ]
    })
    for (const r of [await live(input), await Effect.runPromise(Simulation.run(input))]) {
      const poolTimeouts = (second: number) => r.timeline.find((row) => row.second === second)?.errorsByKind.poolTimeout ?? 0
      expect(poolTimeouts(1)).toBeGreaterThan(100)
      // (Second 2 differs: live, what waits when the pool grows back is sent then; the model
      // fixes a request's wait when it asks, so those still time out waiting — 0 vs ~200.)
      expect(poolTimeouts(0) + poolTimeouts(3)).toBe(0)
      invariantsHold(r)
    }
  }, 60_000)

  it("a partition times requests out and opens the breaker; after it heals, requests succeed again", async () => {
    const r = await live(hunt({ durationMs: 6000, engine: { timeoutMs: 100, breaker: { openMs: 500 } }, faults: [{ kind: "partition", atMs: 1500, durationMs: 1500, target: 0 }] }))
    const during = r.timeline.filter((row) => row.second === 2)
    expect(during[0].errors).toBeGreaterThan(0)
    expect(Math.max(...r.timeline.map((row) => row.breakersOpen))).toBeGreaterThan(0)
    expect(r.errors.byKind.timeout + r.errors.byKind.breakerOpen).toBeGreaterThan(0)
    const last = r.timeline[r.timeline.length - 1]
    expect(last.ok).toBeGreaterThan(0)
    expect(last.errors).toBe(0)
    invariantsHold(r)
  }, 60_000)

  it("a pause stalls requests, which then complete; claims whose client gave up are applied, not acknowledged", async () => {
    const patient = await live(hunt({ engine: { timeoutMs: 5000 }, faults: [{ kind: "pause", atMs: 1000, durationMs: 800, target: 0 }] }))
    expect(patient.errors.total).toBe(0)
    expect(patient.latencyMs.max).toBeGreaterThan(600)
    invariantsHold(patient)
    const history: Array<HistoryEntry> = []
    const impatient = await live(hunt({ engine: { timeoutMs: 150, retries: { max: 0 }, breaker: { enabled: false } }, faults: [{ kind: "pause", atMs: 1000, durationMs: 800, target: 0 }] }), [], history)
    expect(impatient.errors.byKind.timeout).toBeGreaterThan(0)
    expect(impatient.claims.appliedUnacknowledged).toBeGreaterThan(0)
    // The history (one attempt per request here) says the same, attempt by attempt: each
    // timeout ended at its deadline, and the pause's late replies are there — wins among them.
    const timeouts = history.filter((e) => e.result === "timeout")
    expect(timeouts.length).toBe(impatient.errors.byKind.timeout)
    for (const e of timeouts) expect(e.endMs - e.invokeMs).toBeLessThanOrEqual(150 + 1)
    expect(history.filter((e) => e.result === "won").length).toBe(impatient.replies.won)
    expect(timeouts.filter((e) => e.lateReply === "won").length).toBeGreaterThan(0)
    invariantsHold(impatient)
  }, 60_000)

  it("refuses what it cannot inject, and faults on a target it did not start, naming the fault", async () => {
    const refused = (faults: Array<Record<string, unknown>>) =>
      Effect.runPromiseExit(liveRun(hunt({ faults })).pipe(Effect.scoped, Effect.provide(layerLocalTarget({ runId: `inj-refuse-${process.pid}` }))))
    // A pause past detection on a timeline with Sentinels: Sentinel would fail the node over.
    const stall = await refused([{ kind: "pause", atMs: 100, durationMs: 2500, target: 0 }, { kind: "failover", atMs: 3000, durationMs: 500, target: 0, via: "sentinel" }])
    expect(Exit.isFailure(stall) && Cause.squash(stall.cause)).toMatchObject({ _tag: "ScenarioError", field: "faults[0].durationMs" })
    const mock = await Effect.runPromiseExit(
      liveRun(hunt({ faults: [{ kind: "pause", atMs: 100, durationMs: 100, target: 0 }] })).pipe(Effect.scoped, Effect.provide(layerMockTarget(`inj-mock-${process.pid}`)))
    )
    const err = Exit.isFailure(mock) ? Cause.squash(mock.cause) : undefined
    expect(err).toMatchObject({ _tag: "ScenarioError", field: "faults[0].kind" })
    expect(String((err as { message?: string }).message)).toMatch(/^pause is injected only into .*--target local/)
  })

  it("the CLI: faults in a live run on a server huntbench did not start exit 2, naming the fault", async () => {
    const cli = startCli(["run", "default", "--target", redisUrl(), "--live"])
    const { code } = await cli.exited
    expect(code).toBe(2)
    // The default's first fault, a latency spike, would stall every client of a shared server.
    expect(cli.stderr()).toMatch(/faults\[0\]\.kind: latencySpike would stall every client of redis:\/\/[^,]+, a server huntbench did not start: pass --allow-destructive/)
    expect(cli.stderr()).not.toMatch(/\n\s+at /) // no stack trace
  })

  it("Ctrl-C while a node is paused continues it, stops it, and leaves no port open", async () => {
    const file = `${process.env.TMPDIR ?? "/tmp"}/huntbench-pause-${process.pid}.json`
    writeFileSync(file, JSON.stringify(hunt({ durationMs: 30_000, faults: [{ kind: "pause", atMs: 500, durationMs: 20_000, target: 0 }] })))
    try {
      const run = startCli(["run", file, "--target", "local", "--live"])
      await run.waitFor(/fault 0 \(pause, node 0\) injected/)
      const line = run.stderr().split("\n").find((l) => l.includes("started a local Redis deployment"))!
      const ports = [...line.matchAll(/(\d+)\+(\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])])
      run.child.kill("SIGINT")
      const { code } = await run.exited
      expect(code).toBe(130)
      // The node was continued before the partial snapshot: cleanup finished, in time.
      expect(run.stderr()).toMatch(/stopped the local Redis deployment/)
      expect(run.stderr()).not.toMatch(/cleanup did not finish/)
      expect(run.stdout()).toMatch(/PARTIAL/)
      for (const p of ports) {
        const open = await new Promise<boolean>((resolve) => {
          const s = createConnection(p, "127.0.0.1")
          s.on("connect", () => (s.destroy(), resolve(true)))
          s.on("error", () => resolve(false))
        })
        expect(open, `port ${p}`).toBe(false)
      }
    } finally {
      rmSync(file, { force: true })
    }
  }, 90_000)
})
