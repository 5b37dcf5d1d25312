// An open-addressing hash map from fixed-width tuples of int32 to dense indices 0, 1, 2, …
// in insertion order: the integer-keyed index behind n-gram contexts and edges, so the hot
// path never builds a string key. Linear probing over a power-of-two table, load ≤ 1/2.

/** Tuples of `width` int32 values → dense ids in insertion order. */
export class TupleIndex {
  /** keys[id · width + j] = the j-th value of tuple `id`. */
  keys: Int32Array;
  size = 0;
  private slots: Int32Array; // id + 1, or 0 = empty
  private mask: number;

  constructor(
    readonly width: number,
    expected = 16,
  ) {
    let cap = 16;
    while (cap < 2 * expected) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.keys = new Int32Array(Math.max(1, expected) * width);
  }

  /** The id of tuple src[at .. at + width), or −1 if absent. */
  get(src: ArrayLike<number>, at = 0): number {
    const w = this.width;
    for (let s = hash(src, at, w) & this.mask; ; s = (s + 1) & this.mask) {
      const id = this.slots[s]! - 1;
      if (id < 0) return -1;
      if (this.equal(id, src, at)) return id;
    }
  }

  /** The id of tuple src[at .. at + width), adding it if absent. */
  add(src: ArrayLike<number>, at = 0): number {
    const w = this.width;
    let s = hash(src, at, w) & this.mask;
    for (; ; s = (s + 1) & this.mask) {
      const id = this.slots[s]! - 1;
      if (id < 0) break;
      if (this.equal(id, src, at)) return id;
    }
    const id = this.size++;
    if ((id + 1) * w > this.keys.length) {
      const grown = new Int32Array(2 * this.keys.length + w);
      grown.set(this.keys);
      this.keys = grown;
    }
    for (let j = 0; j < w; j++) this.keys[id * w + j] = src[at + j]!;
    this.slots[s] = id + 1;
    if (2 * this.size > this.mask) this.rehash();
    return id;
  }

  /** The id of the pair (a, b) (width 2), or −1. */
  getPair(a: number, b: number): number {
    for (let s = hashPair(a, b) & this.mask; ; s = (s + 1) & this.mask) {
      const id = this.slots[s]! - 1;
      if (id < 0) return -1;
      if (this.keys[2 * id] === a && this.keys[2 * id + 1] === b) return id;
    }
  }

  /** The id of the pair (a, b) (width 2), adding it if absent. */
  addPair(a: number, b: number): number {
    let s = hashPair(a, b) & this.mask;
    for (; ; s = (s + 1) & this.mask) {
      const id = this.slots[s]! - 1;
      if (id < 0) break;
      if (this.keys[2 * id] === a && this.keys[2 * id + 1] === b) return id;
    }
    const id = this.size++;
    if (2 * id + 2 > this.keys.length) {
      const grown = new Int32Array(2 * this.keys.length + 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[2 * id] = a;
    this.keys[2 * id + 1] = b;
    this.slots[s] = id + 1;
    if (2 * this.size > this.mask) this.rehash();
    return id;
  }

  private equal(id: number, src: ArrayLike<number>, at: number): boolean {
    const w = this.width;
    for (let j = 0; j < w; j++) if (this.keys[id * w + j] !== src[at + j]) return false;
    return true;
  }

  private rehash(): void {
    const cap = 2 * this.slots.length;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    const w = this.width;
    for (let id = 0; id < this.size; id++) {
      let s = (w === 2 ? hashPair(this.keys[2 * id]!, this.keys[2 * id + 1]!) : hash(this.keys, id * w, w)) & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = id + 1;
    }
  }
}

// Multiply-xorshift mixing (the murmur3 finaliser), folded over the tuple.
function hash(src: ArrayLike<number>, at: number, w: number): number {
  if (w === 2) return hashPair(src[at]!, src[at + 1]!);
  let h = 0x9e3779b9 ^ w;
  for (let j = 0; j < w; j++) h = mix(h ^ src[at + j]!);
  return h;
}

function hashPair(a: number, b: number): number {
  return mix(mix(0x9e3779b9 ^ a) ^ b);
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
