/**
 * `huntbench calibrate --target local|redis://… [--profile FILE] [--seconds N] [--repeats N]`: measure a
 * real Redis path (adapters/redis/calibrate.ts) and write the timing profile a scenario can
 * run with (`"timing": {"profile": "FILE"}`). `local` starts a redis-server behind a fault
 * proxy, as `run --target local` does, and stops it after; on a redis:// server the
 * measurement's keys live in a namespace of their own and are removed after.
 */
import { writeFileSync } from "node:fs"
import { Effect } from "effect"
import type { LocalDeployment } from "../redis/deployment.ts"
import { calibrate } from "../redis/calibrate.ts"
import { redactUrl } from "../redis/keys.ts"
import { layerRedisTarget } from "../redis/layers.ts"
import { layerLocalTarget } from "../redis/local.ts"
import { checkWritable, unknownOption, UsageError } from "./input.ts"
import { COMMAND_FLAGS } from "./defaults.ts"

interface CalibrateArgs {
  target: string
  profile?: string
  seconds: number
  repeats: number
}

const parseArgs = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const out: Partial<CalibrateArgs> = { seconds: 2, repeats: 3 }
    for (let i = 0; i < args.length; i++) {
      const a = args[i]
      const v = args[i + 1]
      if (a === "--target" || a === "--profile" || a === "--seconds" || a === "--repeats") i++
      if (a === "--target") {
        if (v === undefined || !(v === "local" || /^rediss?:\/\/./.test(v))) return yield* new UsageError({ message: `--target: expected local or a redis:// URL, got ${JSON.stringify(v ?? "")}` })
        out.target = v
      } else if (a === "--profile") {
        if (!v) return yield* new UsageError({ message: "--profile: expected a file name" })
        out.profile = v
      } else if (a === "--seconds") {
        const x = Number(v)
        if (v === undefined || !(x > 0 && x <= 600)) return yield* new UsageError({ message: `--seconds: expected a number of seconds per load level above 0 and at most 600, got ${JSON.stringify(v ?? "")}` })
        out.seconds = x
      } else if (a === "--repeats") {
        const x = Number(v)
        if (v === undefined || !(Number.isInteger(x) && x >= 1 && x <= 20)) return yield* new UsageError({ message: `--repeats: expected a whole number of runs per live-driver level from 1 to 20, got ${JSON.stringify(v ?? "")}` })
        out.repeats = x
      } else if (a.startsWith("-")) return yield* unknownOption(a, [...COMMAND_FLAGS.calibrate, "--config"], "calibrate")
      else return yield* new UsageError({ message: `calibrate: unknown argument ${JSON.stringify(a)} (see huntbench help)` })
    }
    if (out.target === undefined) return yield* new UsageError({ message: "--target: calibrate needs local or the redis:// URL to measure" })
    return out as CalibrateArgs
  })

export const calibrateCommand = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const a = yield* parseArgs(args)
    if (a.profile) yield* checkWritable("--profile", a.profile)
    const log = (line: string) => process.stderr.write(`huntbench: ${line}\n`)
    let deployment: LocalDeployment | undefined
    const runId = `calibrate-${Date.now().toString(36)}-${process.pid.toString(36)}`
    const name = a.target === "local" ? "local" : redactUrl(a.target)
    const layer = a.target === "local" ? layerLocalTarget({ runId, log, onDeployment: (d) => (deployment = d) }) : layerRedisTarget({ url: a.target, runId, log })
    const profile = yield* calibrate({
      target: name,
      // Through the proxy the run's clients use, on a local deployment.
      adminUrl: () => (deployment ? deployment.nodes[0].proxy.url : a.target),
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
