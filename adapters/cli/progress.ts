/**
 * Progress on stderr for runs longer than a second. On a terminal: a bar redrawn in place
 * (fraction done, events, ETA). Elsewhere (CI logs, a pipe): a line once the run has gone a
 * second, then at every 10 % (and at least every 30 s), with the simulated time, events/s
 * and the ETA, so a long run in a log is visibly alive and a script can wait for a state
 * the CLI announces (`huntbench: running …`, `… % done`) rather than for a fixed delay.
 * `--quiet` silences both.
 */
export class Progress {
  private readonly now: () => number
  private started: number
  private lastDraw = -Infinity
  /** The last 10 % step a log line was written for. */
  private lastStep = -1
  private shown = false
  private readonly out: NodeJS.WriteStream | null
  private readonly tty: boolean

  /** Log lines at least this often when not on a terminal, whatever the 10 % steps. */
  static readonly LOG_AT_LEAST_MS = 30_000

  /** Example: `const p = new Progress(process.stderr); p.phase("running"); p.update(0.5, 1e6); p.done()`. */
  constructor(out: NodeJS.WriteStream | null, now: () => number = () => performance.now()) {
    this.out = out
    this.tty = out?.isTTY === true
    this.now = now
    this.started = now()
  }

  /** Announce a phase (one line `huntbench: <what>`); the ETA restarts from here. */
  phase(what: string): void {
    if (!this.out) return
    this.clear()
    this.out.write(`huntbench: ${what}\n`)
    this.started = this.now()
    this.lastDraw = -Infinity
    this.lastStep = -1
  }

  /**
   * `detail` is a number of events, or a label such as "12/40 runs"; `virtual`, the simulated
   * time reached and the run's length (ms), for the log line.
   */
  update(fraction: number, detail: number | string, virtual?: { readonly ms: number; readonly totalMs: number }): void {
    if (!this.out) return
    const now = this.now()
    const elapsed = now - this.started
    if (elapsed < 1000) return
    const f = Math.min(1, Math.max(0, fraction))
    const step = Math.floor(f * 10)
    if (this.tty ? now - this.lastDraw < 100 : step <= this.lastStep && now - this.lastDraw < Progress.LOG_AT_LEAST_MS) return
    this.lastDraw = now
    this.lastStep = step
    const eta = f > 0 ? ((elapsed / f) * (1 - f)) / 1000 : 0
    if (!this.tty) {
      const sim = virtual ? `${seconds(virtual.ms)} of ${seconds(virtual.totalMs)} simulated, ` : ""
      const rate = typeof detail === "number" ? `${((detail / elapsed) * 1000 / 1e6).toFixed(2)} M events/s` : detail
      this.out.write(`huntbench: ${Math.floor(f * 100)} % done — ${sim}${rate}, ETA ${eta.toFixed(0)} s\n`)
      return
    }
    const what = typeof detail === "number" ? `${(detail / 1e6).toFixed(1)} M events` : detail
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

/** Seconds with thousands separators, to a tenth below 100. Example: `seconds(3_600_000)` is "3,600 s". */
const seconds = (ms: number): string => `${(ms / 1000).toLocaleString("en-US", { maximumFractionDigits: ms < 100_000 ? 1 : 0 })} s`
