// The installable package (issue 17): `npm pack` builds dist/ (compiled JavaScript and .d.ts)
// and packs it; installed into a fresh project on Node 22, its bin runs, `import … from
// "huntbench"` works, deep imports are closed by the exports map, nothing loads TypeScript
// from node_modules, and the example project (examples/ci) passes its own suite with it.
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process"
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { simulate } from "../../api/index.ts"
import { deterministicPart, type Report } from "../../src/report.ts"
import { ROOT } from "../support/cli.ts"

const dir = mkdtempSync(join(tmpdir(), "huntbench-pack-"))
const project = join(dir, "project")
// Node 22 first on PATH, for npm's scripts (prepack) and the project's bins.
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" }
const npm = (args: Array<string>, cwd: string) => execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 })
const inProject = (args: Array<string>): SpawnSyncReturns<string> => spawnSync(process.execPath, args, { cwd: project, env, encoding: "utf8", timeout: 300_000 })
let files: Array<string> = []

beforeAll(() => {
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>
  files = packed.files.map((f) => f.path)
  cpSync(join(ROOT, "examples/ci"), project, { recursive: true, filter: (src) => !/node_modules|huntbench\.tgz$/.test(src) })
  cpSync(join(dir, packed.filename), join(project, "huntbench.tgz"))
  npm(["install", "--prefer-offline", "--no-package-lock"], project)
}, 600_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the packed huntbench", () => {
  it("holds compiled JavaScript and types, the bin, and no test or build sources", () => {
    for (const f of ["dist/api/index.js", "dist/api/index.d.ts", "dist/adapters/cli/main.js", "dist/adapters/redis/claim.lua", "bin/huntbench.js", "package.json"]) expect(files, f).toContain(f)
    expect(files.filter((f) => /^(test|bench|scripts|examples)\//.test(f) || /^adapters\/.*\.ts$/.test(f))).toEqual([])
  })

  it("installed: the bin runs on Node 22 with no TypeScript loaded from node_modules", () => {
    const bin = join(project, "node_modules/huntbench/bin/huntbench.js")
    // Type stripping off: a .ts file anywhere in the load would fail here.
    const version = inProject(["--no-experimental-strip-types", bin, "--version"])
    expect(version.stderr).toBe("")
    expect(version.stdout).toMatch(/^huntbench \d+\.\d+\.\d+\n$/)
    const run = inProject(["--no-experimental-strip-types", bin, "run", "small", "--seed", "4", "--quiet", "--out", "json=-"])
    expect([0, 1], run.stderr).toContain(run.status)
    const report = JSON.parse(run.stdout) as Report
    expect(report.seed).toBe(4)
    expect(existsSync(join(project, "node_modules/huntbench/adapters"))).toBe(false)
  })

  it("installed: import … from \"huntbench\" gives the API, with the report the sources give; deep imports are closed", async () => {
    writeFileSync(
      join(project, "use.mjs"),
      `import { simulate, check, arbitraries } from "huntbench"
const r = await simulate("small", { seed: 4 })
const c = await check({ runs: 3, seed: 1 })
console.log(JSON.stringify({ report: r, check: c.ok, runs: c.runs, arbitraries: Object.keys(arbitraries).sort() }))
`
    )
    const r = inProject(["--no-experimental-strip-types", "use.mjs"])
    expect(r.stderr).toBe("")
    const out = JSON.parse(r.stdout) as { report: Report; check: boolean; runs: number; arbitraries: Array<string> }
    expect(JSON.stringify(deterministicPart(out.report))).toBe(JSON.stringify(deterministicPart(await simulate("small", { seed: 4 }))))
    expect(out).toMatchObject({ check: true, runs: 3 })
    expect(out.arbitraries).toEqual(expect.arrayContaining(["faultTimeline", "scenario", "topology", "workload"]))
    const deep = inProject(["--input-type=module", "-e", 'await import("huntbench/dist/sim/driver.js")'])
    expect(deep.status).not.toBe(0)
    expect(deep.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/)
  })

  it("the example's test type-checks against the installed .d.ts", () => {
    const r = inProject([join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."])
    expect(r.status, r.stdout + r.stderr).toBe(0)
  })

  it("the example project's own suite passes with it", () => {
    const r = spawnSync("npm", ["test"], { cwd: project, env, encoding: "utf8", timeout: 300_000 })
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0)
    expect(r.stdout).toMatch(/2 passed/)
  })
})
