/**
 * The scenario: everything a hunt needs, as an effect `Schema` decoded from JSON with every
 * field validated and defaulted. The decoded value is plain data (browser-safe) and is
 * echoed verbatim into the report, so a report always says exactly what was simulated.
 */
import { Data, Effect, Exit, Schema } from "effect"
import { fieldOf, firstIssue, type Path } from "./issues.ts"
import { bucketPrefixProblem, cellsCovering } from "./geo.ts"

const withDefault = <S extends Schema.Constraint>(schema: S, value: S["Encoded"]) =>
  Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(schema)

const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))
const Positive = Schema.Finite.check(Schema.isGreaterThan(0))
const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Fraction = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))

/** A latency or service-time distribution, in milliseconds. */
export const Distribution = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("constant"), ms: NonNegative }),
  Schema.Struct({ kind: Schema.Literal("exponential"), meanMs: Positive }),
  Schema.Struct({
    kind: Schema.Literal("lognormal"),
    meanMs: Positive,
    p99Ms: Positive
  }).check(
    Schema.makeFilter((d) => {
      const r = d.p99Ms / d.meanMs
      if (r <= 1) return { path: ["p99Ms"], issue: "must be greater than meanMs" }
      // ln(p99/mean) = 2.326 s - s^2/2 has a real solution only up to this ratio
      if (r > 14.9) return { path: ["p99Ms"], issue: "must be at most 14.9 × meanMs for a lognormal" }
      return undefined
    })
  )
])
export type Distribution = typeof Distribution.Type

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

const Lat = Schema.Finite.check(Schema.isBetween({ minimum: -90, maximum: 90 }))
const Lon = Schema.Finite.check(Schema.isBetween({ minimum: -180, maximum: 180 }))

/** A place that draws a share of hunters (or artifacts): uniform in a disc of radiusKm. */
const Spot = Schema.Struct({ lat: Lat, lon: Lon, radiusKm: Positive, share: Fraction })

/**
 * Geography: buckets are geohash cells — those of `precision` characters covering `area`,
 * or an explicit `prefixes` list — and hunters and artifacts have coordinates. With it,
 * `topology.buckets` is the number of cells.
 */
const Geography = Schema.Struct({
  area: Schema.optionalKey(Schema.Struct({ south: Lat, west: Lon, north: Lat, east: Lon })),
  precision: withDefault(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 8 })), 5),
  prefixes: Schema.optionalKey(Schema.Array(Schema.String).check(Schema.isMinLength(1))),
  /** Shares of hunters placed near each spot; the rest are uniform over the map. */
  hunterHotspots: withDefault(Schema.Array(Spot), []),
  artifactHotspots: withDefault(Schema.Array(Spot), []),
  /** Random-waypoint walking: each hunter heads for a random point at speedMps, then the next. */
  movement: Schema.optionalKey(Schema.Struct({ speedMps: Positive })),
  /**
   * A viral artifact revealed at atMs at a place: `share` of all hunters head for it, at
   * speedMps (default: the walking speed; without movement they are there at once).
   */
  viral: Schema.optionalKey(
    Schema.Struct({ lat: Lat, lon: Lon, radiusKm: Positive, atMs: NonNegative, share: Fraction, speedMps: Schema.optionalKey(Positive) })
  )
})

/**
 * The per-bucket pipeline behind the claim script (reference system 4): each claim's diff
 * goes to its bucket's stream; the bucket's worker consumes it (workerServiceMs) and fans it
 * out to the bucket's subscribers — its hunters — at fanoutPerSubscriberMs each. Past
 * backlogCap unread entries the stream trims the oldest (counted, never delivered). Past
 * subscriberCap hunters a bucket splits (geography only): its prefix's 32 child cells get a
 * worker each after split.durationMs, each child's hunters re-subscribe there, and a diff
 * then fans out to its artifact's child cell only. An edge cache keeps each bucket's latest
 * diff for ttlMs: a hunter's read is a hit or a miss, and a hit may be stale.
 */
const Pipeline = Schema.Struct({
  diffs: withDefault(Schema.Literals(["claims", "wins"]), "claims"),
  workerServiceMs: withDefault(Distribution, { kind: "constant", ms: 0.05 }),
  fanoutPerSubscriberMs: withDefault(NonNegative, 0.002),
  backlogCap: withDefault(PositiveInt, 5000),
  subscriberCap: Schema.optionalKey(PositiveInt),
  split: withDefault(Schema.Struct({ durationMs: withDefault(NonNegative, 2000) }), {}),
  edgeCache: Schema.optionalKey(Schema.Struct({ ttlMs: withDefault(Positive, 1000) }))
})

/**
 * The app tier in front of Redis (reference system 1): worker processes with one queue;
 * each hunter request takes a worker for parseMs before its Redis call. The load generator
 * may also send heartbeats (bytes every intervalMs per hunter) that workers must parse too,
 * unless a proxy drops them before the app.
 */
