// The package's build (npm pack runs it as `prepack`): the sources compiled to JavaScript
// and .d.ts under dist/, so an installed huntbench loads no TypeScript from node_modules
// (Node strips types only outside it). The repository itself keeps running from sources.
import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"

const root = join(import.meta.dirname, "..")
const dist = join(root, "dist")
rmSync(dist, { recursive: true, force: true })
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: ["ignore", 2, 2] }) // stdout is npm pack --json's

// Declarations keep the sources' `.ts` specifiers; a user's compiler looks for `.js` beside them.
const declarations = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? declarations(p) : f.endsWith(".d.ts") ? [p] : []
  })
for (const file of declarations(dist)) {
  const text = readFileSync(file, "utf8")
  const fixed = text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g, "$1$2.js$3")
  if (fixed !== text) writeFileSync(file, fixed)
}

// Files the code reads beside itself (the Lua claim script).
const assets = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? assets(p) : /\.(lua)$/.test(f) ? [p] : []
  })
for (const file of ["api", "src", "sim", "adapters"].flatMap((d) => assets(join(root, d)))) {
  const to = join(dist, relative(root, file))
  mkdirSync(dirname(to), { recursive: true })
  copyFileSync(file, to)
}
for (const must of ["api/index.js", "api/index.d.ts", "adapters/cli/main.js", "adapters/redis/claim.lua", "adapters/sweep/worker.js"])
  if (!existsSync(join(dist, must))) throw new Error(`build: dist/${must} is missing`)
process.stderr.write(`huntbench: built dist/ (${relative(process.cwd(), dist) || "."})\n`)
