/**
 * Seeded pseudo-random numbers for the driver: sfc32 (small, fast, passes PractRand to
 * 2^60 bytes) seeded through splitmix32, so nearby seeds give unrelated streams.
 * The whole simulation draws from one generator in event order, which is what makes a
 * run replayable from its seed.
 */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

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
    this.a = mix()
    this.b = mix()
    this.c = mix()
    this.d = mix()
    for (let i = 0; i < 12; i++) this.nextU32()
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d
    const t = (((a + b) | 0) + d) | 0
    this.d = (d + 1) | 0
    this.a = b ^ (b >>> 9)
    this.b = (c + (c << 3)) | 0
    const r = (c << 21) | (c >>> 11)
    this.c = (r + t) | 0
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