const App = Schema.Struct({
  workers: PositiveInt.check(Schema.isLessThanOrEqualTo(100_000)),
  parseMs: withDefault(Distribution, { kind: "constant", ms: 0.1 }),
  heartbeat: Schema.optionalKey(Schema.Struct({ bytes: withDefault(PositiveInt, 96), intervalMs: Positive, parseMs: withDefault(NonNegative, 0.05) })),
  proxy: withDefault(Schema.Struct({ dropHeartbeats: withDefault(Schema.Boolean, false) }), {})
})

/**
 * Where won claims are recorded (reference system 2). `sync`: each win inserts a loot row
 * into one relational table before the request completes — and a periodic vacuum/freeze
 * stalls every insert for `stall.durationMs` every `stall.everyMs`. `log`: each win is
 * appended to an event log (appendMs) and an aggregator materializes totals every
 * aggregateEveryMs; until then the totals lag behind (consumer lag).
 */
const Sink = Schema.Struct({
  mode: Schema.Literals(["sync", "log"]),
  insertMs: withDefault(Distribution, { kind: "constant", ms: 2 }),
  stall: Schema.optionalKey(Schema.Struct({ everyMs: Positive, durationMs: Positive })),
  appendMs: withDefault(NonNegative, 0.2),
  aggregateEveryMs: withDefault(Positive, 900_000)
})

/**
 * Stateless app workers behind consistent hashing on the hunter id (reference system 2).
 * A request routed to a dead worker fails at once (a connection error, retried by the
 * engine); after detectMs the ring routes that worker's hunters to the next live one.
 */
const Workers = Schema.Struct({
  count: PositiveInt.check(Schema.isLessThanOrEqualTo(10_000)),
  vnodes: withDefault(PositiveInt.check(Schema.isLessThanOrEqualTo(1000)), 64),
  detectMs: withDefault(NonNegative, 1000),
  failures: withDefault(Schema.Array(Schema.Struct({ worker: NonNegativeInt, atMs: NonNegative, durationMs: Positive })), [])
})

/**
 * The load generator itself (reference system 3): hunters are spread over `processes`
 * worker processes (hunter h on process h mod processes), each a single-threaded event loop
 * spending cpuMsPerRequest to send a request and handle its reply. A saturated process
 * sends late — and since latency is measured from the intended time, the report shows the
 * generator's own queueing (and its processes' load, so it is not mistaken for the server's).
 */
const LoadGen = Schema.Struct({
  processes: PositiveInt.check(Schema.isLessThanOrEqualTo(10_000)),
  cpuMsPerRequest: withDefault(Distribution, { kind: "constant", ms: 0.05 })
})

const Target = NonNegativeInt.annotate({ description: "a node index" })

const Fault = Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("latencySpike"),
    atMs: NonNegative,
    durationMs: Positive,
    target: Target,
    extraMs: Positive,
    scope: withDefault(Schema.Literals(["node", "script"]), "node")
  }),
  Schema.Struct({ kind: Schema.Literal("pause"), atMs: NonNegative, durationMs: Positive, target: Target }),
  Schema.Struct({ kind: Schema.Literal("crash"), atMs: NonNegative, durationMs: Positive, target: Target }),
  Schema.Struct({
    kind: Schema.Literal("replicationLag"),
    atMs: NonNegative,
    durationMs: Positive,
    target: Target,
    lagMs: Positive
  }),
  Schema.Struct({
    kind: Schema.Literal("poolShrink"),
    atMs: NonNegative,
    durationMs: Positive,
    target: Target,
    poolSize: PositiveInt
  })
])
export type Fault = typeof Fault.Type
export const faultKinds = ["latencySpike", "pause", "crash", "replicationLag", "poolShrink"] as const

const ScenarioStruct = Schema.Struct({
  name: withDefault(Schema.NonEmptyString, "custom"),
  description: withDefault(Schema.String, ""),
  seed: withDefault(NonNegativeInt.check(Schema.isLessThanOrEqualTo(4294967295)), 1),
  durationMs: withDefault(Positive.check(Schema.isLessThanOrEqualTo(7 * 24 * 3600 * 1000)), 60_000),
  slo: withDefault(
    Schema.Struct({ p99Ms: withDefault(Positive, 1000), maxErrorRate: withDefault(Fraction, 0.005) }),
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
      balance: withDefault(Distribution, { kind: "constant", ms: 0.01 })
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
      idempotency: withDefault(Schema.Boolean, true)
    }),
    {}
  ),
  faults: withDefault(Schema.Array(Fault), []),
  geography: Schema.optionalKey(Geography),
  pipeline: Schema.optionalKey(Pipeline),
  app: Schema.optionalKey(App),
  sink: Schema.optionalKey(Sink),
  workers: Schema.optionalKey(Workers),
  loadgen: Schema.optionalKey(LoadGen)
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

type Problem = { field: string; message: string }

const MAX_BUCKETS = 65_536

/**
 * With geography, the bucket prefixes (the cells covering the area, or the list given) and
 * its problems; `topology.buckets` must not say otherwise.
 */
