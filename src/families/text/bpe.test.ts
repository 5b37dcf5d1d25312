// The fast BPE trainer and encoder against slow, obvious ones: recount every pair after each
// merge; encode by applying every merge in order. Round trips on random bytes and random text.
import { describe, expect, test } from 'vitest';
import { foldIn, key, Rng } from '../../core/random.ts';
import { BpeCodec, chunkCounts, chunks, mergePair, trainBpe, VocabTooLarge, type Bpe } from './bpe.ts';

/** The reference trainer: after each merge, count every pair of every chunk again. */
function naiveTrain(texts: readonly string[], tokens: number): Bpe {
  const { words, counts } = chunkCounts(texts);
  const merges: [number, number][] = [];
  while (256 + merges.length < tokens) {
    const pairs = new Map<string, number>();
    words.forEach((s, w) => {
      for (let j = 0; j + 1 < s.length; j++) pairs.set(`${s[j]},${s[j + 1]}`, (pairs.get(`${s[j]},${s[j + 1]}`) ?? 0) + counts[w]!);
    });
    let best: [number, number] | undefined;
    let bestCount = 0;
    for (const [k, c] of pairs) {
      const [a, b] = k.split(',').map(Number) as [number, number];
      if (c > bestCount || (c === bestCount && best && (a < best[0] || (a === best[0] && b < best[1])))) [best, bestCount] = [[a, b], c];
    }
    if (!best || bestCount < 2) throw new VocabTooLarge(tokens, 256 + merges.length);
    const id = 256 + merges.length;
    merges.push(best);
    words.forEach((s, w) => (words[w] = mergePair(s, best![0], best![1], id)));
  }
  return { merges };
}

/** The reference encoder: every merge in order over the chunk's bytes. */
function naiveEncode(bpe: Bpe, bytes: Uint8Array): number[] {
  const out: number[] = [];
  chunks(bytes, (s, e) => {
    let sym: Int32Array = Int32Array.from(bytes.subarray(s, e));
    bpe.merges.forEach(([a, b], i) => (sym = mergePair(sym, a, b, 256 + i)));
    out.push(...sym);
  });
  return out;
}

const WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'a', 'dog', 'ran', "don't", 'naïve', 'café', '東京', '🙂', 'x1', '42', ',', '.', '--', '``', "''"];

/** Text-like strings: words from a small list with spaces, digits, tabs and newlines between. */
function randomTexts(k: number, n: number): string[] {
  const rng = new Rng(key(k));
  return Array.from({ length: n }, () => {
    const parts: string[] = [];
    for (let i = 0, m = 1 + rng.int(12); i < m; i++) parts.push(WORDS[rng.int(WORDS.length)]!, [' ', ' ', ' ', '  ', '\t', '\n', ''][rng.int(7)]!);
    return parts.join('');
  });
}

/** Any Unicode scalar values (no lone surrogates: those are not UTF-8), all planes. */
function randomUnicode(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const plane = rng.int(4);
    let cp = plane === 0 ? rng.int(0x80) : plane === 1 ? rng.int(0x800) : plane === 2 ? rng.int(0x10000) : 0x10000 + rng.int(0x100000);
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x20;
    s += String.fromCodePoint(cp);
  }
  return s;
}

describe('chunks (where merges may not cross)', () => {
  const split = (s: string) => {
    const b = new TextEncoder().encode(s);
    const out: string[] = [];
    chunks(b, (i, j) => out.push(new TextDecoder().decode(b.subarray(i, j))));
    return out;
  };
  test('a word keeps the space before it; runs of one kind stay together', () => {
    expect(split('Hello, world  123 .')).toEqual(['Hello', ',', ' world', ' ', ' 123', ' .']);
    expect(split("don't\n\n cafés!?")).toEqual(["don't", '\n\n', ' cafés', '!?']);
    expect(split('  ')).toEqual(['  ']);
  });
  test('cover every byte exactly once, in order', () => {
    const rng = new Rng(key(3));
    for (let t = 0; t < 200; t++) {
      const b = Uint8Array.from({ length: rng.int(40) }, () => rng.int(256));
      let at = 0;
      chunks(b, (i, j) => {
        expect(i).toBe(at);
        expect(j).toBeGreaterThan(i);
        at = j;
      });
      expect(at).toBe(b.length);
    }
  });
});

