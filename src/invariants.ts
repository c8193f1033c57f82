/**
 * The invariants of DESIGN.md, checked after every run against the final store state and
 * what clients were told. Violations are reported, never thrown, and each is attributed to
 * the fault that caused it (or the faults active when it happened).
 */
import { activeFaults } from "./faults.ts"
import type { Scenario } from "./scenario.ts"
import type { SyncClaimStore } from "./ports/ClaimStore.ts"

export interface Violation {
  readonly detail: string
  /** Indices into scenario.faults. */
  readonly faults: ReadonlyArray<number>
}

export interface InvariantResult {
  readonly name: string
  readonly ok: boolean
  readonly violations: number
  /** Up to 20 examples. */
  readonly examples: ReadonlyArray<Violation>
  /** Counted anomalies that are allowed because a fault explains them (e.g. lost claims). */
  readonly attributed: number
}

export interface AckView {
  readonly artifact: number
  readonly hunter: number
  readonly write: number
  readonly at: number
  readonly key: number
}

export interface InvariantInput {
  readonly scenario: Scenario
  readonly store: SyncClaimStore
  readonly acks: ReadonlyArray<AckView>
  readonly artifactBucket: Int32Array
  readonly hunters: number
}

export interface InvariantSummary {
  readonly results: ReadonlyArray<InvariantResult>
  readonly lostAcknowledged: number
  readonly doubleAwarded: number
  readonly lostByFault: ReadonlyArray<number>
}

const MAX_EXAMPLES = 20

class Collector {
  violations = 0
  attributed = 0
  examples: Array<Violation> = []
  readonly name: string
  constructor(name: string) {
    this.name = name
  }
  fail(detail: string, faults: ReadonlyArray<number>): void {
    this.violations++
    if (this.examples.length < MAX_EXAMPLES) this.examples.push({ detail, faults })
  }
  result(): InvariantResult {
    return { name: this.name, ok: this.violations === 0, violations: this.violations, examples: this.examples, attributed: this.attributed }
  }
}

/**
 * Check invariants 1, 2, 3, 4 and 6 (5, determinism, is checked by replaying). Example:
 * `checkInvariants({ scenario, store, acks, artifactBucket, hunters }).results.every((r) => r.ok)`.
 */
export const checkInvariants = (input: InvariantInput): InvariantSummary => {
  const { scenario: s, store, acks } = input
  const lostByFault = new Array<number>(s.faults.length).fill(0)

  // 1. At most one winner per artifact; a double award is an anomaly, attributed to the
  //    fault that lost the first award (after which the artifact looked free again).
  const one = new Collector("oneWinnerPerArtifact")
  const winners = new Map<number, Array<{ hunter: number; write: number; at: number }>>()
  for (const a of acks) {
    let list = winners.get(a.artifact)
    if (!list) winners.set(a.artifact, (list = []))
    if (!list.some((w) => w.hunter === a.hunter)) list.push({ hunter: a.hunter, write: a.write, at: a.at })
  }
  let doubleAwarded = 0
  for (const [artifact, list] of winners) {
    if (list.length < 2) continue
    doubleAwarded++
    const causes = new Set<number>()
    for (const w of list) if (w.write >= 0 && store.writes[w.write].lostBy >= 0) causes.add(store.writes[w.write].lostBy)
    if (causes.size > 0) one.attributed++
    else one.fail(`artifact ${artifact} acknowledged to hunters ${list.map((w) => w.hunter).join(", ")}`, activeFaults(s, list[1].at))
  }

  // 2. Each hunter's balance equals the rewards of the artifacts it holds (per bucket).
  const bal = new Collector("balanceMatchesHoldings")
  const expected = new Map<number, number>()
  for (let a = 0; a < store.winner.length; a++) {
    const h = store.winner[a]
    if (h < 0) continue
    const key = input.artifactBucket[a] * input.hunters + h
    expected.set(key, (expected.get(key) ?? 0) + s.artifacts.reward)
  }
  const seen = new Set<number>()
  const checkKey = (key: number) => {
    if (seen.has(key)) return
    seen.add(key)
    const bucket = Math.floor(key / input.hunters), hunter = key % input.hunters
    const got = store.balance(bucket, hunter), want = expected.get(key) ?? 0
    if (got !== want) bal.fail(`hunter ${hunter} in bucket ${bucket}: balance ${got}, holdings worth ${want}`, [])
  }
  for (const key of expected.keys()) checkKey(key)
  for (const w of store.writes) checkKey(w.bucket * input.hunters + w.hunter)

  // 3. Every acknowledged claim is in the final state, or counted lost with its fault.
  const acked = new Collector("acknowledgedClaimsDurable")
  let lostAcknowledged = 0
  // A lost win counts as lost even if the same hunter later won the artifact again.
  for (const a of acks) {
    const lostBy = a.write >= 0 ? store.writes[a.write].lostBy : -1
    if (lostBy >= 0) {
      lostAcknowledged++
      lostByFault[lostBy]++
      acked.attributed++
    } else if (store.winner[a.artifact] !== a.hunter)
      acked.fail(`hunter ${a.hunter}'s acknowledged win of artifact ${a.artifact} is not in the final state`, activeFaults(s, a.at))
  }

  // 4. A request (idempotency key) is applied at most once in the final state.
  const idem = new Collector("idempotentRetries")
  const applied = new Map<number, number>()
  for (const w of store.writes) {
    if (w.lostBy >= 0) continue
    const n = (applied.get(w.requestKey) ?? 0) + 1
    applied.set(w.requestKey, n)
    if (n === 2) idem.fail(`request ${w.requestKey} applied twice`, activeFaults(s, w.appliedAt))
  }

  // 6. No stream exceeds its cap; every appended entry is in it, trimmed or lost.
  const streams = new Collector("streamWithinCap")
  for (let b = 0; b < store.streamLength.length; b++) {
    const len = store.streamLength[b]
    if (len > s.topology.streamCap) streams.fail(`bucket ${b}'s stream holds ${len} > cap ${s.topology.streamCap}`, [])
    if (store.streamAppended[b] !== len + store.streamTrimmed[b] + store.streamLost[b])
      streams.fail(`bucket ${b}'s stream: ${store.streamAppended[b]} appended ≠ ${len} kept + ${store.streamTrimmed[b]} trimmed + ${store.streamLost[b]} lost`, [])
  }

  return {
    results: [one.result(), bal.result(), acked.result(), idem.result(), streams.result()],
    lostAcknowledged,
    doubleAwarded,
    lostByFault
  }
}
