/**
 * The scenario: everything a hunt needs, as an effect `Schema` decoded from JSON with every
 * field validated and defaulted. The decoded value is plain data (browser-safe) and is
 * echoed verbatim into the report, so a report always says exactly what was simulated.
 */
import { Cause, Data, Effect, Exit, Schema } from "effect"
import { fieldOf, firstIssue, valueAt } from "./issues.ts"
import { FaultSchema } from "./faults.ts"
import { ProfileSchema } from "./profile.ts"
import { Distribution, Fraction, NonNegative, NonNegativeInt, Positive, PositiveInt, Thresholds, withDefault } from "./schema-parts.ts"
import { compileThresholds } from "./thresholds.ts"
import { geographyCells } from "./tiers/geography.ts"
import { tiers, tierScenarioFields } from "./tiers/index.ts"
import type { Problem } from "./tiers/tier.ts"

export { Distribution } from "./schema-parts.ts"

const Task = Schema.Struct({
  name: Schema.NonEmptyString,
  command: Schema.Literals(["claim", "balance"]),
  weight: Positive
})

const defaultTasks = [{ name: "claim", command: "claim" as const, weight: 1 }]

const Closed = Schema.Struct({
  model: Schema.Literal("closed"),
  /** Wait between one task's completion and the next task (think time), ± jitterMs uniform. */
  pollIntervalMs: withDefault(Positive, 1200),
  jitterMs: withDefault(NonNegative, 200),
  tasks: withDefault(Schema.Array(Task).check(Schema.isMinLength(1)), defaultTasks)
}).check(
  Schema.makeFilter((b) =>
    b.jitterMs > b.pollIntervalMs ? { path: ["jitterMs"], issue: "must not exceed pollIntervalMs" } : undefined
  )
)

const Open = Schema.Struct({
  model: Schema.Literal("open"),
  /** Poisson arrivals of tasks, over the whole hunter population. */
  ratePerSec: Positive,
  tasks: withDefault(Schema.Array(Task).check(Schema.isMinLength(1)), defaultTasks)
})

const Placement = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("uniform") }),
  Schema.Struct({
    kind: Schema.Literal("hotspot"),
    /** How many buckets (the first ones) form the hotspot. */
    buckets: PositiveInt,
    /** The share of items placed in the hotspot buckets. */
    share: Fraction
  })
])

const Reveal = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("atStart") }),
  /** Artifacts revealed one by one, evenly spaced between fromMs and toMs. */
  Schema.Struct({ kind: Schema.Literal("spread"), fromMs: NonNegative, toMs: NonNegative }),
  /** Artifacts revealed in equal waves every everyMs, starting at 0. */
  Schema.Struct({ kind: Schema.Literal("waves"), everyMs: Positive, waves: PositiveInt })
])