export const geographyCells = (s: Scenario, input?: unknown): { cells: Array<string>; problems: Array<Problem> } => {
  const g = s.geography
  const problems: Array<Problem> = []
  if (g === undefined) return { cells: [], problems }
  const fail = (field: string, message: string) => ({ cells: [], problems: [{ field: `geography.${field}`, message }] })
  let cells: Array<string>
  if (g.prefixes !== undefined) {
    if (g.area !== undefined) return fail("area", "give either area (with precision) or prefixes, not both")
    const p = bucketPrefixProblem(g.prefixes)
    if (p !== undefined) return fail("prefixes", p)
    cells = [...g.prefixes]
  } else {
    const a = g.area
    if (a === undefined) return fail("area", "is missing: give area (with precision) or prefixes")
    if (a.north <= a.south) return fail("area.north", "must be north of area.south")
    if (a.east <= a.west) return fail("area.east", "must be east of area.west (areas across the antimeridian are not supported)")
    // A rough count first, so a continent at precision 8 fails fast instead of enumerating.
    const bits = 5 * g.precision
    const est = ((a.east - a.west) / (360 / 2 ** Math.ceil(bits / 2)) + 2) * ((a.north - a.south) / (180 / 2 ** Math.floor(bits / 2)) + 2)
    if (est > MAX_BUCKETS * 2) return fail("precision", `${g.precision} cuts the area into about ${Math.round(est)} cells, more than ${MAX_BUCKETS} buckets`)
    cells = cellsCovering(a, g.precision)
    if (cells.length > MAX_BUCKETS) return fail("precision", `${g.precision} cuts the area into ${cells.length} cells, more than ${MAX_BUCKETS} buckets`)
  }
  const given = valueAt(input, ["topology", "buckets"])
  if (given !== undefined && given !== cells.length)
    problems.push({ field: "topology.buckets", message: `is ${JSON.stringify(given)} but geography makes one bucket per cell, ${cells.length} in all; leave it out` })
  for (const key of ["hunters", "artifacts"] as const)
    if (s[key].placement.kind !== "uniform")
      problems.push({ field: `${key}.placement`, message: `bucket-index placement does not apply with geography; use geography.${key === "hunters" ? "hunterHotspots" : "artifactHotspots"}` })
  for (const key of ["hunterHotspots", "artifactHotspots"] as const) {
    const total = g[key].reduce((a, h) => a + h.share, 0)
    if (total > 1 + 1e-9) problems.push({ field: `geography.${key}`, message: `shares add up to ${total}, more than 1` })
  }
  if (g.viral !== undefined && g.viral.atMs >= s.durationMs)
    problems.push({ field: "geography.viral.atMs", message: `${g.viral.atMs} is outside the run (durationMs is ${s.durationMs})` })
  return { cells, problems }
}

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
  if (s.pipeline?.subscriberCap !== undefined && s.geography === undefined)
    out.push({ field: "pipeline.subscriberCap", message: "shard splits need geography (a bucket splits into its geohash prefix's child cells)" })
  const st = s.sink?.stall
  if (st !== undefined && st.durationMs >= st.everyMs)
    out.push({ field: "sink.stall.durationMs", message: `must be shorter than sink.stall.everyMs (${st.everyMs}): the table would never accept an insert` })
  s.workers?.failures.forEach((f, i) => {
    if (f.worker >= s.workers!.count)
      out.push({ field: `workers.failures[${i}].worker`, message: `worker ${f.worker} does not exist (workers.count is ${s.workers!.count})` })
    if (f.atMs >= s.durationMs) out.push({ field: `workers.failures[${i}].atMs`, message: `${f.atMs} is outside the run (durationMs is ${s.durationMs})` })
  })
  const r = s.artifacts.reveal
  if (r.kind === "spread" && r.toMs < r.fromMs) out.push({ field: "artifacts.reveal.toMs", message: "must not be before fromMs" })
  if (s.engine.retries.maxMs < s.engine.retries.baseMs)
    out.push({ field: "engine.retries.maxMs", message: "must be at least baseMs" })
  s.faults.forEach((f, i) => {
    if (f.target >= t.nodes)
      out.push({ field: `faults[${i}].target`, message: `node ${f.target} does not exist (topology.nodes is ${t.nodes})` })
    if (f.atMs >= s.durationMs)
      out.push({ field: `faults[${i}].atMs`, message: `${f.atMs} is outside the run (durationMs is ${s.durationMs})` })
    else if (f.atMs + f.durationMs > s.durationMs)
      out.push({ field: `faults[${i}].durationMs`, message: `the fault ends at ${f.atMs + f.durationMs} ms, after the run (durationMs is ${s.durationMs})` })
  })
  return out
}

const valueAt = (input: unknown, path: Path): unknown => {
  let cur: unknown = input
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined
    cur = (cur as Record<PropertyKey, unknown>)[k]
  }
  return cur
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

/** Synchronous variant for plain code (tests, the browser worker): throws `ScenarioError`. */
export const decodeScenarioSync = (input: unknown): Scenario => Effect.runSync(decodeScenario(input))

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
