/**
 * The first problem a Schema found, as a field name and a message — from the issue tree's
 * structured paths (Standard Schema's `{ path, message }` records), never from formatted
 * text. Shared by the scenario and report decoders.
 */
import { Cause, Schema, SchemaIssue } from "effect"

/** A path into a JSON document: keys and array indices. */
export type Path = ReadonlyArray<PropertyKey>

/** A path as a field name. Example: `fieldOf(["faults", 2, "kind"]) === "faults[2].kind"`; `[]` is `"(root)"`. */
export const fieldOf = (path: Path): string =>
  path.length === 0 ? "(root)" : path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${String(k)}`)).join("")

const issuesOf = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * The first issue of a failed decode's cause, with its path. Example:
 * `firstIssue(exit.cause)` → `{ path: ["hunters", "count"], message: "Expected number, got \"x\"" }`.
 */
export const firstIssue = (cause: Cause.Cause<unknown>): { readonly path: Path; readonly message: string } => {
  const err = Cause.squash(cause)
  const first = Schema.isSchemaError(err) ? issuesOf(err.issue).issues[0] : undefined
  return {
    path: (first?.path ?? []).map((k) => (typeof k === "object" && k !== null ? k.key : k)),
    message: first?.message ?? (err instanceof Error ? err.message : String(err))
  }
}

/** The value at `path` in a JSON document, or undefined. Example: `valueAt({ a: [5] }, ["a", 0]) === 5`. */
export const valueAt = (input: unknown, path: Path): unknown => {
  let cur: unknown = input
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined
    cur = (cur as Record<PropertyKey, unknown>)[k]
  }
  return cur
}
