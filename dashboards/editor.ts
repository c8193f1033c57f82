// The scenario editor: a preset picker, the scenario as JSON and a few common fields as a
// form, validated with the same Schema as the CLI on every keystroke — an invalid field
// shows the Schema's message next to it and Run is disabled.
import { Cause, Effect, Exit } from "effect"
import { presetNames, presets } from "../src/presets.ts"
import { decodeScenario, ScenarioError, type Scenario } from "../src/scenario.ts"
import { $ } from "./state.ts"

export const presetSel = $<HTMLSelectElement>("preset")
const json = $<HTMLTextAreaElement>("json")
const jsonError = $<HTMLDivElement>("json-error")
export const runBtn = $<HTMLButtonElement>("run")
const fieldInputs = [...document.querySelectorAll<HTMLInputElement>("input[data-field]")]

for (const name of presetNames()) {
  const o = document.createElement("option")
  o.value = name
  o.textContent = name
  presetSel.append(o)
}

let decoded: Scenario | undefined

/** The editor's scenario if it is valid. */
export const currentScenario = (): Scenario | undefined => decoded
/** The editor's JSON as typed (valid whenever `currentScenario()` is defined). */
export const editorInput = (): unknown => JSON.parse(json.value)

const getPath = (o: unknown, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o)
const setPath = (o: Record<string, unknown>, path: string, value: unknown) => {
  const keys = path.split(".")
  let cur = o
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>
  cur[keys[keys.length - 1]] = value
}

/** Validate the editor's JSON with the scenario Schema; show the error next to its field. */
const validate = () => {
  for (const el of document.querySelectorAll("[data-error-for]")) el.textContent = ""
  for (const el of fieldInputs) el.classList.remove("invalid")
  jsonError.textContent = ""
  json.classList.remove("invalid")
  let input: unknown
  try {
    input = JSON.parse(json.value)
  } catch (e) {
    decoded = undefined
    jsonError.textContent = `(root): not valid JSON: ${(e as Error).message}`
    json.classList.add("invalid")
    runBtn.disabled = true
    return
  }
  for (const el of fieldInputs) {
    const v = getPath(input, el.dataset.field ?? "")
    if (document.activeElement !== el) el.value = v === undefined ? "" : String(v)
  }
  const exit = Effect.runSyncExit(decodeScenario(input))
  if (Exit.isSuccess(exit)) {
    decoded = exit.value
    runBtn.disabled = false
    return
  }
  decoded = undefined
  runBtn.disabled = true
  const err = Cause.squash(exit.cause)
  const field = err instanceof ScenarioError ? err.field : "(root)"
  const message = err instanceof ScenarioError ? err.message : String(err)
  const slot = document.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`)
  const input2 = fieldInputs.find((f) => f.dataset.field === field)
  if (slot && input2) {
    slot.textContent = message
    input2.classList.add("invalid")
  } else {
    jsonError.textContent = `${field}: ${message}`
    json.classList.add("invalid")
  }
}

/** Put a preset in the editor. Example: `loadPreset("small")`. */
export const loadPreset = (name: string) => {
  json.value = JSON.stringify(presets[name], null, 2)
  presetSel.value = name
  validate()
}

presetSel.addEventListener("change", () => loadPreset(presetSel.value))
json.addEventListener("input", validate)
for (const el of fieldInputs) {
  el.addEventListener("input", () => {
    let obj: Record<string, unknown>
    try {
      obj = JSON.parse(json.value) as Record<string, unknown>
    } catch {
      return
    }
    const n = Number(el.value)
    setPath(obj, el.dataset.field ?? "", el.value.trim() === "" || Number.isNaN(n) ? el.value : n)
    json.value = JSON.stringify(obj, null, 2)
    validate()
  })
}
