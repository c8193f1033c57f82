/**
 * A live run's history: one entry per attempt sent to Redis — what it was, when it actually
 * left, when and how it ended for the client (a reply, an error, or the client's timeout at
 * its deadline, with the reply that came too late if one did) — written as JSON lines by
 * `--history FILE`, for checking a real run's operations one by one.
 */
import { commandNames, errorNames, replyNames } from "../../src/engine/protocol.ts"

export interface HistoryEntry {
  /** The request's idempotency key (every attempt of one request shares it). */
  readonly key: number
  readonly op: (typeof commandNames)[number]
  readonly bucket: number
  readonly artifact: number
  readonly hunter: number
  /** Virtual ms: when it actually left, and when it ended for the client. */
  readonly invokeMs: number
  readonly endMs: number
  /** A reply name (won, taken, …), an error name (timeout, connection), or "unconfirmed" (WAIT). */
  readonly result: string
  /** A reply that came after the client had timed out, and when. */
  readonly lateReply?: string
  readonly lateReplyMs?: number
}

/** The name of a Reply, or of minus an ErrorKind. Example: `outcomeName(-1) === "timeout"`. */
export const outcomeName = (outcome: number): string => (outcome > 0 ? replyNames[outcome] : errorNames[-outcome]) ?? String(outcome)

const r3 = (x: number) => Math.round(x * 1000) / 1000

/** One JSON line per entry, times rounded to µs. */
export const historyLines = (entries: ReadonlyArray<HistoryEntry>): string =>
  entries
    .map((e) =>
      JSON.stringify({
        ...e,
        invokeMs: r3(e.invokeMs),
        endMs: r3(e.endMs),
        ...(e.lateReplyMs !== undefined ? { lateReplyMs: r3(e.lateReplyMs) } : {})
      })
    )
    .join("\n") + (entries.length > 0 ? "\n" : "")
