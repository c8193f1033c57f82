/**
 * Seeded pseudo-random numbers for the driver: sfc32 (small, fast, passes PractRand to
 * 2^60 bytes) seeded through splitmix32, so nearby seeds give unrelated streams.
 * The whole simulation draws from one generator in event order, which is what makes a
 * run replayable from its seed.
 */
export class Prng {
  // The state lives in an Int32Array, not in four fields: where V8 compresses pointers (as
  // Chromium does) small integers have 31 bits, so int32 fields would be boxed doubles.
  private readonly st = new Int32Array(4)

  /** Example: `new Prng(42).next()` is the same number on every machine. */
  constructor(seed: number) {
    let s = seed >>> 0
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.st[0] = mix()
    this.st[1] = mix()
    this.st[2] = mix()
    this.st[3] = mix()
    for (let i = 0; i < 12; i++) this.nextU32()
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const st = this.st
    const a = st[0], b = st[1], c = st[2], d = st[3]
    const t = (((a + b) | 0) + d) | 0
    st[3] = (d + 1) | 0
    st[0] = b ^ (b >>> 9)
    st[1] = (c + (c << 3)) | 0
    const r = (c << 21) | (c >>> 11)
    st[2] = (r + t) | 0
    return t >>> 0
  }

  /** A uniform float in [0, 1). Example: `rng.next() < 0.5` is a fair coin. */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** A uniform integer in [0, n). Example: `rng.int(6) + 1` is a die roll. */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
}
