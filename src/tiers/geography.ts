/** The map: hunters walking between geohash buckets and the viral artifact (scenario `geography`). */
import { Schema } from "effect"
import { bucketPrefixProblem, cellsCovering } from "../geo.ts"
import { valueAt } from "../issues.ts"
import type { Scenario } from "../scenario.ts"
import { Fraction, Lat, Lon, N, NonNegative, Positive, withDefault } from "../schema-parts.ts"
import { bucketLabel, num, type Tier, type Problem } from "./tier.ts"

/** A place that draws a share of hunters (or artifacts): uniform in a disc of radiusKm. */
const Spot = Schema.Struct({ lat: Lat, lon: Lon, radiusKm: Positive, share: Fraction })

/**
 * Geography: buckets are geohash cells — those of `precision` characters covering `area`,
 * or an explicit `prefixes` list — and hunters and artifacts have coordinates. With it,
 * `topology.buckets` is the number of cells.
 */
export const GeographySchema = Schema.Struct({
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

/** With geography: hunters that changed bucket while walking, and those the viral artifact drew. */
export const GeographyReportSchema = Schema.Struct({ crossings: N, viralJoined: N })

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

export const geographyTier: Tier = {
  key: "geography",
  figures: [],
  summary: (r) => {
    const s = r.scenario
    const crowded = [...r.buckets].sort((a, b) => (b.maxHunters ?? 0) - (a.maxHunters ?? 0) || a.bucket - b.bucket)[0]
    if (!r.geography || !crowded) return undefined
    return {
      title: "Geography",
      rows: [
        ["most hunters", `${bucketLabel(crowded)} ${num(crowded.maxHunters ?? 0)} at most`],
        ["crossings", `${num(r.geography.crossings)} bucket changes while walking`],
        ...(s.geography?.viral ? [["viral", `${num(r.geography.viralJoined)} hunters drawn at ${num(s.geography.viral.atMs / 1000)} s`] as const] : [])
      ]
    }
  }
}
