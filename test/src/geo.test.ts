// The dense cell grid against the geohash library it stands in for on the hot path.
import fc from "fast-check"
import ngeohash from "ngeohash"
import { describe, expect, it } from "vitest"
import { GeoGrid, bucketPrefixProblem, cellBounds, cellsCovering } from "../../src/geo.ts"
import { checkProperty } from "../support/property.ts"

const FILE = "test/src/geo.test.ts"

describe("GeoGrid", () => {
  it("puts every point in the bucket whose prefix ngeohash.encode gives it, at precisions 1–7", () => {
    checkProperty(
      "grid = ngeohash.encode",
      FILE,
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: -89, max: 89, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 40 }),
        (precision, lat, lon, points) => {
          // A small area around (lat, lon): a few cells of this precision across.
          const cell = cellBounds(ngeohash.encode(lat, lon, precision))
          const h = (cell.north - cell.south) * 2.5, w = (cell.east - cell.west) * 2.5
          const area = { south: Math.max(-90, lat - h), north: Math.min(90, lat + h), west: Math.max(-180, lon - w), east: Math.min(180, lon + w) }
          const cells = cellsCovering(area, precision)
          const grid = new GeoGrid(cells)
          for (const [u, v] of points) {
            const plat = area.south + (area.north - area.south) * u, plon = area.west + (area.east - area.west) * v
            const want = ngeohash.encode(plat, plon, precision)
            expect(cells[grid.bucketAt(plat, plon)]).toBe(want)
          }
        }
      ),
      { numRuns: 200 }
    )
  })

  it("maps mixed-length prefixes to the right bucket and leaves gaps at -1", () => {
    const prefixes = ["u09t", "u09wh", "u09wj"]
    const grid = new GeoGrid(prefixes)
    for (let i = 0; i < 2000; i++) {
      const lat = grid.area.south + ((grid.area.north - grid.area.south) * ((i * 7919) % 2000)) / 2000
      const lon = grid.area.west + ((grid.area.east - grid.area.west) * ((i * 104729) % 1999)) / 1999
      const g5 = ngeohash.encode(lat, lon, 5)
      const want = prefixes.findIndex((p) => g5.startsWith(p))
      expect(grid.bucketAt(lat, lon)).toBe(want)
    }
    expect(grid.bucketAt(0, 0)).toBe(-1)
  })

  it("covers an area with cells that all touch it", () => {
    const area = { south: 48.8, west: 2.25, north: 48.9, east: 2.42 }
    const cells = cellsCovering(area, 6)
    expect(cells.length).toBeGreaterThan(100)
    for (const c of cells) {
      const b = cellBounds(c)
      expect(b.north > area.south && b.south < area.north && b.east > area.west && b.west < area.east).toBe(true)
    }
  })

  it("rejects bad prefix lists with the reason", () => {
    expect(bucketPrefixProblem(["u09t", "u09w"])).toBeUndefined()
    expect(bucketPrefixProblem(["u09t", "u09t"])).toMatch(/twice/)
    expect(bucketPrefixProblem(["u0", "u09t"])).toMatch(/inside "u0"/)
    expect(bucketPrefixProblem(["u0a"])).toMatch(/not a geohash/)
    expect(bucketPrefixProblem(["u09tvw000"])).toMatch(/finer than 8/)
  })
})
