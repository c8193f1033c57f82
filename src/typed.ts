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