describe('training', () => {
  test('the fast trainer makes exactly the reference merges', () => {
    for (let k = 0; k < 6; k++) {
      const texts = randomTexts(k, 300);
      const tokens = 256 + 20 + 10 * k;
      expect(trainBpe(texts, tokens)).toEqual(naiveTrain(texts, tokens));
    }
  });
  test('the most frequent pair first, ties to the smaller pair', () => {
    expect(trainBpe(['cd', 'ab', 'cd', 'ab', 'cd', 'ab', 'xy'], 258).merges).toEqual([
      [0x61, 0x62], // a b: 3 times, as c d, and a < c
      [0x63, 0x64],
    ]);
    // ' ab' twice, ' cd' three times: the pair (space, c) ties with (c, d) and is smaller.
    expect(trainBpe(['ab ab ab cd cd cd'], 257).merges).toEqual([[0x20, 0x63]]);
  });
  test('a vocabulary the text cannot support is refused, saying how many tokens it supports', () => {
    expect(() => trainBpe(['abc abc'], 300)).toThrow(VocabTooLarge);
    try {
      trainBpe(['abc abc'], 300);
    } catch (e) {
      expect((e as VocabTooLarge).supported).toBe(naiveMerges(['abc abc']) + 256);
    }
  });
});

function naiveMerges(texts: string[]): number {
  for (let t = 257; ; t++) {
    try {
      naiveTrain(texts, t);
    } catch {
      return t - 257;
    }
  }
}

describe('encoding', () => {
  const texts = randomTexts(11, 400);
  const bpe = trainBpe(texts, 256 + 60);
  const codec = new BpeCodec(bpe);
  test('encodes as the merges applied in order would', () => {
    for (const t of [...texts.slice(0, 50), ...randomTexts(12, 50)]) {
      const b = new TextEncoder().encode(t);
      expect(Array.from(codec.encodeBytes(b))).toEqual(naiveEncode(bpe, b));
    }
  });
  test('merges shorten the text it was trained on', () => {
    const all = texts.join(' ');
    expect(codec.encode(all).length).toBeLessThan(new TextEncoder().encode(all).length * 0.6);
  });
  test('decode(encode(bytes)) = bytes for random byte strings, UTF-8 or not', () => {
    for (let t = 0; t < 300; t++) {
      const rng = new Rng(foldIn(key(21), t));
      const b = Uint8Array.from({ length: rng.int(64) }, () => (rng.int(3) === 0 ? rng.int(256) : 0x61 + rng.int(4)));
      expect(codec.decodeBytes(codec.encodeBytes(b))).toEqual(b);
    }
  });
  test('decode(encode(text)) = text for random Unicode from every plane', () => {
    for (let t = 0; t < 300; t++) {
      const s = randomUnicode(new Rng(foldIn(key(22), t)), 1 + (t % 50));
      expect(codec.decode(codec.encode(s))).toBe(s);
    }
    for (const s of ['', ' ', 'naïve café 東京 🙂', '\u0301\u200d\n\t', "''``--"]) expect(codec.decode(codec.encode(s))).toBe(s);
  });
  test('round trips hold where tokens cut characters, and on text cut mid-character', () => {
    const rng = new Rng(key(23));
    const letters = ['é', 'ï', '東', '京', '🙂', '€', 'a', ' '];
    const word = () => Array.from({ length: 1 + rng.int(20) }, () => letters[rng.int(letters.length)]!).join('');
    const c = new BpeCodec(trainBpe(Array.from({ length: 300 }, word), 256 + 40));
    // Merges inside a character's bytes make tokens that are not text on their own.
    expect(Array.from({ length: 40 }, (_, i) => c.show(256 + i)).filter((t) => t.includes('\\x')).length).toBeGreaterThan(0);
    for (let t = 0; t < 300; t++) {
      const s = word() + randomUnicode(rng, t % 8) + word();
      expect(c.decode(c.encode(s))).toBe(s);
      const b = new TextEncoder().encode(s);
      const cut = b.subarray(rng.int(b.length), b.length - rng.int(3)); // may start or end inside a character
      expect(c.decodeBytes(c.encodeBytes(cut))).toEqual(cut);
    }
  });
  test('tokens show as text, or as \\x escapes where they cut a character', () => {
    const c = new BpeCodec({ merges: [[0xc3, 0xa9], [0x63, 0x61]] });
    expect(c.show(256)).toBe('é');
    expect(c.show(257)).toBe('ca');
    expect(c.show(0xc3)).toBe('\\xc3');
    expect(() => new BpeCodec({ merges: [[300, 1]] })).toThrow(/not made yet/);
  });
});
