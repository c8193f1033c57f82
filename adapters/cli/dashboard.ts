/**
 * `huntbench dashboard`: serves the Vite + d3 app (dashboards/) on 127.0.0.1 and prints its
 * URL; the simulation runs in the browser. `--port 0` takes any free port. A port in use is
 * a usage error (exit 2), not a hang. The server stops on Ctrl-C.
 */
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import type { ViteDevServer } from "vite"
import { packageFile } from "../package-files.ts"
import * as F from "./flags.ts"
import { UsageError } from "./input.ts"
import { command } from "./session.ts"

const flags = {
  port: F.checked("port", "the port on 127.0.0.1 (default 5173; 0: any free port, printed)", F.wholeNumber("0–65535 (0: any free port)", 0, 65535)).pipe(Flag.withDefault(5173)),
  config: F.config
}

/** Start Vite's server on 127.0.0.1:`port` (0: any free one); closed again if it cannot listen. */
const serve = async (port: number): Promise<ViteDevServer> => {
  const { createServer } = await import("vite") // loaded only here: it is the CLI's largest import
  const s = await createServer({
    configFile: fileURLToPath(packageFile("vite.config.ts")),
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

const dashboard = ({ port }: { readonly port: number }) =>
  Effect.gen(function* () {
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

export const dashboardCommand = command("dashboard", flags, dashboard).pipe(
  Command.withDescription("serve the browser dashboard on 127.0.0.1 (the simulation runs in the browser); Ctrl-C stops it")
)
