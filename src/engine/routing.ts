/**
 * Routing: bucket → node. Every key a claim touches carries the bucket's hash tag
 * (`{b42}:artifact:…`), so a bucket lives wholly on one node.
 */
import type { Scenario } from "../scenario.ts"

/**
 * The node owning each bucket. Example: with 4 buckets, 2 nodes and `"modulo"` mapping,
 * `bucketToNode(s)` is `[0, 1, 0, 1]`; with `"block"` it is `[0, 0, 1, 1]`.
 */
export const bucketToNode = (topology: Scenario["topology"]): Int32Array => {
  const { buckets, nodes, mapping } = topology
  const out = new Int32Array(buckets)
  for (let b = 0; b < buckets; b++) {
    out[b] = Array.isArray(mapping)
      ? mapping[b]
      : mapping === "modulo"
        ? b % nodes
        : Math.min(nodes - 1, Math.floor((b * nodes) / buckets))
  }
  return out
}

/** The Redis hash tag of a bucket, shared by all of its keys. Example: `bucketTag(42) === "{b42}"`. */
export const bucketTag = (bucket: number): string => `{b${bucket}}`
