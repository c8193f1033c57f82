/**
 * Where hunters and artifacts are on the map, and how hunters move. Positions are drawn
 * from the driver's generator (set-up, then in event order), so a run stays replayable.
 * Movement is random-waypoint: a hunter walks at a constant speed toward a point drawn like
 * its starting place, then draws the next; its position is brought up to date lazily, when
 * it starts a task, which is also when its bucket is looked up again.
 */
import type { Uniform } from "../src/distributions.ts"
import { GeoGrid, degLat, kmPerDegLon } from "../src/geo.ts"
import type { Scenario } from "../src/scenario.ts"
import { F64 } from "../src/typed.ts"

type Spot = { readonly lat: number; readonly lon: number; readonly radiusKm: number; readonly share: number }

export class HunterMap {
  readonly grid: GeoGrid
  readonly lat: Float64Array
  readonly lon: Float64Array
  private readonly wpLat: Float64Array
  private readonly wpLon: Float64Array
  private readonly movedAt: Float64Array
  /** 1 for hunters that went after the viral artifact (their next waypoints stay near it). */
  readonly drawn: Uint8Array
  private readonly spots: ReadonlyArray<Spot>
  private readonly speedKmPerMs: number
  private readonly rushKmPerMs: number
  private readonly viral: Spot | undefined
  /**
   * Per hunter: its bucket — the workload's `hunterBucket`, the same array, which the driver
   * updates when a step changes it — and until when it cannot leave it (see moveTo).
   */
  readonly bucket: Int32Array
  private readonly quietUntil: Float64Array
  /** Buckets whose hunters are followed at every step. */
  private readonly track: Uint8Array
  private readonly viralSpots: ReadonlyArray<Spot>
  /** Kilometres per degree of longitude (at the map's middle latitude) and of latitude. */
  private readonly kx: number
  private readonly ky: number

  /** Example: `const m = new HunterMap(scenario, cells, rng); m.bucketOf(0)`. */
  constructor(s: Scenario, cells: ReadonlyArray<string>, rng: Uniform) {
    const g = s.geography!
    this.grid = new GeoGrid(cells)
    this.kx = kmPerDegLon((this.grid.area.south + this.grid.area.north) / 2)
    this.ky = 1 / degLat(1)
    const H = s.hunters.count
    this.lat = new Float64Array(H)
    this.lon = new Float64Array(H)
    this.spots = g.hunterHotspots
    this.speedKmPerMs = g.movement ? g.movement.speedMps / 1e6 : 0
    this.viral = g.viral ? { ...g.viral } : undefined
    this.viralSpots = g.viral ? [{ ...g.viral, share: 1 }] : []
    this.rushKmPerMs = g.viral?.speedMps !== undefined && this.speedKmPerMs > 0 ? g.viral.speedMps / 1e6 : this.speedKmPerMs
    this.drawn = new Uint8Array(H)
    for (let h = 0; h < H; h++) {
      this.place(this.spots, rng)
      this.lat[h] = this.pLat
      this.lon[h] = this.pLon
    }
    const moving = this.speedKmPerMs > 0
    this.bucket = new Int32Array(H)
    for (let h = 0; h < H; h++) this.bucket[h] = this.bucketOf(h)
    this.quietUntil = new Float64Array(moving ? H : 0)
    this.track = new Uint8Array(cells.length)
    this.wpLat = new Float64Array(moving ? H : 0)
    this.wpLon = new Float64Array(moving ? H : 0)
    this.movedAt = new Float64Array(moving ? H : 0)
    if (moving) {
      for (let h = 0; h < H; h++) {
        this.place(this.spots, rng)
        this.wpLat[h] = this.pLat
        this.wpLon[h] = this.pLon
      }
    }
  }

  // The last point drawn by `place` (no allocation per draw).
  private pLat = F64
  private pLon = F64
  get pointLat(): number {
    return this.pLat
  }
  get pointLon(): number {
    return this.pLon
  }

  /**
   * Draw a point: near spot i with probability spots[i].share (uniform in its disc), else
   * uniform over the map; always inside some bucket (redrawn otherwise, as a real user
   * outside the map would not be playing).
   */
  place(spots: ReadonlyArray<Spot>, rng: Uniform): void {
    const a = this.grid.area
    for (let tries = 0; tries < 64; tries++) {
      let u = rng.next()
      let spot: Spot | undefined
      for (const sp of spots) {
        if (u < sp.share) {
          spot = sp
          break
        }
        u -= sp.share
      }
      let lat: number, lon: number
      if (spot !== undefined) {
        const r = spot.radiusKm * Math.sqrt(rng.next()), th = 2 * Math.PI * rng.next()
        lat = spot.lat + degLat(r * Math.sin(th))
        lon = spot.lon + (r * Math.cos(th)) / kmPerDegLon(spot.lat)
      } else {
        lat = a.south + (a.north - a.south) * rng.next()
        lon = a.west + (a.east - a.west) * rng.next()
      }
      if (this.grid.bucketAt(lat, lon) >= 0) {
        this.pLat = lat
        this.pLon = lon
        return
      }
    }
    // A spot mostly off the map: fall back to the centre of a random bucket.
    const b = this.grid.bounds[Math.floor(rng.next() * this.grid.bounds.length)]
    this.pLat = (b.south + b.north) / 2
    this.pLon = (b.west + b.east) / 2
  }

