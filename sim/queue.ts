/**
 * Event queues for the discrete-event driver. Both order events by (time, insertion
 * sequence), so events at the same virtual time pop in the order they were scheduled —
 * the rule that makes a run deterministic. Payloads are int32 (the driver packs an event
 * kind and an id into one), stored in typed arrays so the hot loop allocates nothing.
 */
export interface EventQueue {
  /** Schedule `payload` at virtual time `time` (ms). */
  push(time: number, payload: number): void
  /** Remove the earliest event and return its payload; its time is then in `time`. */
  pop(): number
  /** The time of the event last popped. */
  time: number
  readonly size: number
}

/**
 * A binary min-heap over struct-of-arrays storage (times, sequence numbers, payloads).
 * Example: `const q = new EventHeap(); q.push(5, 1); q.push(2, 7); q.pop() === 7`.
 */
export class EventHeap implements EventQueue {
  private times: Float64Array
  private seqs: Float64Array
  private payloads: Int32Array
  private n = 0
  private seq = 0
  time = 0

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity)
    this.seqs = new Float64Array(capacity)
    this.payloads = new Int32Array(capacity)
  }

  get size(): number {
    return this.n
  }

  /** The earliest scheduled time, without removing it (undefined contents when empty). */
  peekTime(): number {
    return this.times[0]
  }

  private grow(): void {
    const cap = this.times.length * 2
    const t = new Float64Array(cap), s = new Float64Array(cap), p = new Int32Array(cap)
    t.set(this.times)
    s.set(this.seqs)
    p.set(this.payloads)
    this.times = t
    this.seqs = s
    this.payloads = p
  }

  push(time: number, payload: number): void {
    if (this.n === this.times.length) this.grow()
    const times = this.times, seqs = this.seqs, payloads = this.payloads
    const sq = this.seq++
    let i = this.n++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const pt = times[parent]
      if (pt < time || (pt === time && seqs[parent] < sq)) break
      times[i] = pt
      seqs[i] = seqs[parent]
      payloads[i] = payloads[parent]
      i = parent
    }
    times[i] = time
    seqs[i] = sq
    payloads[i] = payload
  }

  pop(): number {
    const times = this.times, seqs = this.seqs, payloads = this.payloads
    const top = payloads[0]
    this.time = times[0]
    const n = --this.n
    if (n === 0) return top
    const t = times[n], s = seqs[n], p = payloads[n]
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const r = c + 1
      if (r < n && (times[r] < times[c] || (times[r] === times[c] && seqs[r] < seqs[c]))) c = r
      const ct = times[c]
      if (t < ct || (t === ct && s < seqs[c])) break
      times[i] = ct
      seqs[i] = seqs[c]
      payloads[i] = payloads[c]
      i = c
    }
    times[i] = t
    seqs[i] = s
    payloads[i] = p
    return top
  }
}

/**
 * A hashed timing wheel: `slots` buckets of `slotMs` each cover the near future; events
 * further out wait in an overflow heap and move onto the wheel as it turns. A slot is
 * sorted by (time, sequence) only when the clock reaches it, and an event scheduled into
 * the slot being drained is inserted in order, so the pop order equals `EventHeap`'s.
 * Example: `const q = new TimingWheel(1, 4096); q.push(3, 1); q.pop() === 1`.
 */
export class TimingWheel implements EventQueue {
  private readonly slotMs: number
  private readonly mask: number
  private readonly nSlots: number
  // Event storage: a free-list pool of nodes.
  private times: Float64Array
  private seqs: Float64Array
  private payloads: Int32Array
  private free: Int32Array
  private freeTop = 0
  private slots: Array<Array<number>>
  private readonly overflow = new EventHeap()
  private cur: Array<number> = []
  private curPos = 0
  private curSlot = 0 // absolute slot index being drained
  private seq = 0
  private n = 0
  time = 0

  constructor(slotMs = 1, slots = 4096, capacity = 1024) {
    if ((slots & (slots - 1)) !== 0) throw new Error("slots must be a power of two")
    this.slotMs = slotMs
    this.nSlots = slots
    this.mask = slots - 1
    this.slots = Array.from({ length: slots }, () => [])
    this.times = new Float64Array(capacity)
    this.seqs = new Float64Array(capacity)
    this.payloads = new Int32Array(capacity)
    this.free = new Int32Array(capacity)
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i
    this.freeTop = capacity
  }

  get size(): number {
    return this.n
  }

  private alloc(): number {
    if (this.freeTop === 0) {
      const old = this.times.length, cap = old * 2
      const t = new Float64Array(cap), s = new Float64Array(cap), p = new Int32Array(cap), f = new Int32Array(cap)
      t.set(this.times)
      s.set(this.seqs)
      p.set(this.payloads)
      for (let i = 0; i < old; i++) f[i] = cap - 1 - i
      this.times = t
      this.seqs = s
      this.payloads = p
      this.free = f
      this.freeTop = old
    }
    return this.free[--this.freeTop]
  }

  private place(node: number): void {
    const slot = Math.floor(this.times[node] / this.slotMs)
    if (slot <= this.curSlot) {
      // Into the slot being drained: keep its unread tail sorted.
      const cur = this.cur, times = this.times, seqs = this.seqs
      const t = times[node], s = seqs[node]
      let lo = this.curPos, hi = cur.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        const m = cur[mid]
        if (times[m] < t || (times[m] === t && seqs[m] < s)) lo = mid + 1
        else hi = mid
      }
      cur.splice(lo, 0, node)
    } else if (slot - this.curSlot < this.nSlots) {
      this.slots[slot & this.mask].push(node)
    } else {
      this.overflow.push(this.times[node], node)
    }
  }

  push(time: number, payload: number): void {
    const node = this.alloc()
    this.times[node] = time
    this.seqs[node] = this.seq++
    this.payloads[node] = payload
    this.n++
    this.place(node)
  }

  pop(): number {
    while (this.curPos >= this.cur.length) this.advance()
    const node = this.cur[this.curPos++]
    this.time = this.times[node]
    this.free[this.freeTop++] = node
    this.n--
    return this.payloads[node]
  }

  private advance(): void {
    if (this.n === 0) throw new Error("pop from an empty queue")
    this.cur.length = 0
    this.curPos = 0
    this.curSlot++
    // Jump over empty stretches when only the overflow holds events.
    if (this.overflow.size === this.n) {
      const heapTop = this.peekOverflowSlot()
      if (heapTop > this.curSlot) this.curSlot = heapTop
    }
    const idx = this.curSlot & this.mask
    const list = this.slots[idx]
    this.slots[idx] = this.cur
    this.cur = list
    // Overflow events whose slot came into range of the wheel.
    while (this.overflow.size > 0 && this.peekOverflowSlot() < this.curSlot + this.nSlots) {
      const node = this.overflow.pop()
      const slot = Math.floor(this.times[node] / this.slotMs)
      if (slot <= this.curSlot) this.cur.push(node)
      else this.slots[slot & this.mask].push(node)
    }
    if (this.cur.length > 1) {
      const times = this.times, seqs = this.seqs
      this.cur.sort((a, b) => times[a] - times[b] || seqs[a] - seqs[b])
    }
  }

  private peekOverflowSlot(): number {
    return Math.floor(this.overflow.peekTime() / this.slotMs)
  }
}
