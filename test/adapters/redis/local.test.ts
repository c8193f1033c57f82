// `--target local`: the deployment huntbench starts for a run — a primary per node, a
// replica that follows it, a fault proxy in front — gives the same seeded hunt as the model
// when run in lockstep (buckets sharded over its nodes), and leaves no process or port
// behind: when it stops, and when a live run on it is interrupted with Ctrl-C.
import { Effect } from "effect"
import { Redis } from "ioredis"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createConnection } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { LocalDeployment } from "../../../adapters/redis/deployment.ts"
import { layerLocalTarget } from "../../../adapters/redis/local.ts"
import { Simulation } from "../../../sim/simulation.ts"
import { deterministicPart } from "../../../src/report.ts"
import { startCli } from "../../support/cli.ts"

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection(port, "127.0.0.1")
    s.on("connect", () => (s.destroy(), resolve(true)))
    s.on("error", () => resolve(false))
  })

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const input = {
  seed: 8,
  durationMs: 6000,
  hunters: { count: 150, behaviour: { model: "closed", pollIntervalMs: 150, jitterMs: 50, tasks: [{ name: "claim", command: "claim", weight: 4 }, { name: "balance", command: "balance", weight: 1 }] } },
  artifacts: { count: 80, claimWindowMs: 1500, reveal: { kind: "spread", fromMs: 0, toMs: 5500 } },
  topology: { buckets: 9, nodes: 3, streamCap: 5 },
  engine: { timeoutMs: 30, retries: { max: 2, baseMs: 2, maxMs: 10 } },
  faults: [{ kind: "pause", atMs: 2000, durationMs: 200, target: 1 }]
}

describe("local deployment", () => {
  it("runs a replica per primary behind a proxy, and stops every process and port", async () => {
    const d = await LocalDeployment.start({ nodes: 2, replicas: true })
    const ports = d.nodes.flatMap((n) => [n.primary.port, n.replica!.port, n.proxy.port])
    const pids = d.pids
    try {
      expect(pids.length).toBe(4)
      const through = new Redis(d.nodes[1].proxy.url)
      const replica = new Redis(d.nodes[1].replica!.url)
      const other = new Redis(d.nodes[0].proxy.url)
      try {
        await through.set("k", "v")
        await through.wait(1, 2000) // replicated
        expect(await replica.get("k")).toBe("v")
        expect(await other.get("k")).toBe(null) // another node
      } finally {
        for (const r of [through, replica, other]) r.disconnect()
      }
    } finally {
      await d.stop()
    }
    for (const p of ports) expect(await portOpen(p), `port ${p}`).toBe(false)
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false)
  })

  it("a lockstep run on it equals the model's, bucket by bucket over its nodes", async () => {
    const model = await Effect.runPromise(Simulation.run(input, { source: "t" }))
    const lines: Array<string> = []
    const local = await Effect.runPromise(
      Simulation.lockstep(input, { source: "t" }).pipe(Effect.scoped, Effect.provide(layerLocalTarget({ runId: `loc-${process.pid}`, log: (l) => lines.push(l) })))
    )
    expect(local.target).toBe("local")
    const same = (r: typeof model) => JSON.stringify({ ...deterministicPart(r), target: undefined, replay: undefined })
    expect(same(local)).toBe(same(model))
    expect(lines.some((l) => /started a local Redis deployment: 3 node\(s\)/.test(l))).toBe(true)
    expect(lines.some((l) => /stopped the local Redis deployment/.test(l))).toBe(true)
  })

  it("Ctrl-C during a live run leaves no redis-server, Sentinel or proxy behind", async () => {
    // A crash the model fails over (far ahead): the deployment runs Sentinels too.
    const dir = mkdtempSync(join(tmpdir(), "hb-local-"))
    const file = join(dir, "crash.json")
    writeFileSync(file, JSON.stringify({ ...input, durationMs: 60_000, faults: [{ kind: "crash", atMs: 50_000, durationMs: 5000, target: 0 }] }))
    const cli = startCli(["run", file, "--target", "local", "--live"])
    await cli.waitFor(/started a local Redis deployment/)
    const line = cli.stderr().split("\n").find((l) => l.includes("started a local Redis deployment"))!
    const ports = [...line.matchAll(/(\d+)\+(\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])])
    expect(ports.length).toBe(6)
    const sentinels = /Sentinels on ports ([\d, ]+)/.exec(line)?.[1].split(", ").map(Number) ?? []
    expect(sentinels).toHaveLength(3)
    ports.push(...sentinels)
    await cli.waitFor(/% done/)
    cli.child.kill("SIGINT")
    const { code } = await cli.exited
    expect(code).toBe(130)
    expect(cli.stderr()).toMatch(/stopped the local Redis deployment/)
    for (const p of ports) expect(await portOpen(p), `port ${p}`).toBe(false)
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)
})
