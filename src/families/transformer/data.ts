// The transformer's real text: the corpus read and split once per run, its tokenizer (the
// corpus's words or characters, or a byte-level BPE trained on the training split), and the
// real items the loop mixes in: sentences, or windows of the sentence stream shaped like the
// sequences the model samples.
import { key, Rng, split, type Key } from '../../core/random.ts';
import { subsampleIndices } from '../../core/samplers.ts';
import type { Io } from '../entry.ts';
import { bpeVocab, buildVocab, END, loadCorpus, pack, packSentences, packTexts, splitHeldOut, trainBpe, VocabTooLarge, type CorpusSpec, type Packed, type Vocab } from '../text/index.ts';
import { vocabIndex } from '../text/vocab.ts';

/** How text becomes tokens: the corpus's own words or characters, or a BPE of `vocab` ids in all. */
export type TokenizerSpec = { readonly kind: 'word' | 'char' } | { readonly kind: 'bpe'; readonly vocab: number };

/** Ids the model reserves besides a BPE's tokens: BEGIN and END. */
const RESERVED = 2;

/** What resolve reads once per run: the vocabulary and the encoded training and held-out sentences. */
export interface TextResources {
  readonly vocab: Vocab;
  readonly train: Packed;
  /** held-out sentences whose tokens all occur in training (the vocabulary is training's). */
  readonly heldOut: Packed;
}

/**
 * Reads the corpus, holds out a share of sentences with the root seed's key, and tokenizes:
 * a BPE trains on the training sentences only. A BPE larger than the text supports is an error
 * naming the largest that works.
 */
export async function readText(corpus: CorpusSpec, tokenizer: TokenizerSpec | undefined, seed: number, io: Io): Promise<TextResources> {
  const level = tokenizer === undefined ? corpus.level : tokenizer.kind === 'bpe' ? 'char' : tokenizer.kind;
  const sentences = await loadCorpus({ ...corpus, level }, io);
  const parts = splitHeldOut(sentences, corpus.heldOut, split(key(seed), 2)[1]!);
  if (tokenizer?.kind === 'bpe') {
    const texts = parts.train.map((s) => s.join(''));
    let vocab: Vocab;
    try {
      vocab = bpeVocab(trainBpe(texts, tokenizer.vocab - RESERVED));
    } catch (e) {
      if (!(e instanceof VocabTooLarge)) throw e;
      throw new Error(`tokenizer.vocab: ${tokenizer.vocab} tokens is more than the training text supports (${e.supported + RESERVED} with <s> and </s>: every pair of tokens seen at least twice merged); lower tokenizer.vocab to ≤ ${e.supported + RESERVED} or use a larger corpus`);
    }
    return { vocab, train: packTexts(vocab, texts), heldOut: packTexts(vocab, parts.heldOut.map((s) => s.join(''))) };
  }
  const vocab = buildVocab(parts.train, level);
  const index = vocabIndex(vocab);
  const known = parts.heldOut.filter((s) => s.every((w) => index.has(w)));
  return { vocab, train: pack(vocab, parts.train), heldOut: pack(vocab, known) };
}

/**
 * The window of `length` tokens of the sentence stream that starts at sentence `i`: its tokens,
 * END, the next sentence's tokens, END, … (wrapping at the end) — a real sequence in the shape
 * of a sampled one.
 */
export function window(train: Packed, i: number, length: number): Int32Array {
  const n = train.offsets.length - 1;
  const out = new Int32Array(length);
  let k = 0;
  for (let s = i; k < length; s = (s + 1) % n) {
    for (let j = train.offsets[s]!; j < train.offsets[s + 1]! && k < length; j++) out[k++] = train.tokens[j]!;
    if (k < length) out[k++] = END;
  }
  return out;
}

/** `n` real items, drawn with `k`: sentences, or windows of `length` tokens starting at sentences (without replacement when there are that many). */
export function drawReal(train: Packed, n: number, k: Key, length?: number): Packed {
  const total = train.offsets.length - 1;
  let starts: number[];
  if (n <= total) starts = Array.from(subsampleIndices(total, n, k)); // n of total, in corpus order
  else {
    const rng = new Rng(k);
    starts = Array.from({ length: n }, () => rng.int(total));
  }
  return packSentences(starts.map((i) => (length === undefined ? train.tokens.subarray(train.offsets[i]!, train.offsets[i + 1]!) : window(train, i, length))));
}
