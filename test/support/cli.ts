// The CLI as a child process that a test can watch: wait for a line it announces on stderr
// (never for a fixed delay), send it a signal, await its exit. Every child is killed when
// the test file ends, also when a test fails.
import { spawn, type ChildProcess } from "node:child_process"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll } from "vitest"

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

export interface CliChild {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves once stderr has a line matching `re`; fails after `timeoutMs` or if the process ends first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>
  /** The exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children = new Set<ChildProcess>()
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL")
})

/** Start `huntbench …args` from the repository root. Example: `const c = startCli(["run", "reference"])`. */
export const startCli = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}): CliChild => {
  const child = spawn(process.execPath, ["bin/huntbench.js", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env } })
  children.add(child)
  let out = ""
  let err = ""
  const waiters: Array<() => void> = []
  child.stdout!.on("data", (d) => (out += d))
  child.stderr!.on("data", (d) => {
    err += d
    for (const w of [...waiters]) w()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("exit", (code, signal) => {
      children.delete(child)
      for (const w of [...waiters]) w()
      r({ code, signal })
    })
  )
  const waitFor = (re: RegExp, timeoutMs = 60_000) =>
    new Promise<void>((resolveWait, reject) => {
      const check = () => {
        if (err.split("\n").some((l) => re.test(l))) done(undefined)
        else if (child.exitCode !== null || child.signalCode !== null) done(new Error(`the CLI ended (${child.exitCode ?? child.signalCode}) before printing ${re}; stderr: ${err}`))
      }
      const timer = setTimeout(() => done(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs)
      const done = (e: Error | undefined) => {
        clearTimeout(timer)
        const i = waiters.indexOf(check)
        if (i >= 0) waiters.splice(i, 1)
        if (e) reject(e)
        else resolveWait()
      }
      waiters.push(check)
      check()
    })
  return { child, stdout: () => out, stderr: () => err, waitFor, exited }
}