  /** The bucket hunter `h` is in now (after `moveTo`). */
  bucketOf(h: number): number {
    return this.grid.bucketAt(this.lat[h], this.lon[h])
  }

  /**
   * Walk hunter `h` toward its waypoint for the time since it last moved; on reaching it,
   * draw the next. Returns its bucket at `t`.
   *
   * A walker is slow next to a cell (1.4 m/s against ~700 m), so after each step it is left
   * alone until it could first reach its bucket's edge or its waypoint (`quietUntil`): its
   * bucket cannot change before then, and its position is only needed at that point —
   * motion is linear, so catching up later lands on the same line. Buckets that track
   * hunters more finely (a split's child cells) opt out with `track`.
   */
  moveTo(h: number, t: number, rng: Uniform): number {
    if (this.speedKmPerMs === 0) return this.bucketOf(h)
    if (t < this.quietUntil[h]) return this.bucket[h]
    const dt = t - this.movedAt[h]
    this.movedAt[h] = t
    const lat = this.lat[h], lon = this.lon[h]
    // A city-sized map: one scale for the whole map (its middle latitude) is close enough,
    // and saves a cosine per step (Math.hypot is also notably slower than the sqrt).
    const kx = this.kx, ky = this.ky
    const dx = (this.wpLon[h] - lon) * kx, dy = (this.wpLat[h] - lat) * ky
    const speed = this.drawn[h] === 1 ? this.rushKmPerMs : this.speedKmPerMs
    const dist = Math.sqrt(dx * dx + dy * dy), step = speed * dt
    let left: number
    if (step >= dist) {
      this.lat[h] = this.wpLat[h]
      this.lon[h] = this.wpLon[h]
      this.place(this.drawn[h] === 1 && this.viralSpots.length > 0 ? this.viralSpots : this.spots, rng)
      this.wpLat[h] = this.pLat
      this.wpLon[h] = this.pLon
      const ex = (this.pLon - this.lon[h]) * kx, ey = (this.pLat - this.lat[h]) * ky
      left = Math.sqrt(ex * ex + ey * ey)
    } else {
      if (dist > 0) {
        this.lat[h] = lat + (dy / dist) * (step / ky)
        this.lon[h] = lon + (dx / dist) * (step / kx)
      }
      left = dist - step
    }
    // Between two explicit prefixes a straight walk may cross a gap no bucket covers: the
    // hunter keeps its last bucket there (and is looked at again next step).
    const at = this.bucketOf(h)
    const b = at >= 0 ? at : this.bucket[h]
    if (at >= 0 && this.track[b] === 0) {
      const box = this.grid.bounds[b], la = this.lat[h], lo = this.lon[h]
      const edge = Math.min((la - box.south) * ky, (box.north - la) * ky, (lo - box.west) * kx, (box.east - lo) * kx)
      this.quietUntil[h] = t + Math.min(Math.max(0, edge), left) / speed
    } else this.quietUntil[h] = t
    return b
  }

  /**
   * Follow every step of the hunters in bucket `b` from `t` on (a split's child cells need
   * it): bring their positions up to `t` first — along their line, stopping at a waypoint
   * reached meanwhile (the next one is drawn at their next step, as it would have been).
   */
  trackBucket(b: number, t: number): void {
    this.track[b] = 1
    if (this.speedKmPerMs === 0) return
    for (let h = 0; h < this.bucket.length; h++) {
      if (this.bucket[h] !== b) continue
      const lat = this.lat[h], lon = this.lon[h]
      const dx = (this.wpLon[h] - lon) * this.kx, dy = (this.wpLat[h] - lat) * this.ky
      const dist = Math.sqrt(dx * dx + dy * dy)
      const step = (this.drawn[h] === 1 ? this.rushKmPerMs : this.speedKmPerMs) * (t - this.movedAt[h])
      if (dist > 0) {
        const f = Math.min(1, step / dist)
        this.lat[h] = lat + (this.wpLat[h] - lat) * f
        this.lon[h] = lon + (this.wpLon[h] - lon) * f
      }
      this.movedAt[h] = t
      this.quietUntil[h] = 0
    }
  }

  /**
   * The viral artifact appears: each hunter joins with probability `share`. Walking hunters
   * head for it; without movement they are there at once. Returns how many joined.
   */
  goViral(t: number, rng: Uniform): number {
    const v = this.viral
    if (v === undefined) return 0
    const near = this.viralSpots
    let joined = 0
    for (let h = 0; h < this.lat.length; h++) {
      if (rng.next() >= v.share) continue
      joined++
      if (this.speedKmPerMs > 0) {
        this.quietUntil[h] = 0
        this.moveTo(h, t, rng) // settle the walk so far (at walking speed) before turning
        this.drawn[h] = 1
        this.place(near, rng)
        this.wpLat[h] = this.pLat
        this.wpLon[h] = this.pLon
        this.quietUntil[h] = t // a new heading: the next step is computed afresh
      } else {
        this.drawn[h] = 1
        this.place(near, rng)
        this.lat[h] = this.pLat
        this.lon[h] = this.pLon
      }
    }
    return joined
  }
}
