// Replay: the scrubber moves a cursor over every time chart, shows that second's exact row
// and turns the map to that moment; ▶ plays the run back in about 20 seconds.
import { scheduleDraw } from "./views.ts"
import { $, rowAt, ui } from "./state.ts"

const scrub = $<HTMLInputElement>("scrub")
const scrubReadout = $<HTMLSpanElement>("scrub-readout")
const playBtn = $<HTMLButtonElement>("play")

const readout = (second: number) => {
  const r = rowAt(second)
  scrubReadout.textContent = r
    ? `${r.second} s: p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.requests} requests, ${r.errors} errors, ${r.retries} retries, ${r.backlog} in flight, ${r.breakersOpen} breakers open`
    : ""
}

/** Put the cursor at `second` (undefined: no cursor, the live view or the whole run). */
export const setCursor = (second: number | undefined) => {
  ui.cursor = second
  if (second !== undefined) {
    scrub.value = String(second)
    readout(second)
  } else scrubReadout.textContent = ""
  scheduleDraw()
}
scrub.addEventListener("input", () => setCursor(Number(scrub.value)))

let playing = 0
playBtn.addEventListener("click", () => {
  if (playing) {
    cancelAnimationFrame(playing)
    playing = 0
    playBtn.textContent = "▶"
    return
  }
  playBtn.textContent = "❚❚"
  let last = performance.now()
  let pos = ui.cursor !== undefined && ui.cursor < ui.durationS - 1 ? ui.cursor : 0
  const step = (now: number) => {
    pos += ((now - last) / 1000) * Math.max(10, ui.durationS / 20) // a run replays in about 20 s
    last = now
    if (pos >= ui.durationS - 1) {
      setCursor(Math.max(0, Math.ceil(ui.durationS) - 1))
      playing = 0
      playBtn.textContent = "▶"
      return
    }
    setCursor(Math.floor(pos))
    playing = requestAnimationFrame(step)
  }
  playing = requestAnimationFrame(step)
})

/** Scrubber and ▶ on (a finished run with rows) or off (while running). */
export const enableReplay = (on: boolean) => {
  scrub.disabled = !on
  playBtn.disabled = !on
  scrub.max = String(Math.max(0, Math.ceil(ui.durationS) - 1))
}
