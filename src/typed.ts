/**
 * A copy of `a` in a new typed array of the same kind with `length` elements, the tail
 * zeroed: how the struct-of-arrays stores (event queues, request slots) grow.
 * Example: `grown(new Int32Array([1, 2]), 4)` is `Int32Array [1, 2, 0, 0]`.
 */
export const grown = <A extends Float64Array | Int32Array>(a: A, length: number): A => {
  const b = new (a.constructor as new (n: number) => A)(length)
  b.set(a)
  return b
}

/**
 * The starting value of a number field that will hold fractions or values beyond 31 bits
 * (times, sums of microseconds). V8 gives a field the representation of its first value: one
 * that starts as a small integer and later gets a fraction changes its object's hidden class
 * mid-run, which discards the optimized code that touched it (measured on the reference hunt:
 * a deopt when the first replication-lag window began at minute 30, and a histogram sum
 * passing 2^31 made `add` deoptimize on every call for the rest of the run). -0 is a double,
 * so the field is one from the start. A field that may be read before it is set gets 0 in the
 * constructor (it stays a double), so no -0 shows through.
 * Example: `class Clock { now = F64 }`.
 */
export const F64 = -0
