/**
 * Browser vs CLI: the default preset run in the dashboard (Chromium, Web Worker) — time
 * from Run to the first chart frame and the total wall time — beside the same scenario
 * simulated by the CLI code in this process. Target: the browser within 1.5× of the CLI.
 */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { chromium } from "playwright-core"
import { freePort } from "../adapters/redis/server.ts"
import { simulate } from "../sim/driver.ts"
import { presets } from "../src/presets.ts"
import { buildReport } from "../sim/report.ts"
import { decodeScenarioSync } from "../src/scenario.ts"

export const CHROMIUM = "/usr/bin/chromium"

export const benchDashboard = async () => {
  const s = decodeScenarioSync(presets.default)
  // Both sides warm their JIT the same way — two full runs — then five measured runs each
  // (V8 in Chromium keeps tiering up over the first few runs, as Node does: measured cold,
  // the browser's first three runs took 330, 180 and 140 ms, its sixth 100 ms).
  const WARM = 2, RUNS = 5
  for (let i = 0; i < WARM; i++) buildReport(simulate(s), "default", 0)
  const cli: Array<number> = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    buildReport(simulate(s), "default", 0)
    cli.push(performance.now() - t0)
  }
  const port = await freePort()
  const server = spawn(process.execPath, ["bin/huntbench.js", "dashboard", "--port", String(port)], { stdio: ["ignore", "pipe", "ignore"] })
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout?.on("data", (d) => String(d).includes("http://") && resolve())
      server.on("exit", () => reject(new Error("dashboard exited")))
    })
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] })
    try {
      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${port}/`)
      await page.waitForLoadState("networkidle")
      await page.selectOption("[data-testid=preset]", "default")
      const runs: Array<{ wall: number; first: number; draw: number }> = []
      for (let i = 0; i < WARM + RUNS; i++) {
        await page.click("[data-testid=run]")
        await page.waitForFunction(() => document.querySelector("[data-testid=status]")?.textContent === "done", null, { timeout: 120_000 })
        runs.push({
          wall: Number(await page.getAttribute("[data-testid=status]", "data-wall-ms")),
          first: Number(await page.getAttribute("[data-testid=status]", "data-first-frame-ms")),
          draw: Number(await page.getAttribute("[data-testid=status]", "data-final-draw-ms"))
        })
      }
      const coldWall = runs[0].wall
      runs.splice(0, WARM)
      const med = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
      const browserWall = med(runs.map((r) => r.wall)), cliWall = med(cli)
      return {
        bench: "dashboard",
        scenario: "default",
        browserWallMs: Math.round(browserWall),
        firstChartFrameMs: Math.round(med(runs.map((r) => r.first))),
        finalDrawMs: Math.round(med(runs.map((r) => r.draw))),
        browserColdWallMs: Math.round(coldWall),
        baseline: "CLI code, same scenario, this process",
        baselineWallMs: Math.round(cliWall),
        ratio: Math.round((browserWall / cliWall) * 1000) / 1000,
        targetRatio: 1.5
      }
    } finally {
      await browser.close()
    }
  } finally {
    server.kill("SIGINT")
  }
}

export const canBenchDashboard = (): boolean => existsSync(CHROMIUM)
