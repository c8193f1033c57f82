/** The map: hunters walking between geohash buckets and the viral artifact (scenario `geography`). */
import { bucketLabel, num, type Tier } from "./tier.ts"

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
