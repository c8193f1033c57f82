/**
 * Files that ship beside the code — package.json, dashboards/, vite.config.ts — found from
 * the package's root, which is the repository when huntbench runs from its sources and
 * node_modules/huntbench when it runs installed (compiled, one folder deeper under dist/).
 */
import { existsSync, readFileSync } from "node:fs"

let root: URL | undefined

/**
 * The URL of `path` under huntbench's root: the nearest folder above this file holding a
 * package.json. Example: `readFileSync(packageFile("package.json"), "utf8")`.
 */
export const packageFile = (path: string): URL => {
  if (root === undefined) {
    let dir = new URL("./", import.meta.url)
    while (!existsSync(new URL("package.json", dir)) && dir.pathname !== "/") dir = new URL("../", dir)
    root = dir
  }
  return new URL(path, root)
}

/**
 * A module beside the caller, by its source name: `worker.ts` from sources, `worker.js` once
 * compiled. Example: `new Worker(sibling("./worker.ts", import.meta.url))`.
 */
export const sibling = (path: string, from: string): URL => new URL(from.endsWith(".ts") ? path : path.replace(/\.ts$/, ".js"), from)

/** The version in huntbench's package.json. Example: `huntbenchVersion() === "0.1.0"`. */
export const huntbenchVersion = (): string => (JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string }).version
