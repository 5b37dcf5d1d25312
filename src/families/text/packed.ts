// Packed text, the data of the language-model families (n-gram, transformer): sentences of
// token ids laid end to end in `tokens`, sentence i at tokens[offsets[i] .. offsets[i + 1]).
// The item operations the loop and the filters need, written once for both families.
import type { Packed } from './vocab.ts';

/** The number of sentences. */
export function countSentences(data: Packed): number {
  return data.offsets.length - 1;
}

/** Sentence i's ids (a view, not a copy). */
export function sentenceAt(data: Packed, i: number): Int32Array {
  return data.tokens.subarray(data.offsets[i]!, data.offsets[i + 1]!);
}

/** Sentences as one Packed. */
export function packSentences(sentences: readonly Int32Array[]): Packed {
  const offsets = new Int32Array(sentences.length + 1);
  sentences.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
  const tokens = new Int32Array(offsets[sentences.length]!);
  sentences.forEach((s, i) => tokens.set(s, offsets[i]!));
  return { tokens, offsets };
}

/** The sentences of all parts, in order. */
export function concatSentences(parts: readonly Packed[]): Packed {
  let nTok = 0;
  let nSent = 0;
  for (const p of parts) (nTok += p.offsets[p.offsets.length - 1]! - p.offsets[0]!), (nSent += p.offsets.length - 1);
  const tokens = new Int32Array(nTok);
  const offsets = new Int32Array(nSent + 1);
  let t = 0;
  let s = 0;
  for (const p of parts) {
    const first = p.offsets[0]!;
    tokens.set(p.tokens.subarray(first, p.offsets[p.offsets.length - 1]!), t);
    for (let i = 1; i < p.offsets.length; i++) offsets[++s] = t + p.offsets[i]! - first;
    t = offsets[s]!;
  }
  return { tokens, offsets };
}

/** The sentences at `indices`, in that order. */
export function selectSentences(data: Packed, indices: ArrayLike<number>): Packed {
  const offsets = new Int32Array(indices.length + 1);
  for (let j = 0; j < indices.length; j++) offsets[j + 1] = offsets[j]! + data.offsets[indices[j]! + 1]! - data.offsets[indices[j]!]!;
  const tokens = new Int32Array(offsets[indices.length]!);
  for (let j = 0; j < indices.length; j++) tokens.set(sentenceAt(data, indices[j]!), offsets[j]!);
  return { tokens, offsets };
}

/** f of each sentence's ids, in order. */
export function perSentence(data: Packed, f: (ids: Int32Array) => number): Float64Array {
  const out = new Float64Array(countSentences(data));
  for (let i = 0; i < out.length; i++) out[i] = f(sentenceAt(data, i));
  return out;
}
