// The dashboard page: pick or edit a scenario (validated by the same Schema as the CLI; an
// invalid field is shown next to it and Run is disabled), run it in a Web Worker, and
// watch latency, throughput, breakers, the bucket map and the time × bucket heat map update
// as the hunt unfolds; then replay it with the scrubber, hover for exact values, and compare
// it with a run kept as "A". Every value from a scenario or report is set as text, never as
// HTML. One module per section, around one state object (state.ts): editor, views, scrubber,
// hover, ab (compare), run (the worker protocol), files (loading reports), chart-export.
import "./hover.ts"
import "./files.ts"
import "./chart-export.ts"
import "./run.ts"
import { loadPreset } from "./editor.ts"

loadPreset("small")
