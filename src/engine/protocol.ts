/**
 * The claim protocol's vocabulary: reply codes the store returns, error kinds the client
 * sees, and the commands a hunter's task can issue. Numbers, not strings, because they
 * live in typed arrays on the hot path; `replyName`/`errorName` give the report's labels.
 */

/** Replies from the claim store (the Lua script's return values). */
export const Reply = {
  /** This request won the artifact: winner set, balance incremented, diff appended. */
  WON: 1,
  /** A retry whose idempotency key already won: the original win, not applied again. */
  ALREADY: 2,
  /** Somebody (maybe this hunter, earlier) holds it. */
  TAKEN: 3,
  /** The claim window has closed. */
  EXPIRED: 4,
  /** Not revealed yet. */
  NOT_REVEALED: 5,
  /** Nothing to claim in this bucket right now. */
  NONE: 6,
  /** A balance read. */
  BALANCE: 7
} as const

export const replyNames = ["", "won", "already", "taken", "expired", "notRevealed", "none", "balance"] as const

/** Error kinds a request can end with (after its retries). */
export const ErrorKind = {
  TIMEOUT: 1,
  CONNECTION: 2,
  BREAKER_OPEN: 3,
  POOL_TIMEOUT: 4
} as const

export const errorNames = ["", "timeout", "connection", "breakerOpen", "poolTimeout"] as const

export const Command = { CLAIM: 0, BALANCE: 1 } as const
export const commandNames = ["claim", "balance"] as const

/**
 * Whether an error kind is worth retrying: timeouts and connection errors are; a breaker
 * that is open is the client's own decision not to send. Example: `isRetryable(ErrorKind.TIMEOUT)`.
 */
export const isRetryable = (kind: number): boolean => kind === ErrorKind.TIMEOUT || kind === ErrorKind.CONNECTION || kind === ErrorKind.POOL_TIMEOUT

/** Whether a reply acknowledges a win to the client. Example: `isWinAck(Reply.ALREADY) === true`. */
export const isWinAck = (reply: number): boolean => reply === Reply.WON || reply === Reply.ALREADY
