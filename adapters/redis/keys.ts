/**
 * Key naming on Redis. A run's keys live in its own namespace, `<prefix>:<runId>:`, where
 * huntbench adds the separator itself, so `--prefix foo` can never reach `foobar` or
 * `fooapp:…`; and every key carries its bucket's hash tag, so one claim touches one slot.
 * Besides the claim keys a namespace holds one marker (`…:run`) saying which huntbench run
 * owns it: a run refuses a namespace that already has keys, and a later cleanup refuses one
 * without the marker, so cleanup only ever deletes keys a huntbench run created there.
 */
import { bucketTag } from "../../src/engine/routing.ts"

/** The prefix used when the user gives none. */
export const DEFAULT_PREFIX = "huntbench"

/** What a run id may be: safe in a key and in a SCAN pattern (no glob characters). */
const RUN_ID = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Check a `--run-id` value; returns the problem or undefined. Example:
 * `runIdProblem("a*")` → `expected 1–64 letters, digits, . _ or -, got "a*"`.
 */
export const runIdProblem = (id: string | undefined): string | undefined =>
  id !== undefined && RUN_ID.test(id) ? undefined : `expected 1–64 letters, digits, . _ or -, got ${JSON.stringify(id ?? "")}`

/**
 * The prefix as used in keys: one trailing `:` is dropped, since huntbench adds the
 * separator itself. Example: `normalizePrefix("foo:") === "foo"`.
 */
export const normalizePrefix = (prefix: string): string => (prefix.endsWith(":") ? prefix.slice(0, -1) : prefix)

/**
 * Check a prefix (before normalizing): non-empty, no braces (they would become the hash tag
 * instead of the bucket), no glob characters or white space (the namespace is SCANned).
 * Returns a problem or undefined. Example: `prefixProblem("a*")` names the glob character.
 */
export const prefixProblem = (prefix: string): string | undefined => {
  if (normalizePrefix(prefix).length === 0) return "must not be empty"
  if (/[{}]/.test(prefix)) return "must not contain { or } (the bucket's {b…} hash tag must be the key's only one)"
  if (/[*?[\]\\]/.test(prefix)) return "must not contain glob characters * ? [ ] \\"
  if (/\s/.test(prefix)) return "must not contain white space"
  if (prefix.length > 200) return "must be at most 200 characters"
  return undefined
}

/**
 * The namespace of one run's keys. Example: `runNamespace("foo", "r1") === "foo:r1:"`,
 * `runNamespace(undefined, "r1") === "huntbench:r1:"`.
 */
export const runNamespace = (prefix: string | undefined, runId: string): string =>
  `${normalizePrefix(prefix ?? DEFAULT_PREFIX)}:${runId}:`

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

export class Keys {
  /** The run's namespace, ending in `:`. */
  readonly prefix: string
  private readonly own: RegExp
  /** Example: `new Keys("huntbench:r1:").artifact(3, 17) === "huntbench:r1:{b3}:artifact:17"`. */
  constructor(namespace: string) {
    this.prefix = namespace
    this.own = new RegExp(`^${escapeRe(namespace)}(?:\\{b\\d+\\}:(?:artifact:\\d+|balance:\\d+|idem:\\d+|stream|stream:appended)|run)$`)
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
  /** The marker that says a huntbench run owns this namespace. */
  marker(): string {
    return `${this.prefix}run`
  }
  /** The SCAN pattern of the namespace (safe: neither prefix nor run id has glob characters). */
  scanPattern(): string {
    return `${this.prefix}*`
  }
  /**
   * Whether `key` has the exact shape of a key this run writes. Example:
   * `new Keys("foo:r1:").isOwn("foo:r1:{b2}:balance:7") === true`, `…isOwn("foo:r1:x") === false`.
   */
  isOwn(key: string): boolean {
    return this.own.test(key)
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
