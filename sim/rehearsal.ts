/**
 * Rehearsals: a long scenario squeezed into a short one, run first so the JIT has seen every
 * code path before the real run starts.
 *
 * V8 compiles the event loop with what it has seen so far. A path the run has not yet taken
 * (the first timeout, retry, open breaker, expired artifact, failover) is compiled as a bail-out;
 * when the run reaches it — at minute 20 or 30 of an hour — the optimized loop is thrown away
 * and rebuilt, and the hunt runs slowly meanwhile. On the reference hunt that happened about
 * ten times (see BENCHMARKS.md). A rehearsal of the same scenario with its whole timeline
 * compressed into 15 seconds takes those paths early, in a throwaway run, with the same hunters,
 * load, topology and distributions (so the type feedback is the real run's). Results are not
 * affected: the rehearsal is a separate simulation with its own generator.
 */
import type { Scenario } from "../src/scenario.ts"

/**
 * About how many events a scenario will take: two per request (send and completion).
 * Example: the reference preset (15 000 hunters polling every 1.2 s for an hour) ≈ 90 M.
 */
export const expectedEvents = (s: Scenario): number => {
  const b = s.hunters.behaviour
  const perSec = b.model === "closed" ? (s.hunters.count * 1000) / b.pollIntervalMs : b.ratePerSec
  return (2 * perSec * s.durationMs) / 1000
}

/**
 * A rehearsal takes at most this much simulated time, this many events, and this share of the
 * run's events. Measured on the reference hunt (fresh processes): 15 s of rehearsal (0.4 s wall)
 * made the hour run as fast as 60 s did (0.7 s wall), 4–6 % faster than with no rehearsal.
 */
const MAX_MS = 15_000
const MAX_EVENTS = 500_000
const MAX_SHARE = 1 / 20
/**
 * Compressed faults still last this long, and three request timeouts (a fault has to outlast
 * a timeout to produce one); a crash that fails over keeps time to do so.
 */
const MIN_FAULT_MS = 2_000

/**
 * How long a rehearsal of `s` should be (simulated ms): 15 s at most, and at most 0.5 M
 * events or 5 % of the run's. Example: `rehearsalMs(reference)` is 15 000.
 */
export const rehearsalMs = (s: Scenario): number => {
  const events = expectedEvents(s)
  const budget = Math.min(MAX_EVENTS, events * MAX_SHARE)
  return Math.min(MAX_MS, s.durationMs, events > 0 ? (s.durationMs * budget) / events : MAX_MS)
}

/**
 * The scenario `s` with its timeline compressed into `ms` of simulated time: fault and
 * worker-failure start times, reveal schedule, claim window, ramp and viral moment scaled by
 * ms / durationMs; load (hunters, poll interval, arrival rate), topology and distributions
 * unchanged, so the rehearsal takes the same code paths under the same load. Faults keep at
 * least two seconds and three request timeouts (a crash long enough to fail over keeps that
 * too), and all end in time.
 * Example: `simulate(rehearsal(s))` before `simulate(s)`.
 */
export const rehearsal = (s: Scenario, ms = rehearsalMs(s)): Scenario => {
  if (ms >= s.durationMs) return s
  const k = ms / s.durationMs
  const { detectionMs, promotionMs } = s.topology.failover
  const minMs = Math.max(MIN_FAULT_MS, 3 * s.engine.timeoutMs)
  const failoverMs = Math.max(minMs, detectionMs + promotionMs + 1000)
  const squeeze = <W extends { readonly atMs: number; readonly durationMs: number }>(w: W, atLeast: number): W => {
    const durationMs = Math.min(w.durationMs, Math.max(w.durationMs * k, atLeast), ms / 2)
    return { ...w, atMs: Math.min(w.atMs * k, ms - durationMs), durationMs }
  }
  const reveal = s.artifacts.reveal
  const start = s.hunters.start
  const viral = s.geography?.viral
  return {
    ...s,
    name: `${s.name} (rehearsal)`,
    durationMs: ms,
    hunters: { ...s.hunters, start: start.kind === "ramp" ? { ...start, perSecond: start.perSecond / k } : start },
    artifacts: {
      ...s.artifacts,
      claimWindowMs: s.artifacts.claimWindowMs * k,
      reveal:
        reveal.kind === "spread"
          ? { ...reveal, fromMs: reveal.fromMs * k, toMs: reveal.toMs * k }
          : reveal.kind === "waves"
            ? { ...reveal, everyMs: reveal.everyMs * k }
            : reveal
    },
    faults: s.faults.map((f) => squeeze(f, f.kind === "crash" && f.durationMs >= detectionMs ? failoverMs : minMs)),
    ...(viral ? { geography: { ...s.geography!, viral: { ...viral, atMs: viral.atMs * k } } } : {}),
    ...(s.workers ? { workers: { ...s.workers, failures: s.workers.failures.map((f) => squeeze(f, minMs)) } } : {}),
    ...(s.sink ? { sink: { ...s.sink, aggregateEveryMs: s.sink.aggregateEveryMs * k } } : {})
  }
}
