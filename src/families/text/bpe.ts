// Byte-level byte-pair encoding (Sennrich et al. 2016; over bytes, as GPT-2 does, Radford et
// al. 2019): tokens 0..255 are the bytes, token 256 + i is merge i, the pair of tokens seen
// most often in the training text when it was made. Any byte string encodes (the bytes are
// always there to fall back on), so decode(encode(x)) = x for every input, not only for text
// like the training text. Merges never cross a chunk boundary (see `chunks`), as in GPT-2, so
// a token is a piece of one word, one number, one run of punctuation or one run of spaces.
//
// Training is deterministic: the most frequent pair wins, ties go to the smallest pair (first
// token, then second); a pair seen only once is never merged (it would only memorise).

/** A trained BPE: merges[i] = [a, b] makes token 256 + i from token a followed by token b. */
export interface Bpe {
  readonly merges: readonly (readonly [number, number])[];
}

/** Tokens a BPE has: the 256 bytes and one per merge. */
export function bpeSize(bpe: Bpe): number {
  return 256 + bpe.merges.length;
}

const MAX_TOKENS = 1 << 16; // pair keys a·2^16 + b stay exact doubles

const enum Cls { Letter, Digit, Space, White, Punct }

function cls(b: number): Cls {
  if ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x27 || b >= 0x80) return Cls.Letter; // ' and UTF-8 multibyte: inside words
  if (b >= 0x30 && b <= 0x39) return Cls.Digit;
  if (b === 0x20) return Cls.Space;
  if (b >= 0x09 && b <= 0x0d) return Cls.White;
  return Cls.Punct;
}

const isWord = (c: Cls) => c === Cls.Letter || c === Cls.Digit || c === Cls.Punct;

/**
 * Calls `f(start, end)` for each chunk of `bytes`, in order, covering every byte once: a run of
 * letters, of digits or of punctuation, with the one space before it; or a run of whitespace
 * (less the last space when a word follows, which goes with the word).
 */
export function chunks(bytes: Uint8Array, f: (start: number, end: number) => void): void {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = cls(bytes[i]!);
    let j = i + 1;
    if (c === Cls.Space && j < n && isWord(cls(bytes[j]!))) {
      const w = cls(bytes[j]!);
      while (j < n && cls(bytes[j]!) === w) j++;
    } else if (c === Cls.Space || c === Cls.White) {
      while (j < n && (cls(bytes[j]!) === Cls.Space || cls(bytes[j]!) === Cls.White)) j++;
      if (j < n && j - 1 > i && bytes[j - 1] === 0x20 && isWord(cls(bytes[j]!))) j--;
    } else {
      while (j < n && cls(bytes[j]!) === c) j++;
    }
    f(i, j);
    i = j;
  }
}

