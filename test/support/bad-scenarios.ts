// Bad scenarios, each differing from one valid base scenario in exactly one place, with the
// field its error must name. Decoded in-process by test/src/scenario.test.ts; a handful go
// through the CLI in test/adapters/cli/bad-input.test.ts.

// A small, valid scenario every bad case below differs from in exactly one place.
export const base = () => ({
  name: "cli-test",
  durationMs: 10_000,
  hunters: { count: 50 },
  artifacts: { count: 20 },
  topology: { buckets: 4, nodes: 2 },
  faults: [] as Array<Record<string, unknown>>
})

export const crash = (f: Record<string, unknown>) => ({ ...base(), faults: [{ kind: "crash", atMs: 1000, durationMs: 1000, target: 0, ...f }] })

export interface BadCase {
  readonly name: string
  readonly text: string
  readonly field: string
  /** An extra check of the message, when the field alone is ambiguous. */
  readonly message?: RegExp
}

export const json = (v: unknown) => JSON.stringify(v, null, 2)

function geographyCases(): Array<BadCase> {
  const paris = { south: 48.8, west: 2.25, north: 48.9, east: 2.42 }
  const geo = (g: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const { topology: _t, ...rest } = base()
    return json({ ...rest, topology: { nodes: 2 }, ...extra, geography: g })
  }
  return [
    { name: "geography without area or prefixes", text: geo({}), field: "geography.area", message: /prefixes/ },
    { name: "geography area upside down", text: geo({ area: { ...paris, north: 48.7 } }), field: "geography.area.north" },
    { name: "latitude out of range", text: geo({ area: { ...paris, south: -91 } }), field: "geography.area.south" },
    { name: "a prefix that is not a geohash", text: geo({ prefixes: ["u09t", "u09a"] }), field: "geography.prefixes", message: /u09a/ },
    { name: "overlapping prefixes", text: geo({ prefixes: ["u09", "u09t"] }), field: "geography.prefixes", message: /inside/ },
    { name: "too fine a precision for the area", text: geo({ area: { south: -60, west: -170, north: 60, east: 170 }, precision: 7 }), field: "geography.precision", message: /65536/ },
    { name: "topology.buckets contradicting geography", text: geo({ prefixes: ["u09t", "u09w"] }, { topology: { buckets: 5, nodes: 2 } }), field: "topology.buckets", message: /2 in all/ },
    { name: "hotspot shares above 1", text: geo({ area: paris, hunterHotspots: [{ lat: 48.85, lon: 2.3, radiusKm: 1, share: 0.6 }, { lat: 48.86, lon: 2.3, radiusKm: 1, share: 0.6 }] }), field: "geography.hunterHotspots" },
    { name: "viral artifact after the run", text: geo({ area: paris, viral: { lat: 48.85, lon: 2.3, radiusKm: 1, atMs: 20_000, share: 0.5 } }), field: "geography.viral.atMs" }
  ]
}

