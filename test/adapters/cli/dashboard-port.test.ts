// `huntbench dashboard --port`: a port in use is a clean exit 2 (not a hang); --port 0 takes
// a free port and prints it; Ctrl-C stops the server and exits 130.
import { createServer, type Server } from "node:net"
import { afterAll, describe, expect, it } from "vitest"
import { startCli } from "../../support/cli.ts"

const servers: Array<Server> = []
afterAll(() => servers.forEach((s) => s.close()))

const listen = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer()
    servers.push(s)
    s.listen(0, "127.0.0.1", () => resolve((s.address() as { port: number }).port))
  })

describe("huntbench dashboard --port", () => {
  it("a port in use: exit 2 with one line naming --port and the port", async () => {
    const port = await listen()
    const c = startCli(["dashboard", "--port", String(port)])
    const { code } = await c.exited
    expect(code).toBe(2)
    expect(c.stderr()).toMatch(new RegExp(`^huntbench: --port: cannot serve the dashboard on 127\\.0\\.0\\.1:${port}: [^\\n]*\\n$`))
    expect(c.stdout()).toBe("")
  })

  it("--port 0 picks a free port, prints it and serves the page there; Ctrl-C exits 130", async () => {
    const c = startCli(["dashboard", "--port", "0"])
    const url = await new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = /huntbench dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(c.stdout())
        if (m) return resolve(m[1])
        if (c.child.exitCode !== null) return reject(new Error(`exited: ${c.stderr()}`))
        c.child.stdout!.once("data", check)
      }
      check()
    })
    expect(url).not.toContain(":0/")
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain("huntbench")
    c.child.kill("SIGINT")
    const { code } = await c.exited
    expect(code).toBe(130)
    expect(c.stderr()).not.toMatch(/internal error|\n\s+at /)
  })
})