/** Bytes as a string of the same code units (a Map key). */
function latin1(b: Uint8Array): string {
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** The distinct chunks of `texts` (UTF-8) with how often each occurs, in order of first occurrence. */
export function chunkCounts(texts: readonly string[]): { words: Int32Array[]; counts: number[] } {
  const utf8 = new TextEncoder();
  const index = new Map<string, number>();
  const words: Int32Array[] = [];
  const counts: number[] = [];
  for (const text of texts) {
    const bytes = utf8.encode(text);
    chunks(bytes, (s, e) => {
      const piece = bytes.subarray(s, e);
      const k = latin1(piece);
      const at = index.get(k);
      if (at !== undefined) counts[at]!++;
      else {
        index.set(k, words.length);
        words.push(Int32Array.from(piece));
        counts.push(1);
      }
    });
  }
  return { words, counts };
}

/** The error when `tokens` asks for more merges than pairs seen twice in the text can give. */
export class VocabTooLarge extends Error {
  constructor(readonly asked: number, readonly supported: number) {
    super(`the training text supports at most ${supported} BPE tokens (every pair seen at least twice merged), not ${asked}`);
  }
}

/**
 * A BPE of `tokens` tokens (256 bytes + tokens − 256 merges) trained on `texts`. Keeps a count
 * per pair and the chunks each pair occurs in, so a merge touches only the chunks that hold it;
 * the next pair comes off a max-heap with stale entries skipped (checked against the
 * recount-everything reference in bpe.test.ts).
 */
export function trainBpe(texts: readonly string[], tokens: number): Bpe {
  if (!(Number.isInteger(tokens) && tokens >= 256 && tokens <= MAX_TOKENS)) throw new RangeError(`BPE tokens must be a whole number in [256, ${MAX_TOKENS}], got ${tokens}`);
  const { words, counts } = chunkCounts(texts);
  const pairCount = new Map<number, number>();
  const where = new Map<number, number[]>();
  const heap = new PairHeap();
  const add = (p: number, w: number, by: number) => {
    pairCount.set(p, (pairCount.get(p) ?? 0) + by);
    let list = where.get(p);
    if (!list) where.set(p, (list = []));
    list.push(w);
  };
  words.forEach((s, w) => {
    for (let j = 0; j + 1 < s.length; j++) add(s[j]! * MAX_TOKENS + s[j + 1]!, w, counts[w]!);
  });
  for (const [p, c] of pairCount) heap.push(c, p);
  const merges: [number, number][] = [];
  const stamp = new Int32Array(words.length).fill(-1);
  while (256 + merges.length < tokens) {
    const top = heap.pop();
    if (!top) throw new VocabTooLarge(tokens, 256 + merges.length);
    const [count, p] = top;
    if (pairCount.get(p) !== count) continue; // stale: the count changed after this entry was pushed
    if (count < 2) throw new VocabTooLarge(tokens, 256 + merges.length);
    const a = Math.floor(p / MAX_TOKENS);
    const b = p % MAX_TOKENS;
    const id = 256 + merges.length;
    merges.push([a, b]);
    const changed = new Set<number>();
    for (const w of where.get(p)!) {
      if (stamp[w] === id) continue;
      stamp[w] = id;
      const s = words[w]!;
      const merged = mergePair(s, a, b, id);
      if (merged === s) continue;
      const c = counts[w]!;
      for (let j = 0; j + 1 < s.length; j++) {
        const q = s[j]! * MAX_TOKENS + s[j + 1]!;
        pairCount.set(q, pairCount.get(q)! - c);
        changed.add(q);
      }
      for (let j = 0; j + 1 < merged.length; j++) {
        const q = merged[j]! * MAX_TOKENS + merged[j + 1]!;
        add(q, w, c);
        changed.add(q);
      }
      words[w] = merged;
    }
    pairCount.delete(p);
    where.delete(p);
    for (const q of changed) {
      const c = pairCount.get(q);
      if (c !== undefined && c > 0) heap.push(c, q);
    }
  }
  return { merges };
}

/** `s` with every non-overlapping (a, b), left to right, replaced by `id`; `s` itself when none occurs. */
export function mergePair(s: Int32Array, a: number, b: number, id: number): Int32Array {
  let hits = 0;
  for (let j = 0; j + 1 < s.length; j++) if (s[j] === a && s[j + 1] === b) (hits++, j++);
  if (hits === 0) return s;
  const out = new Int32Array(s.length - hits);
  let k = 0;
  for (let j = 0; j < s.length; j++) {
    if (j + 1 < s.length && s[j] === a && s[j + 1] === b) (out[k++] = id, j++);
    else out[k++] = s[j]!;
  }
  return out;
}

/** A binary max-heap of (count, pair): larger count first, then the smaller pair key. */
class PairHeap {
  private c: number[] = [];
  private p: number[] = [];
  private before(i: number, j: number): boolean {
    return this.c[i]! > this.c[j]! || (this.c[i] === this.c[j] && this.p[i]! < this.p[j]!);
  }
  private swap(i: number, j: number): void {
    [this.c[i], this.c[j]] = [this.c[j]!, this.c[i]!];
    [this.p[i], this.p[j]] = [this.p[j]!, this.p[i]!];
  }
  push(count: number, pair: number): void {
    this.c.push(count);
    this.p.push(pair);
    for (let i = this.c.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (!this.before(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }
  pop(): [number, number] | undefined {
    if (this.c.length === 0) return undefined;
    const top: [number, number] = [this.c[0]!, this.p[0]!];
    const lastC = this.c.pop()!;
    const lastP = this.p.pop()!;
    if (this.c.length > 0) {
      this.c[0] = lastC;
      this.p[0] = lastP;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.c.length && this.before(l, m)) m = l;
        if (r < this.c.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/** Encoding and decoding with a trained BPE (chunk encodings are cached: text repeats its words). */
export class BpeCodec {
  private readonly rank = new Map<number, number>();
  private readonly cache = new Map<string, Int32Array>();
  /** The bytes of each token. */
  readonly bytes: readonly Uint8Array[];

  constructor(readonly bpe: Bpe) {
    const bytes: Uint8Array[] = Array.from({ length: 256 }, (_, i) => Uint8Array.of(i));
    bpe.merges.forEach(([a, b], i) => {
      const x = bytes[a];
      const y = bytes[b];
      if (!x || !y || a >= 256 + i || b >= 256 + i) throw new Error(`BPE merge ${i} = (${a}, ${b}) refers to a token not made yet`);
      const z = new Uint8Array(x.length + y.length);
      z.set(x);
      z.set(y, x.length);
      bytes.push(z);
      this.rank.set(a * MAX_TOKENS + b, i);
    });
    this.bytes = bytes;
  }

  /** The tokens of a byte string. */
  encodeBytes(bytes: Uint8Array): Int32Array {
    const out: number[] = [];
    chunks(bytes, (s, e) => {
      const piece = bytes.subarray(s, e);
      const k = latin1(piece);
      let ids = this.cache.get(k);
      if (!ids) this.cache.set(k, (ids = this.encodeChunk(Int32Array.from(piece))));
      for (const t of ids) out.push(t);
    });
    return Int32Array.from(out);
  }

  /** The tokens of a text (its UTF-8 bytes). */
  encode(text: string): Int32Array {
    return this.encodeBytes(new TextEncoder().encode(text));
  }

  /** The bytes of `tokens`, concatenated. */
  decodeBytes(tokens: ArrayLike<number>): Uint8Array {
    let n = 0;
    for (let i = 0; i < tokens.length; i++) n += this.token(tokens[i]!).length;
    const out = new Uint8Array(n);
    for (let i = 0, at = 0; i < tokens.length; i++) {
      const b = this.token(tokens[i]!);
      out.set(b, at);
      at += b.length;
    }
    return out;
  }

  /** The text of `tokens` (bytes that are not UTF-8 become U+FFFD, as TextDecoder does). */
  decode(tokens: ArrayLike<number>): string {
    return new TextDecoder().decode(this.decodeBytes(tokens));
  }

  /** How a token reads on its own: its text, or \xNN escapes where its bytes are not whole UTF-8. */
  show(token: number): string {
    const b = this.token(token);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      return Array.from(b, (x) => (x < 0x80 ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, '0')}`)).join('');
    }
  }

  private token(t: number): Uint8Array {
    const b = this.bytes[t];
    if (!b) throw new RangeError(`BPE token ${t} is outside the vocabulary (${this.bytes.length} tokens)`);
    return b;
  }

  // Merges in the order they were learnt: repeatedly the adjacent pair of lowest rank, every
  // occurrence left to right, which is what training did to this chunk.
  private encodeChunk(s: Int32Array): Int32Array {
    for (;;) {
      let best = -1;
      for (let j = 0; j + 1 < s.length; j++) {
        const r = this.rank.get(s[j]! * MAX_TOKENS + s[j + 1]!);
        if (r !== undefined && (best < 0 || r < best)) best = r;
      }
      if (best < 0) return s;
      const [a, b] = this.bpe.merges[best]!;
      s = mergePair(s, a, b, 256 + best);
    }
  }
}
