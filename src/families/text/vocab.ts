// Token ids for text families. Ids 0 and 1 are reserved: BEGIN pads the context before a
// sentence's first token (it is never emitted), END closes every sentence (it is emitted and
// predicted like any other token). Word and character ids start at 2, most frequent first;
// with a byte-level BPE (bpe.ts), id 2 + t is BPE token t.
import { BpeCodec, bpeSize, type Bpe } from './bpe.ts';

/** The context-padding id before a sentence (never emitted). */
export const BEGIN = 0;
/** The id that ends every sentence. */
export const END = 1;
const RESERVED: readonly string[] = ['<s>', '</s>'];

export type Level = 'word' | 'char';

export interface Vocab {
  readonly level: Level | 'bpe';
  /** words[id]; words[BEGIN] = '<s>', words[END] = '</s>'; for bpe, how each token reads. */
  readonly words: readonly string[];
  /** level bpe: the merges. */
  readonly bpe?: Bpe;
}

/** Sentences packed into one array: sentence i is tokens[offsets[i] .. offsets[i + 1]), without BEGIN or END. */
export interface Packed {
  readonly tokens: Int32Array;
  readonly offsets: Int32Array;
}

/** The vocabulary of `sentences`: ids by descending frequency, ties in code-unit order (deterministic). */
export function buildVocab(sentences: readonly (readonly string[])[], level: Level): Vocab {
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  const words = [...freq.keys()].sort((a, b) => freq.get(b)! - freq.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  return { level, words: [...RESERVED, ...words] };
}

const indexCache = new WeakMap<Vocab, Map<string, number>>();

/** word → id for `vocab` (built once per vocab object). */
export function vocabIndex(vocab: Vocab): Map<string, number> {
  let index = indexCache.get(vocab);
  if (!index) {
    index = new Map(vocab.words.map((w, i) => [w, i]));
    indexCache.set(vocab, index);
  }
  return index;
}

/** The ids of one sentence's tokens (no BEGIN/END); a token outside the vocabulary is an error. */
export function encode(vocab: Vocab, sentence: readonly string[]): Int32Array {
  const out = new Int32Array(sentence.length);
  encodeInto(vocabIndex(vocab), sentence, out, 0);
  return out;
}

function encodeInto(index: Map<string, number>, sentence: readonly string[], out: Int32Array, at: number): void {
  for (let i = 0; i < sentence.length; i++) {
    const id = index.get(sentence[i]!);
    if (id === undefined || id < 2) throw new Error(`encode: token ${JSON.stringify(sentence[i])} is not in the vocabulary`);
    out[at + i] = id;
  }
}

/** The vocabulary of a trained BPE: the reserved ids, then its tokens. */
export function bpeVocab(bpe: Bpe): Vocab {
  const codec = new BpeCodec(bpe);
  const vocab: Vocab = { level: 'bpe', words: [...RESERVED, ...Array.from({ length: bpeSize(bpe) }, (_, t) => codec.show(t))], bpe };
  codecCache.set(vocab, codec);
  return vocab;
}

const codecCache = new WeakMap<Vocab, BpeCodec>();

function codecOf(vocab: Vocab): BpeCodec {
  let codec = codecCache.get(vocab);
  if (!codec) {
    if (!vocab.bpe) throw new Error(`a ${vocab.level}-level vocabulary has no BPE merges`);
    codecCache.set(vocab, (codec = new BpeCodec(vocab.bpe)));
  }
  return codec;
}

/** Texts encoded with a BPE vocabulary and packed (every text encodes: bytes are tokens). */
export function packTexts(vocab: Vocab, texts: readonly string[]): Packed {
  const codec = codecOf(vocab);
  const parts = texts.map((t) => codec.encode(t));
  const offsets = new Int32Array(texts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const tokens = new Int32Array(offsets[texts.length]!);
  parts.forEach((p, i) => {
    for (let j = 0; j < p.length; j++) tokens[offsets[i]! + j] = p[j]! + RESERVED.length;
  });
  return { tokens, offsets };
}

/** One sentence's ids as text: words joined by spaces, characters joined as they are, BPE bytes as UTF-8; BEGIN/END are dropped. */
export function decode(vocab: Vocab, ids: ArrayLike<number>): string {
  if (vocab.level === 'bpe') {
    const kept: number[] = [];
    for (let i = 0; i < ids.length; i++) if (ids[i] !== BEGIN && ids[i] !== END) kept.push(ids[i]! - RESERVED.length);
    return codecOf(vocab).decode(kept);
  }
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === BEGIN || id === END) continue;
    const w = vocab.words[id];
    if (w === undefined) throw new Error(`decode: id ${id} is outside the vocabulary (size ${vocab.words.length})`);
    out.push(w);
  }
  return out.join(vocab.level === 'word' ? ' ' : '');
}

/** All sentences encoded and packed. */
export function pack(vocab: Vocab, sentences: readonly (readonly string[])[]): Packed {
  const offsets = new Int32Array(sentences.length + 1);
  sentences.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
  const tokens = new Int32Array(offsets[sentences.length]!);
  const index = vocabIndex(vocab);
  sentences.forEach((s, i) => encodeInto(index, s, tokens, offsets[i]!));
  return { tokens, offsets };
}