const ScenarioStruct = Schema.Struct({
  name: withDefault(Schema.NonEmptyString, "custom"),
  description: withDefault(Schema.String, ""),
  seed: withDefault(NonNegativeInt.check(Schema.isLessThanOrEqualTo(4294967295)), 1),
  durationMs: withDefault(Positive.check(Schema.isLessThanOrEqualTo(7 * 24 * 3600 * 1000)), 60_000),
  slo: withDefault(
    Schema.Struct({
      p99Ms: withDefault(Positive, 1000),
      maxErrorRate: withDefault(Fraction, 0.005),
      /** k6-style thresholds on any numeric figure of the report (src/thresholds.ts). */
      thresholds: Schema.optionalKey(Thresholds)
    }),
    {}
  ),
  hunters: withDefault(
    Schema.Struct({
      count: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(10_000_000)), 1000),
      start: withDefault(
        Schema.Union([
          Schema.Struct({ kind: Schema.Literal("burst") }),
          Schema.Struct({ kind: Schema.Literal("ramp"), perSecond: Positive })
        ]),
        { kind: "burst" }
      ),
      behaviour: withDefault(Schema.Union([Closed, Open]), { model: "closed" }),
      placement: withDefault(Placement, { kind: "uniform" })
    }),
    {}
  ),
  artifacts: withDefault(
    Schema.Struct({
      count: withDefault(PositiveInt, 200),
      reward: withDefault(PositiveInt, 10),
      claimWindowMs: withDefault(Positive, 300_000),
      /** A claim that finds the artifact taken this soon after the win counts as a collision. */
      collisionWindowMs: withDefault(NonNegative, 100),
      reveal: withDefault(Reveal, { kind: "atStart" }),
      placement: withDefault(Placement, { kind: "uniform" })
    }),
    {}
  ),
  topology: withDefault(
    Schema.Struct({
      buckets: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(65_536)), 16),
      nodes: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(1024)), 2),
      /** bucket → node: "modulo" (b mod nodes), "block" (contiguous ranges) or an explicit list. */
      mapping: withDefault(
        Schema.Union([Schema.Literals(["modulo", "block"]), Schema.Array(NonNegativeInt)]),
        "modulo"
      ),
      replicas: withDefault(Schema.Boolean, true),
      replicationLagMs: withDefault(NonNegative, 1),
      failover: withDefault(
        Schema.Struct({ detectionMs: withDefault(NonNegative, 2000), promotionMs: withDefault(NonNegative, 400) }),
        {}
      ),
      poolSize: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(100_000)), 100),
      rttMs: withDefault(Distribution, { kind: "constant", ms: 0.5 }),
      streamCap: withDefault(PositiveInt, 5000)
    }),
    {}
  ),
  timing: withDefault(
    Schema.Struct({
      claim: withDefault(Distribution, { kind: "lognormal", meanMs: 0.05, p99Ms: 0.2 }),
      balance: withDefault(Distribution, { kind: "constant", ms: 0.01 }),
      // A timing profile measured by `huntbench calibrate` (src/profile.ts): its round trip
      // and service times replace topology.rttMs, claim and balance. The CLI reads a file
      // path here and puts the profile in its place (elsewhere a path is refused, in
      // decodeScenario), so the report carries what was used.
      profile: Schema.optionalKey(ProfileSchema)
    }),
    {}
  ),
  engine: withDefault(
    Schema.Struct({
      timeoutMs: withDefault(Positive, 1000),
      retries: withDefault(
        Schema.Struct({
          max: withDefault(NonNegativeInt.check(Schema.isLessThanOrEqualTo(20)), 2),
          baseMs: withDefault(NonNegative, 50),
          maxMs: withDefault(NonNegative, 1000),
          jitter: withDefault(Fraction, 0.5)
        }),
        {}
      ),
      breaker: withDefault(
        Schema.Struct({
          enabled: withDefault(Schema.Boolean, true),
          failureThreshold: withDefault(PositiveInt, 5),
          openMs: withDefault(Positive, 1000),
          halfOpenProbes: withDefault(PositiveInt, 1)
        }),
        {}
      ),
      idempotency: withDefault(Schema.Boolean, true),
      // WAIT replicas timeoutMs after each acknowledged claim: the win is acknowledged only
      // once that many replicas have it; unconfirmed in time, the attempt ends as a timeout.
      waitReplicas: Schema.optionalKey(Schema.Struct({ replicas: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(1)), 1), timeoutMs: withDefault(Positive, 100) }))
    }),
    {}
  ),
  faults: withDefault(Schema.Array(FaultSchema), []),
  // The tiers beyond the claim path, each optional (src/tiers/).
  ...tierScenarioFields
})

export type Scenario = typeof ScenarioStruct.Type

/** The scenario as a Schema, for documents that embed one (a report). */
export const ScenarioSchema = ScenarioStruct
export type ScenarioInput = typeof ScenarioStruct.Encoded

/** A scenario that cannot be used, naming the offending field (`hunters.count`, `faults[2].kind`). */
export class ScenarioError extends Data.TaggedError("ScenarioError")<{
  readonly field: string
  readonly message: string
}> {}

// Rules that span several fields; the schema alone checks each field in isolation.
const crossFieldProblems = (s: Scenario): Array<Problem> => {
  const out: Array<Problem> = []
  const t = s.topology
  if (Array.isArray(t.mapping)) {
    if (t.mapping.length !== t.buckets)
      out.push({ field: "topology.mapping", message: `has ${t.mapping.length} entries but topology.buckets is ${t.buckets}` })
    t.mapping.forEach((n, i) => {
      if (n >= t.nodes) out.push({ field: `topology.mapping[${i}]`, message: `node ${n} does not exist (topology.nodes is ${t.nodes})` })
    })
  }
  for (const key of ["hunters.placement", "artifacts.placement"] as const) {
    const p = key === "hunters.placement" ? s.hunters.placement : s.artifacts.placement
    if (p.kind === "hotspot" && p.buckets > t.buckets)
      out.push({ field: `${key}.buckets`, message: `is ${p.buckets} but there are only ${t.buckets} buckets` })
  }
  for (const tier of tiers) out.push(...(tier.problems?.(s) ?? []))
  const thresholds = compileThresholds(s.slo.thresholds)
  if (thresholds.problem) out.push(thresholds.problem)
  const r = s.artifacts.reveal
  if (r.kind === "spread" && r.toMs < r.fromMs) out.push({ field: "artifacts.reveal.toMs", message: "must not be before fromMs" })
  if (s.engine.retries.maxMs < s.engine.retries.baseMs)
    out.push({ field: "engine.retries.maxMs", message: "must be at least baseMs" })
  if (s.engine.waitReplicas && !t.replicas)
    out.push({ field: "engine.waitReplicas", message: "needs a replica to wait for (topology.replicas is false)" })
  s.faults.forEach((f, i) => {
    if (f.target >= t.nodes)
      out.push({ field: `faults[${i}].target`, message: `node ${f.target} does not exist (topology.nodes is ${t.nodes})` })
    if (f.atMs >= s.durationMs)
      out.push({ field: `faults[${i}].atMs`, message: `${f.atMs} is outside the run (durationMs is ${s.durationMs})` })
    else if (f.atMs + f.durationMs > s.durationMs)
      out.push({ field: `faults[${i}].durationMs`, message: `the fault ends at ${f.atMs + f.durationMs} ms, after the run (durationMs is ${s.durationMs})` })
    if (!t.replicas && (f.kind === "failover" || (f.kind === "restart" && f.from === "replica")))
      out.push({ field: `faults[${i}].${f.kind === "failover" ? "kind" : "from"}`, message: `${f.kind === "failover" ? "a failover" : "a restart from the replica"} needs a replica (topology.replicas is false)` })
  })
  return out
}

