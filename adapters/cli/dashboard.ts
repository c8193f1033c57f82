/**
 * `huntbench dashboard`: serves the Vite + d3 app (dashboards/) on 127.0.0.1 and prints its
 * URL; the simulation runs in the browser. The server stops on Ctrl-C.
 */
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { createServer } from "vite"
import { UsageError } from "./input.ts"

const parsePort = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    let port = 5173
    for (let i = 0; i < args.length; i++) {
      if (args[i] === "--port") {
        const v = args[++i]
        if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535)
          return yield* new UsageError({ message: `--port: expected 1–65535, got ${JSON.stringify(v ?? "")}` })
        port = Number(v)
      } else return yield* new UsageError({ message: `dashboard: unknown argument ${JSON.stringify(args[i])}` })
    }
    return port
  })

export const dashboardCommand = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const port = yield* parsePort(args)
    const server = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const s = await createServer({
            configFile: fileURLToPath(new URL("../../vite.config.ts", import.meta.url)),
            server: { port, strictPort: true, host: "127.0.0.1" }
          })
          await s.listen()
          return s
        },
        catch: (e) => new UsageError({ message: `dashboard: cannot serve on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}` })
      }),
      (s) => Effect.promise(() => s.close())
    )
    const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`
    process.stdout.write(`huntbench dashboard: ${url}\n(Ctrl-C to stop)\n`)
    return yield* Effect.never
  }).pipe(Effect.scoped)
