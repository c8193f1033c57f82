/**
 * What a run writes besides its summary (`run --out kind=FILE`, repeatable; `--json FILE` and
 * `--html FILE` are `--out json=FILE` and `--out html=FILE`): the JSON report, the timeline as
 * CSV (one row per simulated second), the bucket timeline as CSV, the offline HTML page.
 * `-` is stdout — the summary then goes to stderr, so stdout holds only the output. Every
 * path is checked writable before the run, and each file written is confirmed on stderr.
 */
import { writeFileSync } from "node:fs"
import { Effect } from "effect"
import type { Report } from "../../src/report.ts"
import { bucketsCsv, timelineCsv } from "../report/csv.ts"
import { reportHtml } from "../report/html.ts"
import { checkWritable, didYouMean, UsageError } from "./input.ts"

export const OUT_KINDS = ["json", "csv", "csv-buckets", "html"] as const
export type OutKind = (typeof OUT_KINDS)[number]

export interface Output {
  readonly kind: OutKind
  /** A path, or "-" for stdout. */
  readonly file: string
  /** How the user asked for it, for messages: `--json`, `--out csv`. */
  readonly flag: string
}

/** `--out kind=FILE` → an Output. Example: `parseOut("csv=t.csv")`. */
export const parseOut = (v: string | undefined): Effect.Effect<Output, UsageError> =>
  Effect.gen(function* () {
    const eq = v?.indexOf("=") ?? -1
    if (v === undefined || eq <= 0 || eq === v.length - 1)
      return yield* new UsageError({ message: `--out: expected kind=FILE (kinds: ${OUT_KINDS.join(", ")}; FILE - is stdout), got ${JSON.stringify(v ?? "")}` })
    const kind = v.slice(0, eq)
    if (!(OUT_KINDS as ReadonlyArray<string>).includes(kind))
      return yield* new UsageError({ message: `--out: unknown kind ${JSON.stringify(kind)}${didYouMean(kind, OUT_KINDS)}; expected one of ${OUT_KINDS.join(", ")}` })
    return { kind: kind as OutKind, file: v.slice(eq + 1), flag: `--out ${kind}` }
  })

/** Before the run: every file writable, at most one output on stdout. */
export const checkOutputs = (outs: ReadonlyArray<Output>): Effect.Effect<void, UsageError> =>
  Effect.gen(function* () {
    const toStdout = outs.filter((o) => o.file === "-")
    if (toStdout.length > 1) return yield* new UsageError({ message: `${toStdout[1].flag}: only one output can go to stdout (-); ${toStdout[0].flag} already does` })
    for (const o of outs) if (o.file !== "-") yield* checkWritable(o.flag, o.file)
  })

/** Whether the summary should go to stderr (an output has stdout). */
export const stdoutTaken = (outs: ReadonlyArray<Output>): boolean => outs.some((o) => o.file === "-")

/** An output's text, but HTML's (built asynchronously, by a bundler run). */
const textOf = (kind: Exclude<OutKind, "html">, report: Report): string =>
  kind === "json" ? JSON.stringify(report, null, 2) + "\n" : kind === "csv" ? timelineCsv(report) : bucketsCsv(report)

const content = (kind: OutKind, report: Report): Promise<string> => (kind === "html" ? reportHtml(report) : Promise.resolve(textOf(kind, report)))

const what: Record<OutKind, string> = { json: "the report (JSON)", csv: "the timeline (CSV, a row per simulated second)", "csv-buckets": "the bucket timeline (CSV)", html: "the HTML report" }

/** Write each output, confirming each on stderr. Example: `writeOutputs(report, outs, log)`. */
export const writeOutputs = (report: Report, outs: ReadonlyArray<Output>, log: (line: string) => void): Effect.Effect<void, UsageError> =>
  Effect.gen(function* () {
    for (const o of outs) {
      const text = yield* Effect.tryPromise({ try: () => content(o.kind, report), catch: (e) => new UsageError({ message: `${o.flag}: ${(e as Error).message}` }) })
      if (o.file === "-") {
        process.stdout.write(text)
        continue
      }
      yield* Effect.try({ try: () => writeFileSync(o.file, text), catch: (e) => new UsageError({ message: `${o.flag}: cannot write ${o.file}: ${(e as Error).message}` }) })
      log(`wrote ${what[o.kind]} to ${o.file}`)
    }
  })

/**
 * After Ctrl-C: the partial report's outputs, written at once (synchronously: the process is
 * about to exit) — all but HTML, whose page takes a bundler run. Example:
 * `writePartialOutputs(partial, outs, log)`.
 */
export const writePartialOutputs = (report: Report, outs: ReadonlyArray<Output>, log: (line: string) => void): void => {
  for (const o of outs) {
    if (o.kind === "html") {
      log(`${o.flag}: not written for a partial run (the page takes too long to build after Ctrl-C)`)
      continue
    }
    const text = textOf(o.kind, report)
    try {
      if (o.file === "-") process.stdout.write(text)
      else {
        writeFileSync(o.file, text)
        log(`wrote ${what[o.kind]} of the partial run to ${o.file}`)
      }
    } catch (e) {
      log(`${o.flag}: cannot write ${o.file}: ${(e as Error).message}`)
    }
  }
}
