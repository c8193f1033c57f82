// The dashboard end to end in real Chromium (Debian's package, driven by playwright-core):
// run a preset in the browser's Web Worker and get the CLI's numbers for the same scenario
// and seed, with rendered chart marks; an invalid field shows its schema message next to it
// and disables Run. A screenshot lands in test-results/.
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium, type Browser, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freePort } from "../../adapters/redis/server.ts"
import type { Report } from "../../src/report.ts"

const CHROMIUM = "/usr/bin/chromium"
let server: ChildProcess
let url = ""
let browser: Browser
let page: Page

const open = async () => {
  page = await browser.newPage({ viewport: { width: 1300, height: 900 } })
  await page.goto(url)
  await page.waitForLoadState("networkidle")
  await page.waitForSelector("[data-testid=run]:not([disabled])")
}

describe("dashboard in Chromium", () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Chromium (Debian: sudo apt-get install -y chromium)`)
    const port = await freePort()
    server = spawn(process.execPath, ["bin/huntbench.js", "dashboard", "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] })
    url = await new Promise<string>((resolve, reject) => {
      let out = ""
      const timer = setTimeout(() => reject(new Error(`dashboard did not start: ${out}`)), 30_000)
      server.stdout?.on("data", (d) => {
        out += d
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
      server.on("exit", (c) => reject(new Error(`dashboard exited ${c}: ${out}`)))
    })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r))
      server.kill("SIGINT")
      await exited
    }
  })

  it("runs a preset in the browser and shows the CLI's numbers, with rendered charts", async () => {
    await open()
    await page.selectOption("[data-testid=preset]", "small")
    await page.click("[data-testid=run]")
    await page.waitForFunction(() => document.querySelector("[data-testid=status]")?.textContent === "done", null, { timeout: 60_000 })
    const text = async (id: string) => (await page.textContent(`[data-testid=${id}]`)) ?? ""
    const dir = mkdtempSync(join(tmpdir(), "huntbench-dash-"))
    try {
      const cli = spawnSync(process.execPath, ["bin/huntbench.js", "run", "small", "--quiet", "--json", join(dir, "r.json")], { encoding: "utf8" })
      expect([0, 1]).toContain(cli.status)
      const r = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as Report
      expect(Number(await text("sum-requests"))).toBe(r.requests)
      expect(Number(await text("sum-p50"))).toBe(r.latencyMs.p50)
      expect(Number(await text("sum-p99"))).toBe(r.latencyMs.p99)
      expect(Number(await text("sum-max"))).toBe(r.latencyMs.max)
      expect(Number(await text("sum-error-rate"))).toBe(r.errors.rate)
      expect(Number(await text("sum-won"))).toBe(r.claims.won)
      expect(Number(await text("sum-lost"))).toBe(r.claims.lostAcknowledged)
      expect(Number(await text("sum-trips"))).toBe(r.breakers.trips)
      expect(await text("sum-slo")).toBe(r.slo.pass ? "PASS" : "FAIL")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // Two series per chart, each a path through one point per simulated second.
    const paths = await page.$$eval("svg path.series", (ps) => ps.map((p) => (p.getAttribute("d") ?? "").split(/[LM]/).length - 1))
    expect(paths).toHaveLength(4)
    for (const n of paths) expect(n).toBeGreaterThanOrEqual(19)
    expect(await page.locator("svg rect.band").count()).toBe(4) // 2 faults × 2 charts
    mkdirSync("test-results", { recursive: true })
    await page.screenshot({ path: "test-results/dashboard.png" })
    // Export: an SVG document with the chart's marks, and a PNG image.
    const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-latency-svg]")])
    expect(svgDownload.suggestedFilename()).toBe("huntbench-latency.svg")
    const svgFile = join(tmpdir(), `hb-${process.pid}.svg`)
    await svgDownload.saveAs(svgFile)
    const svgText = readFileSync(svgFile, "utf8")
    expect(svgText).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect((svgText.match(/<path[^>]*class="series"/g) ?? []).length).toBe(2)
    const [pngDownload] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-throughput-png]")])
    const pngFile = join(tmpdir(), `hb-${process.pid}.png`)
    await pngDownload.saveAs(pngFile)
    const png = readFileSync(pngFile)
    expect(png.subarray(1, 4).toString()).toBe("PNG")
    expect(png.readUInt32BE(16)).toBeGreaterThan(500) // width, at 2× the on-screen size
    rmSync(svgFile, { force: true })
    rmSync(pngFile, { force: true })
    await page.close()
  }, 120_000)

  it("shows a schema error next to an invalid field and disables Run until it is fixed", async () => {
    await open()
    await page.fill("#f-hunters", "-5")
    await expect.poll(() => page.textContent('[data-error-for="hunters.count"]')).toContain("greater than or equal to 1")
    expect(await page.isDisabled("[data-testid=run]")).toBe(true)
    await page.fill("#f-hunters", "50")
    await expect.poll(() => page.isDisabled("[data-testid=run]")).toBe(false)
    expect(await page.textContent('[data-error-for="hunters.count"]')).toBe("")
    // A field without a form input: the message names it under the editor.
    const json = JSON.parse(await page.inputValue("[data-testid=json]"))
    json.topology.mapping = "diagonal"
    await page.fill("[data-testid=json]", JSON.stringify(json))
    await expect.poll(() => page.textContent("[data-testid=json-error]")).toContain("topology.mapping")
    expect(await page.isDisabled("[data-testid=run]")).toBe(true)
    await page.fill("[data-testid=json]", "{ not json")
    await expect.poll(() => page.textContent("[data-testid=json-error]")).toContain("not valid JSON")
    await page.close()
  }, 60_000)

  it("loads a report produced by the CLI, and renders names from it as text, never as HTML", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huntbench-dash-"))
    try {
      const file = join(dir, "r.json")
      const cli = spawnSync(process.execPath, ["bin/huntbench.js", "run", "default", "--quiet", "--json", file], { encoding: "utf8" })
      expect([0, 1]).toContain(cli.status)
      const r = JSON.parse(readFileSync(file, "utf8")) as Report
      await open()
      await page.setInputFiles("[data-testid=load]", file)
      await expect.poll(() => page.textContent("[data-testid=sum-requests]")).toBe(String(r.requests))
      expect(await page.textContent("[data-testid=sum-name]")).toBe("default")
      expect(await page.locator("#latency path.series").count()).toBe(2)
      expect(await page.locator("#latency rect.band").count()).toBe(r.scenario.faults.length)

      // The same report with hostile names: they must show up as literal text.
      const evil = "<img src=x onerror=window.__xss=1>"
      const hostile = { ...r, scenario: { ...r.scenario, name: evil, faults: r.scenario.faults.map((f) => ({ ...f, kind: evil })) } }
      const hostileFile = join(dir, "hostile.json")
      writeFileSync(hostileFile, JSON.stringify(hostile))
      await page.setInputFiles("[data-testid=load]", hostileFile)
      await expect.poll(() => page.textContent("[data-testid=sum-name]")).toBe(evil)
      expect(await page.textContent("[data-testid=status]")).toBe(`report: ${evil}`)
      expect(await page.locator("img").count()).toBe(0)
      const titles = await page.$$eval("rect.band title", (ts) => ts.map((t) => t.textContent))
      expect(titles.every((t) => t?.includes(evil))).toBe(true)
      await page.waitForTimeout(200)
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()

      // Not a report: a clear message, nothing replaced.
      const junk = join(dir, "junk.json")
      writeFileSync(junk, JSON.stringify({ hello: "world" }))
      await page.setInputFiles("[data-testid=load]", junk)
      await expect.poll(() => page.textContent("[data-testid=load-error]")).toContain("not a huntbench report")
      await page.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("the offline HTML report opens with the network disabled, draws its charts, and escapes names", async () => {
    const dir = mkdtempSync(join(tmpdir(), "huntbench-html-"))
    try {
      const evil = "<img src=x onerror=window.__xss=1>"
      const scenario = join(dir, "s.json")
      writeFileSync(scenario, JSON.stringify({ name: evil, durationMs: 10_000, hunters: { count: 100 }, faults: [{ kind: "pause", atMs: 3000, durationMs: 500, target: 0 }] }))
      const html = join(dir, "report.html")
      const cli = spawnSync(process.execPath, ["bin/huntbench.js", "run", scenario, "--quiet", "--html", html], { encoding: "utf8" })
      expect([0, 1], cli.stderr).toContain(cli.status)
      const context = await browser.newContext({ offline: true })
      const p = await context.newPage()
      const requests: Array<string> = []
      p.on("request", (r) => requests.push(r.url()))
      await p.goto(`file://${html}`)
      await p.waitForSelector("body[data-rendered=true]", { timeout: 15_000 })
      expect(requests).toEqual([`file://${html}`]) // nothing else was fetched
      expect(await p.locator("svg path.series").count()).toBe(4)
      expect(await p.locator("svg rect.band").count()).toBe(2)
      expect(await p.textContent("h1")).toBe(`huntbench report — ${evil}`)
      expect(await p.locator("img").count()).toBe(0)
      expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
      mkdirSync("test-results", { recursive: true })
      await p.screenshot({ path: "test-results/offline-report.png", fullPage: true })
      await context.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
