/**
 * Thresholds as k6 has them, in the scenario's `slo.thresholds`: the key is a numeric path of
 * the report (`latencyMs.p95`, `errors.rate`, `claims.lostAcknowledged`, `buckets.3.p99`…),
 * the value a comparator and a number (`"< 200"`), an object adding `abortOnFail` (stop the
 * run once it fails) and `delayAbortEvalMs` (not before then), or a list of them. A path is
 * checked against the report's Schema when the scenario is decoded, so a typo fails before
 * the run, naming it; each threshold is judged on the finished report (and, with
 * abortOnFail, on the figures so far while the run goes).
 */
import { SchemaAST } from "effect"
import { ReportSchema } from "./report.ts"
import type { ThresholdSpec } from "./schema-parts.ts"

export type Comparator = "<" | "<=" | ">" | ">=" | "=="

/** One threshold, compiled. */
export interface Threshold {
  /** The key as written (`buckets[3].p99` or `buckets.3.p99`). */
  readonly path: string
  readonly segments: ReadonlyArray<string>
  /** The expression as written, trimmed: `< 200`. */
  readonly expression: string
  readonly op: Comparator
  readonly value: number
  readonly abortOnFail: boolean
  readonly delayAbortEvalMs: number
}

/** What a threshold said of a report. */
export interface ThresholdResult {
  readonly path: string
  readonly threshold: string
  /** The figure, or null when the report has none at that path (a section the run lacks). */
  readonly actual: number | null
  readonly pass: boolean
  readonly abortOnFail: boolean
}

type Spec = typeof ThresholdSpec.Type

const EXPRESSION = /^\s*(<=|>=|==|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$/

/** `buckets[3].p99` → ["buckets", "3", "p99"]. */
export const pathSegments = (path: string): Array<string> => path.replace(/\[(\d+)\]/g, ".$1").split(".")

/**
 * Why `path` is not a numeric figure of a report, or undefined if it is: walks the report's
 * Schema (arrays take an index; sections a run may lack are allowed). Example:
 * `numericPathProblem("latencyMs.p95")` is undefined; `numericPathProblem("latencyMs.p96")`
 * says "latencyMs has no p96; it has p50, p95, …".
 */
export const numericPathProblem = (path: string): string | undefined => {
  const segments = pathSegments(path)
  let ast: SchemaAST.AST = SchemaAST.toType(ReportSchema.ast)
  const seen: Array<string> = []
  for (const seg of segments) {
    ast = unwrap(ast)
    const here = seen.length === 0 ? "the report" : seen.join(".")
    if (seg === "") return `an empty step in ${JSON.stringify(path)}`
    if (SchemaAST.isArrays(ast)) {
      if (!/^\d+$/.test(seg)) return `${here} is a list: the next step is an index (${here}.0 or ${here}[0]), not ${JSON.stringify(seg)}`
      ast = ast.rest[0] ?? ast.elements[Number(seg)] ?? SchemaAST.never
    } else if (SchemaAST.isObjects(ast)) {
      const ps = ast.propertySignatures.find((p) => p.name === seg)
      if (ps) ast = ps.type
      else if (ast.indexSignatures.length > 0) ast = ast.indexSignatures[0].type
      else return `${here} has no ${seg}; it has ${ast.propertySignatures.map((p) => String(p.name)).join(", ")}`
    } else return `${here} is not a section: ${seg} cannot follow it`
    seen.push(seg)
  }
  ast = unwrap(ast)
  return SchemaAST.isNumber(ast) ? undefined : `${path} is not a number in the report (it is a section or a text); name one of its figures`
}

/** Through suspensions, and to the one non-undefined member of an optional's union. */
const unwrap = (ast: SchemaAST.AST): SchemaAST.AST => {
  for (;;) {
    if (SchemaAST.isSuspend(ast)) ast = ast.thunk()
    else if (SchemaAST.isUnion(ast)) {
      const defined = ast.types.filter((t) => !SchemaAST.isUndefined(t) && !SchemaAST.isNull(t))
      if (defined.length !== 1) return ast
      ast = defined[0]
    } else return ast
  }
}

/** A field and its problem, as the scenario's other rules give them. */
export interface ThresholdProblem {
  readonly field: string
  readonly message: string
}

const specs = (v: Spec | ReadonlyArray<Spec>): ReadonlyArray<Spec> => (Array.isArray(v) ? v : [v as Spec])

/** Compile `slo.thresholds` (decoded), or say what is wrong with the first bad entry. */
export const compileThresholds = (thresholds: Readonly<Record<string, Spec | ReadonlyArray<Spec>>> | undefined): { readonly thresholds: ReadonlyArray<Threshold>; readonly problem?: ThresholdProblem } => {
  const out: Array<Threshold> = []
  for (const [path, v] of Object.entries(thresholds ?? {})) {
    const field = `slo.thresholds[${JSON.stringify(path)}]`
    const problem = numericPathProblem(path)
    if (problem) return { thresholds: out, problem: { field, message: `unknown figure: ${problem}` } }
    const list = specs(v)
    if (list.length === 0) return { thresholds: out, problem: { field, message: "an empty list: give at least one threshold" } }
    for (const [i, spec] of list.entries()) {
      const at = Array.isArray(v) ? `${field}[${i}]` : field
      const text = typeof spec === "string" ? spec : spec.threshold
      const m = EXPRESSION.exec(text)
      if (!m) return { thresholds: out, problem: { field: typeof spec === "string" ? at : `${at}.threshold`, message: `expected a comparator (<, <=, >, >=, ==) and a number, like "< 200", got ${JSON.stringify(text)}` } }
      const delay = typeof spec === "string" ? 0 : (spec.delayAbortEvalMs ?? 0)
      if (!(delay >= 0)) return { thresholds: out, problem: { field: `${at}.delayAbortEvalMs`, message: `expected a number of ms ≥ 0, got ${delay}` } }
      out.push({ path, segments: pathSegments(path), expression: `${m[1]} ${m[2]}`, op: m[1] as Comparator, value: Number(m[2]), abortOnFail: typeof spec !== "string" && spec.abortOnFail === true, delayAbortEvalMs: delay })
    }
  }
  return { thresholds: out }
}

/** The figure at a threshold's path in `report`, or null. */
const figureAt = (report: unknown, segments: ReadonlyArray<string>): number | null => {
  let v: unknown = report
  for (const s of segments) {
    if (v === null || typeof v !== "object") return null
    v = (v as Record<string, unknown>)[s]
  }
  return typeof v === "number" ? v : null
}

const holds = (op: Comparator, a: number, b: number): boolean =>
  op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : op === ">=" ? a >= b : a === b

/**
 * Judge each threshold on `report` (a finished or a partial one). A figure the report lacks
 * fails. Example: `judge(report, compileThresholds({ "errors.rate": "<= 0.01" }).thresholds)`.
 */
export const judge = (report: unknown, thresholds: ReadonlyArray<Threshold>): Array<ThresholdResult> =>
  thresholds.map((t) => {
    const actual = figureAt(report, t.segments)
    return { path: t.path, threshold: t.expression, actual, pass: actual !== null && holds(t.op, actual, t.value), abortOnFail: t.abortOnFail }
  })
