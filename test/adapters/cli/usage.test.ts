// Usage as a k6 or Locust user expects it (issue 14): --version; every command answers --help
// with exit 0; a typo in a command, an option or a preset gets "did you mean"; --flag=value
// means --flag value.
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { didYouMean } from "../../../adapters/cli/input.ts"
import { ROOT } from "../../support/cli.ts"

const cli = (...args: Array<string>) => spawnSync(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 })

describe("usage", () => {
  it("--version prints the package's version, exit 0", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { version: string }
    for (const flag of ["--version", "-V"]) {
      const r = cli(flag)
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`huntbench ${pkg.version}\n`)
    }
  })

  it("each command answers --help (or -h) with the help, exit 0", () => {
    for (const cmd of ["run", "sweep", "compare", "dashboard", "cleanup", "calibrate", "presets"]) {
      const r = cli(cmd, "--help")
      expect(r.status, cmd).toBe(0)
      expect(r.stdout).toContain("Options for run:")
    }
    expect(cli("run", "small", "-h").status).toBe(0)
  })

  it("a typo gets the nearest name: a command, an option of the command, a preset", () => {
    const command = cli("sweeep")
    expect(command.status).toBe(2)
    expect(command.stderr).toBe('huntbench: unknown command "sweeep" (did you mean sweep?) (see huntbench help)\n')
    const option = cli("run", "small", "--sed", "3")
    expect(option.status).toBe(2)
    expect(option.stderr).toBe("huntbench: unknown option --sed (did you mean --seed?) (see huntbench help)\n")
    expect(cli("sweep", "small", "--seds", "2").stderr).toMatch(/^huntbench: sweep: unknown option --seds \(did you mean --seeds\?\)/)
    expect(cli("calibrate", "--profil", "p.json").stderr).toMatch(/^huntbench: calibrate: unknown option --profil \(did you mean --profile\?\)/)
    const preset = cli("run", "refrence", "--quiet")
    expect(preset.status).toBe(2)
    expect(preset.stderr).toMatch(/^huntbench: scenario: no preset or file named "refrence" \(did you mean reference\?\)/)
    // Nothing near: no guess.
    expect(cli("run", "small", "--frobnicate").stderr).toBe("huntbench: unknown option --frobnicate (see huntbench help)\n")
    expect(didYouMean("--sed", ["--seed", "--set"])).toBe(" (did you mean --seed?)")
    expect(didYouMean("xyz", ["--seed"])).toBe("")
  })

  it("--flag=value is --flag value", () => {
    const a = cli("run", "small", "--seed=4", "--quiet")
    const b = cli("run", "small", "--seed", "4", "--quiet")
    expect(a.status).toBe(b.status)
    expect(/^replay: (.*)$/m.exec(a.stdout)![1]).toBe("npx huntbench run small --seed 4")
    expect(a.stdout.replace(/^seed .*$/m, "")).toBe(b.stdout.replace(/^seed .*$/m, ""))
  })
})
