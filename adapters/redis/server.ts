/**
 * Start and stop throwaway redis-server processes on free loopback ports (no persistence),
 * for the tests and benchmarks. Each server is killed when stopped, and on process exit
 * as a last resort, so none outlives the command that started it.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, Socket } from "node:net"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { Data, Effect } from "effect"
import { Redis } from "ioredis"

export class RedisServerError extends Data.TaggedError("RedisServerError")<{ readonly message: string }> {}

export const INSTALL_HINT = "redis-server was not found on PATH: install it (Debian: sudo apt-get install -y redis-server) or set REDIS_URL to a server huntbench may use"

/** The redis-server binary on PATH, or undefined. */
export const findRedisServer = (): string | undefined => {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, "redis-server")
    if (dir && existsSync(p)) return p
  }
  return undefined
}

/** A free TCP port on 127.0.0.1 (asks the OS for one). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))))
    })
  })

const ping = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = new Socket()
    let buf = ""
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(500, () => done(false))
    s.on("error", () => done(false))
    s.on("data", (d) => {
      buf += d.toString()
      if (buf.includes("\r\n")) done(buf.startsWith("+PONG") || buf.startsWith("-NOAUTH"))
    })
    s.connect(port, "127.0.0.1", () => s.write("PING\r\n"))
  })

export interface RedisServer {
  readonly port: number
  readonly url: string
  readonly process: ChildProcess
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
let exitHookInstalled = false

/**
 * Start a redis-server on a free port (or on `port`: a restart where a killed one listened). Example:
 * `const s = await startRedisServer(); … await s.stop()`; `startRedisServer({ replicaOf: s.port })`.
 */
export const startRedisServer = async (opts: { replicaOf?: number; args?: ReadonlyArray<string>; port?: number; dir?: string } = {}): Promise<RedisServer> => {
  const port = opts.port ?? (await freePort())
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "huntbench-redis-"))
  return spawnServer(port, dir, opts.dir === undefined, [
    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
    "--dir", dir, "--daemonize", "no", "--enable-debug-command", "local", "--loglevel", "warning",
    // Diskless full sync waits 5 s for more replicas by default; ours start at once.
    "--repl-diskless-sync-delay", "0",
    ...(opts.replicaOf !== undefined ? ["--replicaof", "127.0.0.1", String(opts.replicaOf)] : []),
    ...(opts.args ?? [])
  ])
}

export interface SentinelOptions {
  /** The primaries it watches, by name and port (on 127.0.0.1). */
  readonly masters: ReadonlyArray<{ readonly name: string; readonly port: number }>
  /** Sentinels that must agree a primary is down (of those watching it). */
  readonly quorum: number
  /** How long a primary must not answer before this Sentinel thinks it down. */
  readonly downAfterMs: number
  /**
   * Also how long before Sentinel "fixes" a replica that follows its primary through
   * another address (our replication proxy): long, so that it never does during a run.
   */
  readonly failoverTimeoutMs: number
}

/**
 * Start a Redis Sentinel (`redis-server sentinel.conf --sentinel`) on a free port, watching
 * `masters`. Example: `const s = await startSentinel({ masters: [{ name: "hb0", port: 6379 }],
 * quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 600000 })`; `await s.stop()`.
 */
export const startSentinel = async (opts: SentinelOptions): Promise<RedisServer> => {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), "huntbench-sentinel-"))
  const conf = join(dir, "sentinel.conf")
  writeFileSync(
    conf,
    [
      `port ${port}`, "bind 127.0.0.1", `dir ${dir}`, "daemonize no", "loglevel warning", "protected-mode no",
      ...opts.masters.flatMap((m) => [
        `sentinel monitor ${m.name} 127.0.0.1 ${m.port} ${opts.quorum}`,
        `sentinel down-after-milliseconds ${m.name} ${Math.max(1, Math.round(opts.downAfterMs))}`,
        `sentinel failover-timeout ${m.name} ${Math.round(opts.failoverTimeoutMs)}`,
        `sentinel parallel-syncs ${m.name} 1`
      ])
    ].join("\n") + "\n"
  )
  return spawnServer(port, dir, true, [conf, "--sentinel"])
}

/** Spawn redis-server with `args`, wait until it answers PING on `port`; stopping it removes `dir` when `ownDir`. */
const spawnServer = async (port: number, dir: string, ownDir: boolean, args: ReadonlyArray<string>): Promise<RedisServer> => {
  const bin = findRedisServer()
  if (!bin) throw new RedisServerError({ message: INSTALL_HINT })
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] })
  let stderr = ""
  child.stderr?.on("data", (d) => (stderr += d))
  live.add(child)
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL")
    })
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()))
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 2000)
      await exited
      clearTimeout(timer)
    }
    live.delete(child)
    if (ownDir) rmSync(dir, { recursive: true, force: true })
  }
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break
    if (await ping(port)) return { port, url: `redis://127.0.0.1:${port}`, process: child, stop }
    await new Promise((r) => setTimeout(r, 50))
  }
  await stop()
  throw new RedisServerError({ message: `redis-server did not start on port ${port}: ${stderr.trim() || "no output"}` })
}

/** `run` on a connection of its own to `server` (closed after). Example: `withAdmin(s, (r) => r.ping())`. */
export const withAdmin = async <A>(server: { readonly url: string }, run: (admin: Redis) => Promise<A>): Promise<A> => {
  const admin = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 })
  try {
    await admin.connect()
    return await run(admin)
  } finally {
    admin.disconnect()
  }
}

/**
 * Poll `check` every 25 ms until it holds, or fail after `ms` with "`what` within N s".
 * Example: `await until(async () => (await r.dbsize()) > 0, 5000, "no key appeared")`.
 */
export const until = async (check: () => Promise<boolean>, ms: number, what: string): Promise<void> => {
  const end = performance.now() + ms
  while (!(await check())) {
    if (performance.now() > end) throw new RedisServerError({ message: `${what} within ${ms / 1000} s` })
    await new Promise((res) => setTimeout(res, 25))
  }
}

/** A redis-server for the life of a scope. Example: `Effect.scoped(Effect.flatMap(redisServer(), (s) => …))`. */
export const redisServer = (opts: { replicaOf?: number } = {}) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => startRedisServer(opts),
      catch: (e) => (e instanceof RedisServerError ? e : new RedisServerError({ message: String(e) }))
    }),
    (s) => Effect.promise(() => s.stop())
  )