/**
 * Decode unknown JSON into a `Scenario`, or fail with the first problem found, naming its
 * field. Example: `decodeScenario({ hunters: { count: -1 } })` fails with
 * `ScenarioError { field: "hunters.count", message: "Expected a value greater than or equal to 1" }`.
 */
export const decodeScenario = (input: unknown): Effect.Effect<Scenario, ScenarioError> =>
  Effect.suspend(() => {
    if (input === null || typeof input !== "object" || Array.isArray(input))
      return Effect.fail(new ScenarioError({ field: "(root)", message: "a scenario must be a JSON object" }))
    const profile = valueAt(input, ["timing", "profile"])
    if (typeof profile === "string")
      return Effect.fail(new ScenarioError({ field: "timing.profile", message: `${JSON.stringify(profile)} is a file path, which only the CLI reads (huntbench run): embed the profile object here` }))
    const exit = Schema.decodeUnknownExit(ScenarioStruct)(input, { onExcessProperty: "error" })
    if (Exit.isFailure(exit)) {
      const first = firstIssue(exit.cause)
      const path = first.path
      let field = fieldOf(path)
      let message = first.message.trim().replace(/^Expected no excess property$/, "is not a known field")
      // A union of { kind: ... } variants reports the whole union; name the discriminant instead.
      const kinds = [...message.matchAll(/"(?:kind|model)": "(\w+)"/g)].map((k) => k[1])
      if (message.startsWith("Expected {") && kinds.length > 0) {
        const tag = message.includes('"model":') ? "model" : "kind"
        const got = valueAt(input, path)
        const value = got !== null && typeof got === "object" ? (got as Record<string, unknown>)[tag] : undefined
        if (got === null || typeof got !== "object") {
          message = `expected an object with ${tag} one of ${kinds.join(", ")}, got ${JSON.stringify(got)}`
        } else if (value === undefined || !kinds.includes(String(value))) {
          field = field === "(root)" ? tag : `${field}.${tag}`
          message = `${value === undefined ? "is missing" : `unknown ${tag} ${JSON.stringify(value)}`}; expected one of ${kinds.join(", ")}`
        }
      }
      if (/^Expected (number|string|boolean|an integer)/.test(message)) {
        const got = valueAt(input, path)
        if (got !== undefined && !message.includes(", got ")) message = `${message}, got ${JSON.stringify(got)}`
      }
      return Effect.fail(new ScenarioError({ field, message }))
    }
    let value = exit.value
    if (value.geography !== undefined) {
      const geo = geographyCells(value, input)
      if (geo.problems.length > 0) return Effect.fail(new ScenarioError(geo.problems[0]))
      value = { ...value, topology: { ...value.topology, buckets: geo.cells.length } }
    }
    const problems = crossFieldProblems(value)
    if (problems.length > 0) return Effect.fail(new ScenarioError(problems[0]))
    return Effect.succeed(value)
  })

/**
 * Synchronous variant for plain code (tests, the browser worker): throws the `ScenarioError`
 * itself, not the runtime's wrapper, so a catcher can name its field.
 * Example: `decodeScenarioSync({ hunters: { count: 10 } }).hunters.count === 10`.
 */
export const decodeScenarioSync = (input: unknown): Scenario => {
  const exit = Effect.runSyncExit(decodeScenario(input))
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

/** Parse scenario JSON text; an empty file or bad JSON becomes a `ScenarioError` on `(root)`. */
export const parseJson = (text: string): Effect.Effect<unknown, ScenarioError> =>
  text.trim() === ""
    ? Effect.fail(new ScenarioError({ field: "(root)", message: "the file is empty" }))
    : Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (e) => new ScenarioError({ field: "(root)", message: `not valid JSON: ${(e as Error).message}` })
      })

/** Parse JSON text and decode it. Example: `parseScenario('{"hunters":{"count":10}}')`. */
export const parseScenario = (text: string): Effect.Effect<Scenario, ScenarioError> =>
  Effect.flatMap(parseJson(text), decodeScenario)
