// Live mode of the lifecycle, driven deterministically: a scripted "server" (the model store,
// answering each call after a chosen delay) stands in for Redis, and the test delivers each
// answer on the virtual clock at its time. The engine's timeout rule decides: an answer after
// the deadline is a timeout, ended at the deadline; a win it carried is still applied.
import { describe, expect, it } from "vitest"
import { Simulator } from "../../sim/driver.ts"
import { LiveMode, type LiveCall } from "../../sim/live.ts"
import { ModelStore } from "../../sim/model/store.ts"
import { Command, ErrorKind, Reply } from "../../src/engine/protocol.ts"
import { summarize } from "../../src/metrics/histogram.ts"
import { decodeScenarioSync } from "../../src/scenario.ts"

const TIMEOUT = 200

const run = (delay: (call: LiveCall) => number, poolSize = 1000) => {
  const s = decodeScenarioSync({
    seed: 9,
    durationMs: 6000,
    hunters: { count: 60, behaviour: { model: "closed", pollIntervalMs: 150, jitterMs: 50 } },
    artifacts: { count: 80, claimWindowMs: 2000, reveal: { kind: "spread", fromMs: 0, toMs: 5000 } },
    topology: { buckets: 4, nodes: 1, poolSize },
    engine: { timeoutMs: TIMEOUT, retries: { max: 0 }, breaker: { enabled: false } }
  })
  const answers: Array<{ call: LiveCall; reply: number; sentAt: number; at: number }> = []
  let store: ModelStore | undefined
  const mode = new LiveMode({
    send: (call, at) => {
      // The server runs the command when it arrives (at once here) and answers after `delay`.
      const reply = call.command === Command.CLAIM ? store!.claim(call.artifact, call.hunter, call.key, at) : Reply.BALANCE
      answers.push({ call, reply, sentAt: at, at: at + delay(call) })
      if (at > call.sendAt) waited++
      maxOut = Math.max(maxOut, answers.length)
    }
  }, s.topology)
  const sim = new Simulator(s, { mode })
  store = new ModelStore(sim.storeConfig)
  let late = 0, lateWins = 0, inTime = 0, waited = 0, maxOut = 0
  // One event at a time, each answer delivered at its moment (before an event due then).
  for (;;) {
    let first = -1
    for (let i = 0; i < answers.length; i++) if (first < 0 || answers[i].at < answers[first].at) first = i
    const next = first < 0 ? Infinity : answers[first].at
    if (next <= s.durationMs && next <= sim.nextEventTime()) {
      const a = answers.splice(first, 1)[0]
      const ended = mode.answer(a.call, a.reply, a.sentAt, a.at)
      expect(ended).toBe(a.at <= a.call.deadline)
      if (ended) inTime++
      else {
        late++
        if (a.reply === Reply.WON) lateWins++
      }
    } else if (sim.step(1)) break
  }
  return { raw: sim.raw(), late, lateWins, inTime, waited, maxOut }
}

describe("live mode: the engine's timeout rule on the virtual clock", () => {
  it("answers in time end their attempts; late ones are timeouts at the deadline, their wins applied", () => {
    // Calls sent between 2 s and 3 s wait 350 ms (past the 200 ms timeout); the rest 20 ms.
    const { raw, late, lateWins, inTime } = run((c) => (c.sendAt >= 2000 && c.sendAt < 3000 ? 350 : 20))
    expect(late).toBeGreaterThan(50)
    expect(lateWins).toBeGreaterThan(0)
    expect(raw.errorsByKind[ErrorKind.TIMEOUT]).toBe(late)
    expect(raw.ok).toBe(inTime)
    expect(summarize(raw.latency).count).toBe(inTime)
    // A late answer never ends its attempt, so no success took longer than the fast answers' 20 ms...
    expect(summarize(raw.latency).max).toBeLessThan(20.1)
    // ...and a win the client never heard of is applied but unacknowledged.
    expect(raw.appliedUnacknowledged).toBe(lateWins)
    expect(raw.store.writes.length).toBe(0) // the sim's own model store answers nothing in live mode
  })

  it("the client's pool: at most poolSize calls out, the rest sent as connections come back, or failed as pool timeouts at their deadline", () => {
    // 60 hunters every 150 ms want ~400 calls/s; 10 connections held 40 ms carry 250/s.
    const { raw, waited, maxOut, late } = run(() => 40, 10)
    expect(maxOut).toBe(10)
    expect(waited).toBeGreaterThan(100)
    // Still waiting at the deadline: a pool timeout, never sent; sent too late to answer in time: a timeout.
    expect(raw.errorsByKind[ErrorKind.POOL_TIMEOUT]).toBeGreaterThan(100)
    expect(raw.errorsByKind[ErrorKind.TIMEOUT]).toBe(late)
    // Successes include their wait for a connection: some took longer than the call's 40 ms.
    expect(summarize(raw.latency).max).toBeGreaterThan(40)
    expect(summarize(raw.latency).max).toBeLessThanOrEqual(TIMEOUT)
    // A big enough pool never makes a call wait.
    expect(run(() => 40, 1000).waited).toBe(0)
  })

  it("with every answer in time there are no timeouts", () => {
    const { raw, late } = run(() => TIMEOUT - 1)
    expect(late).toBe(0)
    expect(raw.errorsByKind[ErrorKind.TIMEOUT]).toBe(0)
    expect(raw.unfinished.inFlight).toBeGreaterThanOrEqual(0)
  })
})
