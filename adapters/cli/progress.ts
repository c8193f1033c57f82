/**
 * Progress on stderr for runs longer than a second. On a terminal: a bar redrawn in place
 * (fraction done, events, ETA). Elsewhere (CI logs, a pipe): a plain line now and then, so a
 * long run in a log is visibly alive and a script can wait for a state the CLI announces
 * (`huntbench: running …`) rather than for a fixed delay. `--quiet` silences both.
 */
export class Progress {
  private started = performance.now()
  private lastDraw = -Infinity
  private shown = false
  private readonly out: NodeJS.WriteStream | null
  private readonly tty: boolean

  /** Log lines at most this often when not on a terminal. */
  static readonly LOG_EVERY_MS = 5_000

  /** Example: `const p = new Progress(process.stderr); p.phase("running"); p.update(0.5, 1e6); p.done()`. */
  constructor(out: NodeJS.WriteStream | null) {
    this.out = out
    this.tty = out?.isTTY === true
  }

  /** Announce a phase (one line `huntbench: <what>`); the ETA restarts from here. */
  phase(what: string): void {
    if (!this.out) return
    this.clear()
    this.out.write(`huntbench: ${what}\n`)
    this.started = performance.now()
    this.lastDraw = -Infinity
  }

  /** `detail` is a number of events, or a label such as "12/40 runs". */
  update(fraction: number, detail: number | string): void {
    if (!this.out) return
    const now = performance.now()
    const elapsed = now - this.started
    if (elapsed < 1000 || now - this.lastDraw < (this.tty ? 100 : Progress.LOG_EVERY_MS)) return
    this.lastDraw = now
    const f = Math.min(1, Math.max(0, fraction))
    const eta = f > 0 ? ((elapsed / f) * (1 - f)) / 1000 : 0
    const what = typeof detail === "number" ? `${(detail / 1e6).toFixed(1)} M events` : detail
    if (!this.tty) {
      this.out.write(`huntbench: ${(f * 100).toFixed(1)} % done, ${what}, ETA ${eta.toFixed(0)} s\n`)
      return
    }
    this.shown = true
    const width = 30
    const filled = Math.round(f * width)
    const bar = "#".repeat(filled) + ".".repeat(width - filled)
    this.out.write(`\r[${bar}] ${(f * 100).toFixed(1).padStart(5)} %  ${what}  ETA ${eta.toFixed(0)} s   `)
  }

  private clear(): void {
    if (this.out && this.shown) this.out.write("\r" + " ".repeat(80) + "\r")
    this.shown = false
  }

  done(): void {
    this.clear()
  }
}