export const badScenarios: ReadonlyArray<BadCase> = [
  { name: "wrong type", text: json({ ...base(), hunters: { count: "many" } }), field: "hunters.count", message: /many/ },
  { name: "negative count", text: json({ ...base(), hunters: { count: -5 } }), field: "hunters.count" },
  { name: "fractional count", text: json({ ...base(), hunters: { count: 1.5 } }), field: "hunters.count", message: /integer/ },
  { name: "unknown fault kind", text: json(crash({ kind: "meteor" })), field: "faults[0].kind", message: /meteor/ },
  { name: "fault kind missing", text: json({ ...base(), faults: [{ atMs: 1, durationMs: 1, target: 0 }] }), field: "faults[0].kind" },
  { name: "fault starting at the end of the run", text: json(crash({ atMs: 10_000, durationMs: 1 })), field: "faults[0].atMs" },
  { name: "fault starting after the run", text: json(crash({ atMs: 25_000 })), field: "faults[0].atMs" },
  { name: "fault running past the end", text: json(crash({ atMs: 9_000, durationMs: 1_001 })), field: "faults[0].durationMs" },
  { name: "fault on a node that does not exist", text: json(crash({ target: 2 })), field: "faults[0].target", message: /node 2/ },
  {
    name: "the second fault is the bad one",
    text: json({ ...crash({}), faults: [...crash({}).faults, { kind: "pause", atMs: 100, durationMs: 50, target: 9 }] }),
    field: "faults[1].target"
  },
  { name: "unknown top-level field (typo)", text: json({ ...base(), huntrs: { count: 10 } }), field: "huntrs" },
  { name: "unknown nested field", text: json({ ...base(), topology: { buckets: 4, nodes: 2, nodez: 3 } }), field: "topology.nodez" },
  {
    name: "lognormal p99 below its mean",
    text: json({ ...base(), timing: { claim: { kind: "lognormal", meanMs: 1, p99Ms: 0.5 } } }),
    field: "timing.claim.p99Ms"
  },
  {
    name: "lognormal p99 too far above its mean",
    text: json({ ...base(), timing: { claim: { kind: "lognormal", meanMs: 1, p99Ms: 20 } } }),
    field: "timing.claim.p99Ms",
    message: /14\.9/
  },
  { name: "unknown field inside a fault", text: json(crash({ extra: 1 })), field: "faults[0].extra" },
  { name: "open model without ratePerSec", text: json({ ...base(), hunters: { count: 10, behaviour: { model: "open" } } }), field: "hunters.behaviour.ratePerSec" },
  {
    name: "think-time jitter larger than the poll interval",
    text: json({ ...base(), hunters: { count: 10, behaviour: { model: "closed", pollIntervalMs: 100, jitterMs: 500 } } }),
    field: "hunters.behaviour.jitterMs"
  },
  { name: "retry cap below the base delay", text: json({ ...base(), engine: { retries: { baseMs: 100, maxMs: 10 } } }), field: "engine.retries.maxMs" },
  { name: "unknown behaviour model", text: json({ ...base(), hunters: { count: 10, behaviour: { model: "zzz" } } }), field: "hunters.behaviour.model" },
  {
    name: "bucket mapping naming a missing node",
    text: json({ ...base(), topology: { buckets: 2, nodes: 2, mapping: [0, 5] } }),
    field: "topology.mapping[1]"
  },
  ...geographyCases(),
  { name: "sink without a mode", text: json({ ...base(), sink: { insertMs: { kind: "constant", ms: 1 } } }), field: "sink.mode" },
  { name: "unknown sink mode", text: json({ ...base(), sink: { mode: "carrier-pigeon" } }), field: "sink.mode", message: /carrier-pigeon|sync/ },
  { name: "a failure of a worker that does not exist", text: json({ ...base(), workers: { count: 4, failures: [{ worker: 4, atMs: 100, durationMs: 100 }] } }), field: "workers.failures[0].worker", message: /worker 4/ },
  { name: "a failover without a replica", text: json({ ...base(), topology: { buckets: 4, nodes: 2, replicas: false }, faults: [{ kind: "failover", atMs: 1000, durationMs: 1000, target: 0 }] }), field: "faults[0].kind", message: /needs a replica/ },
  { name: "a restart from a replica that does not exist", text: json({ ...base(), topology: { buckets: 4, nodes: 2, replicas: false }, faults: [{ kind: "restart", atMs: 1000, durationMs: 1000, target: 0, from: "replica" }] }), field: "faults[0].from", message: /needs a replica/ },
  { name: "a restart from an unknown source", text: json({ ...base(), faults: [{ kind: "restart", atMs: 1000, durationMs: 1000, target: 0, from: "tape" }] }), field: "faults[0].from" },
  { name: "a reset probability above 1", text: json({ ...base(), faults: [{ kind: "connectionReset", atMs: 1000, durationMs: 1000, target: 0, probability: 1.5 }] }), field: "faults[0].probability" },
  { name: "WAIT without a replica", text: json({ ...base(), topology: { buckets: 4, nodes: 2, replicas: false }, engine: { waitReplicas: { replicas: 1 } } }), field: "engine.waitReplicas", message: /needs a replica/ },
  { name: "WAIT for two replicas", text: json({ ...base(), engine: { waitReplicas: { replicas: 2 } } }), field: "engine.waitReplicas.replicas" },
  { name: "more gateway processes than hunters", text: json({ ...base(), gateway: { processes: 51 } }), field: "gateway.processes", message: /51 processes for 50 hunters/ },
  { name: "a gateway process that holds no connection", text: json({ ...base(), gateway: { maxConnections: 0 } }), field: "gateway.maxConnections" },
  { name: "app tier without workers", text: json({ ...base(), app: { parseMs: { kind: "constant", ms: 1 } } }), field: "app.workers" },
  { name: "subscriber cap without geography", text: json({ ...base(), pipeline: { subscriberCap: 100 } }), field: "pipeline.subscriberCap", message: /geography/ },
  { name: "empty file", text: "", field: "(root)", message: /empty/ },
  { name: "whitespace-only file", text: "  \n\t\n", field: "(root)", message: /empty/ },
  { name: "not JSON", text: "{ hunters: 12,", field: "(root)", message: /JSON/ },
  { name: "a JSON array instead of an object", text: "[1, 2, 3]", field: "(root)", message: /object/ },
  { name: "JSON null", text: "null", field: "(root)", message: /object/ },
  { name: "a JSON string", text: '"default"', field: "(root)", message: /object/ }
]

