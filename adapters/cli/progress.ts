/**
 * A progress bar on stderr for runs longer than a second: virtual-time fraction, events,
 * and an ETA from the rate so far. Silent for short runs and when stderr is not a terminal.
 */
export class Progress {
  private readonly started = performance.now()
  private lastDraw = 0
  private shown = false
  private readonly out: NodeJS.WriteStream | null

  /** Example: `const p = new Progress(process.stderr); p.update(0.5, 1e6); p.done()`. */
  constructor(out: NodeJS.WriteStream | null) {
    this.out = out
  }

  /** `detail` is a number of events, or a label such as "12/40 runs". */
  update(fraction: number, detail: number | string): void {
    if (!this.out) return
    const now = performance.now()
    const elapsed = now - this.started
    if (elapsed < 1000 || now - this.lastDraw < 100) return
    this.lastDraw = now
    this.shown = true
    const f = Math.min(1, Math.max(0, fraction))
    const width = 30
    const filled = Math.round(f * width)
    const eta = f > 0 ? ((elapsed / f) * (1 - f)) / 1000 : 0
    const bar = "#".repeat(filled) + ".".repeat(width - filled)
    const what = typeof detail === "number" ? `${(detail / 1e6).toFixed(1)} M events` : detail
    this.out.write(`\r[${bar}] ${(f * 100).toFixed(1).padStart(5)} %  ${what}  ETA ${eta.toFixed(0)} s   `)
  }

  done(): void {
    if (this.out && this.shown) this.out.write("\r" + " ".repeat(80) + "\r")
  }
}
