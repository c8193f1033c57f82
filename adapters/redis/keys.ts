/**
 * Key naming on Redis. Every key huntbench writes starts with the run's prefix (default
 * `huntbench:<runId>:`) and carries its bucket's hash tag, so one claim touches one slot.
 */
import { bucketTag } from "../../src/engine/routing.ts"

/** Default prefix for a run. Example: `defaultPrefix("r1") === "huntbench:r1:"`. */
export const defaultPrefix = (runId: string): string => `huntbench:${runId}:`

/**
 * Check a prefix: non-empty, no braces (they would become the hash tag instead of the
 * bucket), no glob characters (cleanup SCANs with it). Returns a problem or undefined.
 */
export const prefixProblem = (prefix: string): string | undefined => {
  if (prefix.length === 0) return "must not be empty"
  if (/[{}]/.test(prefix)) return "must not contain { or } (the bucket's {b…} hash tag must be the key's only one)"
  if (/[*?[\]\\]/.test(prefix)) return "must not contain glob characters * ? [ ] \\"
  return undefined
}

export class Keys {
  readonly prefix: string
  /** Example: `new Keys("huntbench:r1:").artifact(3, 17) === "huntbench:r1:{b3}:artifact:17"`. */
  constructor(prefix: string) {
    this.prefix = prefix
  }
  /** Everything up to the per-key suffix: `huntbench:r1:{b3}:`. */
  bucketBase(bucket: number): string {
    return `${this.prefix}${bucketTag(bucket)}:`
  }
  artifact(bucket: number, artifact: number): string {
    return `${this.bucketBase(bucket)}artifact:${artifact}`
  }
  balance(bucket: number, hunter: number): string {
    return `${this.bucketBase(bucket)}balance:${hunter}`
  }
  stream(bucket: number): string {
    return `${this.bucketBase(bucket)}stream`
  }
  streamAppended(bucket: number): string {
    return `${this.bucketBase(bucket)}stream:appended`
  }
  idem(bucket: number, requestKey: number): string {
    return `${this.bucketBase(bucket)}idem:${requestKey}`
  }
  channel(bucket: number): string {
    return `${this.prefix}diffs:${bucket}`
  }
  /** The SCAN pattern matching every key of this run. */
  all(): string {
    return `${this.prefix}*`
  }
}

/**
 * A Redis URL with any password replaced, for logs and reports. Example:
 * `redactUrl("redis://:s3cret@h:6379/0") === "redis://:***@h:6379/0"`.
 */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    if (u.password) u.password = "***"
    return u.toString().replace(/\/$/, "")
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@")
  }
}
