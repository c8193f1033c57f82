/**
 * `huntbench calibrate --target local|redis://… [--profile FILE] [--seconds N] [--repeats N]`: measure a
 * real Redis path (adapters/redis/calibrate.ts) and write the timing profile a scenario can
 * run with (`"timing": {"profile": "FILE"}`). `local` starts a redis-server, as `run --target
 * local` does, and stops it after; on a redis:// server the
 * measurement's keys live in a namespace of their own and are removed after.
 */
import { writeFileSync } from "node:fs"
import { Effect, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import type { LocalDeployment } from "../redis/deployment.ts"
import { calibrate } from "../redis/calibrate.ts"
import { redactUrl } from "../redis/keys.ts"
import { layerRedisTarget } from "../redis/layers.ts"
import { layerLocalTarget } from "../redis/local.ts"
import * as F from "./flags.ts"
import { checkWritable, UsageError } from "./input.ts"
import { command } from "./session.ts"

const flags = {
  target: F.checked("target", "local (a redis-server huntbench starts, and stops) or the redis:// URL to measure", (raw) =>
    raw === "local" || F.isRedisUrl(raw) ? Result.succeed(raw) : F.expected("local or a redis:// URL", raw)
  ).pipe(Flag.optional),
  profile: F.file("profile", 'write the timing profile here (default: stdout), for "timing": {"profile": FILE}').pipe(Flag.optional),
  seconds: F.checked("seconds", "seconds per load level (default 2)", (raw) =>
    Number(raw) > 0 && Number(raw) <= 600 ? Result.succeed(Number(raw)) : F.expected("a number of seconds per load level above 0 and at most 600", raw)
  ).pipe(Flag.withDefault(2)),
  repeats: F.checked("repeats", "runs per live-driver level, the median kept (default 3)", F.wholeNumber("a whole number of runs per live-driver level from 1 to 20", 1, 20)).pipe(Flag.withDefault(3)),
  config: F.config
}

const calibrateRun = (i: Command.Command.Config.Infer<typeof flags>) =>
  Effect.gen(function* () {
    if (Option.isNone(i.target)) return yield* new UsageError({ message: "--target: calibrate needs local or the redis:// URL to measure" })
    const a = { target: i.target.value, profile: Option.getOrUndefined(i.profile), seconds: i.seconds, repeats: i.repeats }
    if (a.profile) yield* checkWritable("--profile", a.profile)
    const log = (line: string) => process.stderr.write(`huntbench: ${line}\n`)
    let deployment: LocalDeployment | undefined
    const runId = `calibrate-${Date.now().toString(36)}-${process.pid.toString(36)}`
    const name = a.target === "local" ? "local" : redactUrl(a.target)
    const layer = a.target === "local" ? layerLocalTarget({ runId, log, onDeployment: (d) => (deployment = d) }) : layerRedisTarget({ url: a.target, runId, log })
    const profile = yield* calibrate({
      target: name,
      // Straight to the primary on a local deployment, as a run's clients go without faults.
      adminUrl: () => (deployment ? deployment.nodes[0].primary.url : a.target),
      secondsPerLevel: a.seconds,
      repeats: a.repeats,
      log,
      now: new Date().toISOString()
    }).pipe(Effect.scoped, Effect.provide(layer)) // the run's keys go before the connection does
    const json = JSON.stringify(profile, null, 2) + "\n"
    const f = (x: number) => x.toLocaleString("en-US", { maximumSignificantDigits: 3 })
    process.stderr.write(
      [
        `round trip p50 / p99: ${f(profile.raw.rttMs.p50)} / ${f(profile.raw.rttMs.p99)} ms`,
        `server time, claim p50 / p99: ${f(profile.raw.claimServerMs.p50)} / ${f(profile.raw.claimServerMs.p99)} ms; balance p50: ${f(profile.raw.balanceServerMs.p50)} ms`,
        `client overhead ${f(profile.clientOverheadMs)} ms per request; event-loop delay p99 ${f(profile.eventLoopDelayMs.p99)} ms`,
        ...profile.levels.map((l) => `${String(l.inFlight).padStart(4)} in flight: ${l.claimsPerSec.toLocaleString("en-US")} claims/s, p50 ${f(l.latencyMs.p50)} ms, p99 ${f(l.latencyMs.p99)} ms`),
        `ceiling: ${profile.ceilingPerSec.toLocaleString("en-US")} claims/s`,
        ...(profile.driver?.levels ?? []).map((l) => `live driver, open loop ${l.ratePerSec.toLocaleString("en-US")}/s: p50 ${f(l.raw.p50)} ms, p99 ${f(l.raw.p99)} ms, max ${f(l.raw.max)} ms`),
        ...(profile.driver ? [`live driver's ceiling: ${profile.driver.ceilingPerSec.toLocaleString("en-US")} claims/s (one process)`] : [])
      ].join("\n") + "\n"
    )
    if (a.profile) {
      const file = a.profile
      yield* Effect.try({ try: () => writeFileSync(file, json), catch: (e) => new UsageError({ message: `--profile: cannot write ${file}: ${(e as Error).message}` }) })
      log(`wrote the timing profile to ${file}; use it with "timing": {"profile": "${file}"}`)
    } else process.stdout.write(json)
    return 0
  })

export const calibrateCommand = command("calibrate", flags, calibrateRun).pipe(
  Command.withDescription("measure a real Redis (round trip, server time per command, load levels, its ceiling) and huntbench's live driver on it (latency by rate, its own ceiling; each level the median of --repeats runs), and write a timing profile"),
  Command.withExamples([{ command: "huntbench calibrate --target local --profile profile.json", description: 'then "timing": {"profile": "profile.json"} in a scenario' }])
)
