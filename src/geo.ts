/**
 * Geography: buckets as geohash cells. The cell list and each cell's bounds come from
 * ngeohash (a maintained library); the hot path — which bucket a moving hunter is in — is
 * a lookup in a dense grid aligned to the geohash cells of the finest precision in use,
 * which gives the same cell as `ngeohash.encode` (tested on random points) without
 * building a string per request.
 */
import ngeohash from "ngeohash"

export interface Area {
  readonly south: number
  readonly west: number
  readonly north: number
  readonly east: number
}

const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"

/** Is `s` a geohash (1–12 characters of the geohash base-32 alphabet)? */
export const isGeohash = (s: string): boolean => s.length >= 1 && s.length <= 12 && [...s].every((c) => BASE32.includes(c))

/**
 * The geohash cells of `precision` characters that cover `area`, sorted. Example:
 * `cellsCovering({ south: 48.80, west: 2.25, north: 48.90, east: 2.42 }, 5).length === 15`.
 */
export const cellsCovering = (area: Area, precision: number): Array<string> =>
  [...new Set(ngeohash.bboxes(area.south, area.west, area.north, area.east, precision))].sort()

/** A cell's bounds. Example: `cellBounds("u09tv")` ≈ `{ south: 48.823, west: 2.329, north: 48.867, east: 2.373 }`. */
export const cellBounds = (cell: string): Area => {
  const [south, west, north, east] = ngeohash.decode_bbox(cell)
  return { south, west, north, east }
}

/** The first problem with a list of bucket prefixes, or undefined. Example: `["u0", "u09"]` overlap. */
export const bucketPrefixProblem = (prefixes: ReadonlyArray<string>): string | undefined => {
  const seen = new Set<string>()
  for (const p of prefixes) {
    if (!isGeohash(p)) return `${JSON.stringify(p)} is not a geohash (1–12 characters of ${BASE32})`
    if (p.length > 8) return `${JSON.stringify(p)} is finer than 8 characters (cells under 40 m)`
    if (seen.has(p)) return `${JSON.stringify(p)} is listed twice`
    seen.add(p)
  }
  for (const p of prefixes)
    for (let k = 1; k < p.length; k++) if (seen.has(p.slice(0, k))) return `${JSON.stringify(p)} lies inside ${JSON.stringify(p.slice(0, k))}`
  return undefined
}

const KM_PER_DEG_LAT = 111.32

/**
 * The dense cell grid: the bounding box of all buckets, cut into geohash cells of the
 * finest precision among them, each mapped to its bucket (or -1 where no bucket is).
 * Example: `const g = new GeoGrid(["u09tu", "u09tv"]); g.bucketAt(48.85, 2.35) === 1`.
 */
export class GeoGrid {
  readonly prefixes: ReadonlyArray<string>
  readonly bounds: ReadonlyArray<Area>
  /** The grid's extent (the union of the buckets' bounding boxes). */
  readonly area: Area
  private readonly cellLat: number
  private readonly cellLon: number
  private readonly x0: number
  private readonly y0: number
  private readonly nx: number
  private readonly ny: number
  private readonly grid: Int32Array
  private readonly lonBits: number
  private readonly latBits: number

  constructor(prefixes: ReadonlyArray<string>) {
    this.prefixes = prefixes
    this.bounds = prefixes.map(cellBounds)
    const precision = Math.max(...prefixes.map((p) => p.length))
    const bits = 5 * precision
    const lonBits = (this.lonBits = Math.ceil(bits / 2)), latBits = (this.latBits = Math.floor(bits / 2))
    this.cellLon = 360 / 2 ** lonBits
    this.cellLat = 180 / 2 ** latBits
    const south = Math.min(...this.bounds.map((b) => b.south)), north = Math.max(...this.bounds.map((b) => b.north))
    const west = Math.min(...this.bounds.map((b) => b.west)), east = Math.max(...this.bounds.map((b) => b.east))
    this.area = { south, west, north, east }
    this.x0 = Math.round((west + 180) / this.cellLon)
    this.y0 = Math.round((south + 90) / this.cellLat)
    this.nx = Math.round((east + 180) / this.cellLon) - this.x0
    this.ny = Math.round((north + 90) / this.cellLat) - this.y0
    if (this.nx * this.ny > 1 << 24) throw new Error(`the buckets span ${this.nx * this.ny} grid cells; use coarser or closer prefixes`)
    this.grid = new Int32Array(this.nx * this.ny).fill(-1)
    this.bounds.forEach((b, bucket) => {
      const xa = Math.round((b.west + 180) / this.cellLon) - this.x0, xb = Math.round((b.east + 180) / this.cellLon) - this.x0
      const ya = Math.round((b.south + 90) / this.cellLat) - this.y0, yb = Math.round((b.north + 90) / this.cellLat) - this.y0
      for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) this.grid[y * this.nx + x] = bucket
    })
  }

  /** The bucket holding a point, or -1 outside every bucket. */
  bucketAt(lat: number, lon: number): number {
    const x = cellIndex(lon, 180, this.cellLon, this.lonBits) - this.x0
    const y = cellIndex(lat, 90, this.cellLat, this.latBits) - this.y0
    if (x < 0 || y < 0 || x >= this.nx || y >= this.ny) return -1
    return this.grid[y * this.nx + x]
  }
}

/**
 * Which of the 2^bits cells across [-range, range] holds v, as geohash bisection decides
 * (a value exactly on a border belongs to the lower cell). The division is exact enough
 * away from borders; within 1e-9 of one, the bisection itself settles it.
 */
const cellIndex = (v: number, range: number, cell: number, bits: number): number => {
  const f = (v + range) / cell
  const i = Math.floor(f)
  if (f - i > 1e-9 && i + 1 - f > 1e-9) return i
  let lo = -range, hi = range, x = 0
  for (let b = 0; b < bits; b++) {
    const mid = (lo + hi) / 2
    if (v > mid) {
      x = 2 * x + 1
      lo = mid
    } else {
      x = 2 * x
      hi = mid
    }
  }
  return x
}

/** Kilometres per degree of longitude at latitude `lat`. */
export const kmPerDegLon = (lat: number): number => KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)

/** Degrees of latitude in `km`. */
export const degLat = (km: number): number => km / KM_PER_DEG_LAT

/** Distance in metres between two nearby points (equirectangular; fine at city scale). */
export const metresBetween = (lat1: number, lon1: number, lat2: number, lon2: number): number => {
  const dy = (lat2 - lat1) * KM_PER_DEG_LAT
  const dx = (lon2 - lon1) * kmPerDegLon((lat1 + lat2) / 2)
  return Math.hypot(dx, dy) * 1000
}
