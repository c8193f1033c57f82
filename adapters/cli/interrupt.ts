/**
 * Ctrl-C (SIGINT) and SIGTERM for the whole command line. bin/huntbench.js installs the
 * handlers first thing — before the rest of the CLI has even loaded — and they stay for the
 * life of the process, so there is no moment at which a signal is swallowed or kills the
 * process without a word. On the first signal: one line `huntbench: interrupted` on stderr,
 * then the running work is cancelled — NodeRuntime.runMain's own handler interrupts its
 * Effect fiber (finalizers run, so a Redis target's keys are still removed and every process
 * or worker started is stopped) — and the CLI exits 130. Before any work has started there is nothing to clean up: exit 130 at
 * once. A second signal exits at once; a cleanup that hangs is cut short by a watchdog.
 * Kept free of heavy imports: it must load in milliseconds.
 */

/** The line printed on the first signal. */
export const INTERRUPTED_LINE = "huntbench: interrupted"

/** The exit code of an interrupted command (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130

/** How long finalizers (removing a run's Redis keys, stopping processes) may take after Ctrl-C. */
const WATCHDOG_MS = 10_000

let installed = false
let signals = 0
let cancel: (() => void) | undefined

const onSignal = (): void => {
  signals++
  if (signals > 1) {
    process.stderr.write(`${INTERRUPTED_LINE} again: exiting without waiting for cleanup\n`)
    process.exit(EXIT_INTERRUPTED)
  }
  process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}${INTERRUPTED_LINE}\n`)
  if (cancel === undefined) process.exit(EXIT_INTERRUPTED)
  setTimeout(() => {
    process.stderr.write("huntbench: cleanup did not finish in time; exiting\n")
    process.exit(EXIT_INTERRUPTED)
  }, WATCHDOG_MS)
  cancel()
}

/**
 * Install the handlers (once; later calls do nothing). Example: the first line of
 * bin/huntbench.js is `installInterruptHandlers()`.
 */
export const installInterruptHandlers = (): void => {
  if (installed) return
  installed = true
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
}

/**
 * Hand the next signal to running work: `f` is called on the first signal, or at once if
 * one has come already. Example: `const ac = new AbortController(); onInterrupt(() => ac.abort())`.
 */
export const onInterrupt = (f: () => void): void => {
  cancel = f
  if (signals > 0) f()
}

/** Whether a signal has come. Example: `if (interruptRequested()) return 130`. */
export const interruptRequested = (): boolean => signals > 0
