// The layers, imports flowing one way: adapters/ → api/ → sim/ → src/ (and dashboards/ →
// sim/, src/; api/ is the package's public API, over sim/ and src/ without I/O adapters). Every relative import (static, dynamic or `export … from`) of every source
// file is read; one that points up a layer fails here, naming the file and line.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "../..")

/** What each layer may import, besides itself and node_modules packages. */
const ALLOWED: Readonly<Record<string, ReadonlyArray<string>>> = {
  src: ["src", "scenarios"],
  sim: ["sim", "src", "scenarios"],
  dashboards: ["dashboards", "sim", "src", "scenarios"],
  api: ["api", "sim", "src", "scenarios"],
  adapters: ["adapters", "api", "sim", "src", "scenarios"]
}

const files = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js)$/.test(p) ? [p] : []
  })

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^"'`]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/gm

/** Every relative import in `file`, with its line number. */
export const importsOf = (file: string): Array<{ spec: string; line: number }> => {
  const text = readFileSync(file, "utf8")
  const out: Array<{ spec: string; line: number }> = []
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]
    if (spec.startsWith(".")) out.push({ spec, line: text.slice(0, m.index).split("\n").length })
  }
  return out
}

describe("the layers", () => {
  it("import only downwards: adapters/ → api/ → sim/ → src/, dashboards/ → sim/ and src/", () => {
    const offences: Array<string> = []
    let seen = 0
    for (const [layer, allowed] of Object.entries(ALLOWED)) {
      for (const file of files(join(ROOT, layer))) {
        for (const { spec, line } of importsOf(file)) {
          seen++
          const target = relative(ROOT, resolve(dirname(file), spec)).split("/")[0]
          if (!allowed.includes(target)) offences.push(`${relative(ROOT, file)}:${line} (${layer}/) imports ${spec} (${target}/)`)
        }
      }
    }
    expect(seen).toBeGreaterThan(200) // the scan found the imports it is about
    expect(offences).toEqual([])
  })

  it("the scan sees static, type-only, dynamic and re-exported imports", () => {
    const dir = resolve(import.meta.dirname)
    expect(importsOf(join(dir, "layers.test.ts")).length).toBe(0)
    expect(importsOf(join(ROOT, "bin/huntbench.js")).map((i) => i.spec)).toEqual(["../dist/adapters/cli/interrupt.js", "../adapters/cli/interrupt.ts", "../dist/adapters/cli/main.js", "../adapters/cli/main.ts"])
    expect(importsOf(join(ROOT, "sim/driver.ts")).some((i) => i.spec === "../src/report.ts")).toBe(true) // `import type`
  })
})
