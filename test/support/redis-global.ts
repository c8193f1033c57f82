// vitest globalSetup: one primary and one replica redis-server for the whole run, on free
// loopback ports, stopped at the end (also when tests fail). With REDIS_URL set, that
// server is used instead (no replica). Without redis-server, real-Redis tests fail with the
// install hint — they are never skipped.
import { readdirSync, readFileSync, readlinkSync } from "node:fs"
import type { TestProject } from "vitest/node"
import { INSTALL_HINT, startRedisServer, type RedisServer } from "../../adapters/redis/server.ts"

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string
    redisReplicaUrl: string
    redisError: string
  }
}

let servers: Array<RedisServer> = []

export async function setup(project: TestProject): Promise<void> {
  if (process.env.REDIS_URL) {
    project.provide("redisUrl", process.env.REDIS_URL)
    project.provide("redisReplicaUrl", "")
    project.provide("redisError", "")
    return
  }
  try {
    const primary = await startRedisServer()
    servers.push(primary)
    const replica = await startRedisServer({ replicaOf: primary.port })
    servers.push(replica)
    project.provide("redisUrl", primary.url)
    project.provide("redisReplicaUrl", replica.url)
    project.provide("redisError", "")
  } catch (e) {
    project.provide("redisUrl", "")
    project.provide("redisReplicaUrl", "")
    project.provide("redisError", e instanceof Error && e.message ? e.message : INSTALL_HINT)
  }
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()))
  servers = []
  // No orphans: a redis-server or Sentinel huntbench started (its dir is huntbench-redis-… or huntbench-sentinel-…) whose
  // parent is gone outlived the command or test that started it. Killed, and the run fails.
  const orphans = huntbenchOrphans()
  for (const o of orphans) process.kill(o.pid, "SIGKILL")
  if (orphans.length > 0) throw new Error(`redis-server processes outlived what started them: ${orphans.map((o) => `pid ${o.pid} (${o.cmd})`).join("; ")}`)
}

/** redis-server processes with a huntbench data dir whose parent process is no node process (Linux /proc). */
export const huntbenchOrphans = (): Array<{ pid: number; cmd: string }> => {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8")
    } catch {
      return ""
    }
  }
  let pids: Array<string>
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d))
  } catch {
    return [] // no /proc: nothing to check here
  }
  const out: Array<{ pid: number; cmd: string }> = []
  for (const pid of pids) {
    const cmd = read(`/proc/${pid}/cmdline`).split("\0").join(" ").trim()
    if (!cmd.includes("redis-server")) continue
    // redis-server rewrites its command line but runs in its --dir.
    let cwd = ""
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`)
    } catch {
      continue
    }
    if (!/huntbench-(redis|sentinel)-/.test(cwd)) continue
    const ppid = /^PPid:\s+(\d+)/m.exec(read(`/proc/${pid}/status`))?.[1]
    const parent = ppid ? read(`/proc/${ppid}/cmdline`) : ""
    if (!/node/.test(parent)) out.push({ pid: Number(pid), cmd })
  }
  return out
}
