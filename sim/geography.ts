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
  /** Bucket changes of moving hunters. */
  crossings = 0

  /** Example: `const m = new HunterMap(scenario, cells, rng); m.bucketOf(0)`. */
  constructor(s: Scenario, cells: ReadonlyArray<string>, rng: Uniform) {
    const g = s.geography!
    this.grid = new GeoGrid(cells)
    const H = s.hunters.count
    this.lat = new Float64Array(H)
    this.lon = new Float64Array(H)
    this.spots = g.hunterHotspots
    this.speedKmPerMs = g.movement ? g.movement.speedMps / 1e6 : 0
    this.viral = g.viral ? { ...g.viral } : undefined
    this.rushKmPerMs = g.viral?.speedMps !== undefined && this.speedKmPerMs > 0 ? g.viral.speedMps / 1e6 : this.speedKmPerMs
    this.drawn = new Uint8Array(H)
    for (let h = 0; h < H; h++) {
      this.place(this.spots, rng)
      this.lat[h] = this.pLat
      this.lon[h] = this.pLon
    }
    const moving = this.speedKmPerMs > 0
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
  private pLat = 0
  private pLon = 0
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
   */
  moveTo(h: number, t: number, rng: Uniform): number {
    if (this.speedKmPerMs === 0) return this.bucketOf(h)
    const dt = t - this.movedAt[h]
    this.movedAt[h] = t
    const lat = this.lat[h], lon = this.lon[h]
    const kx = kmPerDegLon(lat), ky = 1 / degLat(1)
    const dx = (this.wpLon[h] - lon) * kx, dy = (this.wpLat[h] - lat) * ky
    const dist = Math.hypot(dx, dy), step = (this.drawn[h] === 1 ? this.rushKmPerMs : this.speedKmPerMs) * dt
    if (step >= dist) {
      this.lat[h] = this.wpLat[h]
      this.lon[h] = this.wpLon[h]
      this.place(this.drawn[h] === 1 && this.viral ? [{ ...this.viral, share: 1 }] : this.spots, rng)
      this.wpLat[h] = this.pLat
      this.wpLon[h] = this.pLon
    } else if (dist > 0) {
      this.lat[h] = lat + (dy / dist) * (step / ky)
      this.lon[h] = lon + (dx / dist) * (step / kx)
    }
    return this.bucketOf(h)
  }

  /**
   * The viral artifact appears: each hunter joins with probability `share`. Walking hunters
   * head for it; without movement they are there at once. Returns how many joined.
   */
  goViral(t: number, rng: Uniform): number {
    const v = this.viral
    if (v === undefined) return 0
    const near = [{ ...v, share: 1 }]
    let joined = 0
    for (let h = 0; h < this.lat.length; h++) {
      if (rng.next() >= v.share) continue
      joined++
      this.drawn[h] = 1
      if (this.speedKmPerMs > 0) {
        this.moveTo(h, t, rng) // settle the walk so far before turning
        this.place(near, rng)
        this.wpLat[h] = this.pLat
        this.wpLon[h] = this.pLon
      } else {
        this.place(near, rng)
        this.lat[h] = this.pLat
        this.lon[h] = this.pLon
      }
    }
    return joined
  }
}
