/**
 * The claim rule, as one pure decision. Its twin is the Lua script `adapters/redis/claim.lua`
 * (the source of truth on real Redis): change one, change both — the lockstep tests run the
 * same hunt through both and compare every winner and balance.
 */
import { Reply } from "./protocol.ts"

/**
 * The reply a claim gets: a retry whose idempotency key already won → ALREADY (nothing
 * applied again); no artifact → NONE; before the reveal → NOT_REVEALED; after reveal + window
 * → EXPIRED; held → TAKEN; otherwise WON, and the caller applies the win (winner, balance,
 * stream diff, idempotency key). Example:
 * `claimReply(false, 3, 1200, revealAt, 5000, winner) === Reply.WON` when artifact 3 was
 * revealed at ≤ 1200 ms, within 5 s, and `winner[3] < 0`.
 */
export const claimReply = (
  alreadyWon: boolean,
  artifact: number,
  now: number,
  revealAt: Float64Array,
  windowMs: number,
  winner: Int32Array
): number => {
  if (alreadyWon) return Reply.ALREADY
  if (artifact < 0) return Reply.NONE
  const at = revealAt[artifact]
  if (now < at) return Reply.NOT_REVEALED
  if (now > at + windowMs) return Reply.EXPIRED
  if (winner[artifact] >= 0) return Reply.TAKEN
  return Reply.WON
}
