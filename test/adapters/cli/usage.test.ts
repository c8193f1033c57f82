// Usage as a k6 or Locust user expects it (issue 14), on effect's CLI module: --version; every
// command answers --help with the help generated from its definition, exit 0; shell
// completions; a typo in a command, an option or a preset gets "did you mean"; --flag=value
// means --flag value.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { didYouMean } from "../../../adapters/cli/input.ts"
import { ROOT } from "../../support/cli.ts"

const cli = (...args: Array<string>) => withEnv({}, ...args)
const withEnv = (env: Record<string, string>, ...args: Array<string>) =>
  spawnSync(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } })
const replayOf = (r: { stdout: string }) => /^replay: (.*)$/m.exec(r.stdout)![1]

describe("usage", () => {
  it("--version prints the package's version, exit 0", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { version: string }
    for (const flag of ["--version", "-V"]) {
      const r = cli(flag)
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`huntbench ${pkg.version}\n`)
    }
  })

  it("each command answers --help (or -h, or help COMMAND) with its own flags, exit 0", () => {
    const flags: Record<string, ReadonlyArray<string>> = {
      run: ["--seed N", "--set PATH=VALUE", "--target TARGET", "--out KIND=FILE", "--live", "--config FILE"],
      sweep: ["--set PATH=V1,V2", "--seeds N", "--workers N", "--csv FILE"],
      compare: ["--sim-vs-live", "--target TARGET", "--seed N"],
      dashboard: ["--port N"],
      cleanup: ["--target TARGET", "--run-id ID", "--prefix PREFIX"],
      calibrate: ["--target TARGET", "--profile FILE", "--seconds SECONDS", "--repeats N"],
      check: ["--runs N", "--seed N", "--time-budget DURATION", "--invariant FILE", "--save FILE"],
      worker: ["--queue URL", "--threads N", "--stall DURATION", "--prefix PREFIX"],
      presets: []
    }
    for (const [cmd, expected] of Object.entries(flags)) {
      const r = cli(cmd, "--help")
      expect(r.status, cmd).toBe(0)
      expect(r.stderr, cmd).toBe("")
      expect(r.stdout, cmd).toMatch(new RegExp(`^USAGE\\n  huntbench ${cmd} `, "m"))
      for (const f of expected) expect(r.stdout, `${cmd} ${f}`).toMatch(new RegExp(`^  ${f.replace(/[|.]/g, "\\$&")}\\s`, "m"))
      // Another command's flags are not in this one's help.
      if (cmd !== "run") expect(r.stdout, cmd).not.toMatch(/^  --keep-keys/m)
      expect(cli("help", cmd).stdout, `help ${cmd}`).toBe(r.stdout)
    }
    const short = cli("run", "small", "-h")
    expect(short.status).toBe(0)
    expect(short.stdout).toBe(cli("run", "--help").stdout)
    // The top-level help lists every command.
    const top = cli("--help")
    for (const cmd of Object.keys(flags)) expect(top.stdout).toMatch(new RegExp(`^  ${cmd}\\s`, "m"))
  })

  it("--completions SHELL prints a completion script naming the commands and their flags", () => {
    const bash = cli("--completions", "bash")
    expect(bash.status).toBe(0)
    expect(bash.stdout).toContain("complete -F")
    for (const word of ["run", "sweep", "calibrate", "--time-scale", "--sim-vs-live", "--seeds"]) expect(bash.stdout).toContain(word)
    for (const shell of ["zsh", "fish"]) expect(cli("--completions", shell).stdout).toContain("--check-determinism")
    const bad = cli("--completions", "tcsh")
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^huntbench: --completions: expected /)
  })

  it("a typo gets the nearest name: a command, an option of the command, a preset", () => {
    const command = cli("sweeep")
    expect(command.status).toBe(2)
    expect(command.stderr).toBe('huntbench: unknown command "sweeep" (did you mean sweep?) (see huntbench help)\n')
    const option = cli("run", "small", "--sed", "3")
    expect(option.status).toBe(2)
    expect(option.stderr).toBe("huntbench: run: unknown option --sed (did you mean --seed?) (see huntbench run --help)\n")
    expect(cli("sweep", "small", "--seds", "2").stderr).toMatch(/^huntbench: sweep: unknown option --seds \(did you mean --seeds\?\)/)
    expect(cli("calibrate", "--profil", "p.json").stderr).toMatch(/^huntbench: calibrate: unknown option --profil \(did you mean --profile\?\)/)
    const preset = cli("run", "refrence", "--quiet")
    expect(preset.status).toBe(2)
    expect(preset.stderr).toMatch(/^huntbench: scenario: no preset or file named "refrence" \(did you mean reference\?\)/)
    // Nothing near: no guess.
    expect(cli("run", "small", "--frobnicate").stderr).toBe("huntbench: run: unknown option --frobnicate (see huntbench run --help)\n")
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

describe("flags from the environment and --config", () => {
  it("HUNTBENCH_<FLAG> gives a flag; one typed wins; a switch takes 1/true", () => {
    expect(replayOf(withEnv({ HUNTBENCH_SEED: "4" }, "run", "small", "--quiet"))).toBe("npx huntbench run small --seed 4")
    expect(replayOf(withEnv({ HUNTBENCH_SEED: "4" }, "run", "small", "--quiet", "--seed", "5"))).toBe("npx huntbench run small --seed 5")
    const set = withEnv({ HUNTBENCH_SET: "hunters.count=40", HUNTBENCH_QUIET: "1", HUNTBENCH_NO_FAULTS: "true" }, "run", "small")
    expect(replayOf(set)).toBe("npx huntbench run small --seed 3 --set hunters.count=40 --no-faults")
    expect(set.stdout).toMatch(/^huntbench — small: 40 hunters/)
    expect(set.stderr).toBe("") // quiet
    // A --set typed replaces the environment's (one place holds the whole list).
    expect(replayOf(withEnv({ HUNTBENCH_SET: "hunters.count=40" }, "run", "small", "--quiet", "--set", "engine.timeoutMs=300"))).toBe("npx huntbench run small --seed 3 --set engine.timeoutMs=300")
    const bad = withEnv({ HUNTBENCH_QUIET: "maybe" }, "run", "small")
    expect(bad.status).toBe(2)
    expect(bad.stderr).toBe('huntbench: HUNTBENCH_QUIET: expected true or false (1 or 0), got "maybe"\n')
    expect(withEnv({ HUNTBENCH_SEED: "x" }, "run", "small").stderr).toMatch(/^huntbench: --seed: expected an integer/)
  })

  it("--config FILE gives saved flags; the environment beats it and a typed flag beats both", () => {
    const dir = mkdtempSync(join(tmpdir(), "huntbench-config-"))
    try {
      const file = join(dir, "flags.json")
      writeFileSync(file, JSON.stringify({ seed: 6, set: ["hunters.count=30", "engine.timeoutMs=300"], quiet: true }))
      const r = cli("run", "small", "--config", file)
      expect(replayOf(r)).toBe("npx huntbench run small --seed 6 --set hunters.count=30 --set engine.timeoutMs=300")
      expect(r.stderr).toBe("")
      expect(replayOf(withEnv({ HUNTBENCH_SEED: "7" }, "run", "small", "--config", file))).toMatch(/--seed 7 /)
      expect(replayOf(withEnv({ HUNTBENCH_SEED: "7" }, "run", "small", "--config", file, "--seed", "8"))).toMatch(/--seed 8 /)
      writeFileSync(file, JSON.stringify({ sed: 6 }))
      const typo = cli("run", "small", "--config", file)
      expect(typo.status).toBe(2)
      expect(typo.stderr).toBe(`huntbench: --config ${file}: run has no option --sed (did you mean --seed?)\n`)
      writeFileSync(file, "{ seed: 6")
      expect(cli("run", "small", "--config", file).stderr).toMatch(/^huntbench: --config .*: not valid JSON/)
      expect(cli("run", "small", "--config", join(dir, "none.json")).stderr).toMatch(/^huntbench: --config .*none\.json: cannot read/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
