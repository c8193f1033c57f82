/**
 * `huntbench dashboard`: serves the Vite + d3 app (dashboards/) on 127.0.0.1 and prints its
 * URL; the simulation runs in the browser. `--port 0` takes any free port. A port in use is
 * a usage error (exit 2), not a hang. The server stops on Ctrl-C.
 */
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import type { ViteDevServer } from "vite"
import { UsageError } from "./input.ts"

const parsePort = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    let port = 5173
    for (let i = 0; i < args.length; i++) {
      if (args[i] === "--port") {
        const v = args[++i]
        if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535)
          return yield* new UsageError({ message: `--port: expected 0–65535 (0: any free port), got ${JSON.stringify(v ?? "")}` })
        port = Number(v)
      } else return yield* new UsageError({ message: `dashboard: unknown argument ${JSON.stringify(args[i])}` })
    }
    return port
  })

/** Start Vite's server on 127.0.0.1:`port` (0: any free one); closed again if it cannot listen. */
const serve = async (port: number): Promise<ViteDevServer> => {
  const { createServer } = await import("vite") // loaded only here: it is the CLI's largest import
  const s = await createServer({
    configFile: fileURLToPath(new URL("../../vite.config.ts", import.meta.url)),
    server: { port, strictPort: true, host: "127.0.0.1" }
  })
  try {
    await s.listen()
  } catch (e) {
    await s.close()
    throw e
  }
  return s
}

export const dashboardCommand = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const port = yield* parsePort(args)
    const server = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => serve(port),
        catch: (e) => new UsageError({ message: `--port: cannot serve the dashboard on 127.0.0.1:${port}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}` })
      }),
      (s) => Effect.promise(() => s.close())
    )
    const address = server.httpServer?.address()
    const actual = typeof address === "object" && address ? address.port : port
    process.stdout.write(`huntbench dashboard: http://127.0.0.1:${actual}/\n(Ctrl-C to stop)\n`)
    return yield* Effect.never
  }).pipe(Effect.scoped)
