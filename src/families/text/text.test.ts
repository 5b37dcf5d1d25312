import { describe, expect, it, test } from 'vitest';
import { key } from '../../core/random.ts';
import type { Io } from '../entry.ts';
import { brownFiles, corpusSchema, decodeUtf8, loadCorpus, parseBrown, parseJsonl, splitSentences, tokenize } from './corpus.ts';
import { splitHeldOut } from './split.ts';
import { concatSentences, countSentences, packSentences, perSentence, selectSentences, sentenceAt } from './packed.ts';
import { BEGIN, END, buildVocab, decode, encode, pack, type Packed } from './vocab.ts';

const files = (map: Record<string, string | Uint8Array>): Io => ({
  readFile: async (p) => {
    const v = map[p];
    if (v === undefined) throw new Error(`ENOENT: ${p}`);
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  },
  importModule: async (s) => {
    throw new Error(`no module ${s}`);
  },
});

describe('tokenizing', () => {
  test('words and punctuation; inner apostrophes stay in the word', () => {
    expect(tokenize("Don't stop, o'clock now!", 'word')).toEqual(["Don't", 'stop', ',', "o'clock", 'now', '!']);
    expect(tokenize(' a  b\tc ', 'char')).toEqual(['a', ' ', 'b', ' ', 'c']);
  });
  test('sentences: lines, or running text cut after . ! ?', () => {
    expect(splitSentences('one two\n\n three \n', 'lines')).toEqual(['one two', 'three']);
    expect(splitSentences('It rained. Did it?  "Yes!" she said.\n\nNew para', 'text')).toEqual(['It rained.', 'Did it?', '"Yes!"', 'she said.', 'New para']);
  });
  test('Brown: one sentence per line, tags stripped (the last slash splits)', () => {
    expect(parseBrown("\n\n\tThe/at jury/nn said/vbd ./.\n\n\tAtlanta's/np$ ``/`` 1/2/cd\n")).toEqual([
      ['The', 'jury', 'said', '.'],
      ["Atlanta's", '``', '1/2'],
    ]);
    expect(brownFiles('ca01 news\ncb01 editorial\n', ['news'])).toEqual(['ca01']);
    expect(() => brownFiles('ca01 news\n', ['poetry'])).toThrow(/unknown Brown category "poetry"/);
  });
  test('JSONL: the text field of each record; bad lines are named', () => {
    expect(parseJsonl('{"text":"a b"}\n\n{"text":"c","x":1}\n', 'text', 'f.jsonl')).toEqual(['a b', 'c']);
    expect(() => parseJsonl('{"text":"a"}\nnope\n', 'text', 'f.jsonl')).toThrow(/f.jsonl:2 is not valid JSON/);
    expect(() => parseJsonl('{"body":"a"}\n', 'text', 'f.jsonl')).toThrow(/f.jsonl:1: expected a string field "text"/);
  });
  test('non-UTF-8 bytes are an error naming the file', () => {
    expect(() => decodeUtf8(Uint8Array.of(0x61, 0xe9, 0x62), 'latin1.txt')).toThrow(/latin1.txt is not UTF-8/);
  });
});

describe('loading', () => {
  test('file, jsonl and toy sources at word and character level', async () => {
    const io = files({ 'a.txt': 'the cat sat.\nthe dog ran.\n', 'b.jsonl': '{"text":"Hi there. Bye."}\n' });
    expect(await loadCorpus(corpusSchema.parse({ source: 'file', path: 'a.txt' }), io)).toEqual([
      ['the', 'cat', 'sat', '.'],
      ['the', 'dog', 'ran', '.'],
    ]);
    expect(await loadCorpus(corpusSchema.parse({ source: 'jsonl', path: 'b.jsonl', format: 'text' }), io)).toEqual([['Hi', 'there', '.'], ['Bye', '.']]);
    expect(await loadCorpus(corpusSchema.parse({ source: 'toy' }), io)).toEqual([['a', 'b', 'c', 'b', 'c', 'b', 'a']]);
    expect(await loadCorpus(corpusSchema.parse({ source: 'toy', text: 'ab', level: 'char' }), io)).toEqual([['a', 'b']]);
  });
  test('an empty corpus, a missing file and a non-UTF-8 file are clear errors', async () => {
    const io = files({ 'empty.txt': ' \n\n', 'bad.txt': Uint8Array.of(0xff, 0xfe, 0x41) });
    await expect(loadCorpus(corpusSchema.parse({ source: 'file', path: 'empty.txt' }), io)).rejects.toThrow(/empty.txt holds no sentences/);
    await expect(loadCorpus(corpusSchema.parse({ source: 'file', path: 'gone.txt' }), io)).rejects.toThrow(/cannot read gone.txt/);
    await expect(loadCorpus(corpusSchema.parse({ source: 'file', path: 'bad.txt' }), io)).rejects.toThrow(/bad.txt is not UTF-8/);
  });
  test('Brown through io: category files, tags stripped', async () => {
    const io = files({ 'B/cats.txt': 'ca01 news\ncb01 editorial\n', 'B/ca01': '\tA/at b/nn ./.\n', 'B/cb01': '\tC/at\n' });
    expect(await loadCorpus(corpusSchema.parse({ source: 'brown', dir: 'B', categories: ['news'] }), io)).toEqual([['A', 'b', '.']]);
    expect(await loadCorpus(corpusSchema.parse({ source: 'brown', dir: 'B', level: 'char' }), io)).toEqual([['A', ' ', 'b', ' ', '.'], ['C']]);
  });
});

describe('vocabulary and split', () => {
  test('ids by frequency from 2; encode/decode round-trip; unknown tokens are errors', () => {
    const s = [['b', 'a', 'b'], ['c', 'b']];
    const v = buildVocab(s, 'word');
    expect(v.words).toEqual(['<s>', '</s>', 'b', 'a', 'c']);
    expect([...encode(v, ['a', 'c'])]).toEqual([3, 4]);
    expect(decode(v, [BEGIN, 3, 4, END])).toBe('a c');
    expect(() => encode(v, ['z'])).toThrow(/"z" is not in the vocabulary/);
    const p = pack(v, s);
    expect([...p.tokens]).toEqual([2, 3, 2, 4, 2]);
    expect([...p.offsets]).toEqual([0, 3, 5]);
  });
  test('held-out split: round(f·n) sentences, deterministic per key, corpus order kept', () => {
    const s = Array.from({ length: 100 }, (_, i) => i);
    const a = splitHeldOut(s, 0.1, key(1));
    expect(a.heldOut.length).toBe(10);
    expect(a.train.length).toBe(90);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual(s);
    expect(a.heldOut).toEqual([...a.heldOut].sort((x, y) => x - y));
    expect(splitHeldOut(s, 0.1, key(1))).toEqual(a);
    expect(splitHeldOut(s, 0.1, key(2)).heldOut).not.toEqual(a.heldOut);
    expect(splitHeldOut(s, 0, key(1)).heldOut).toEqual([]);
    expect(() => splitHeldOut([1], 0.9, key(1))).toThrow(/leaves nothing to train on/);
  });
});

describe('packed sentences', () => {
  const a = packSentences([Int32Array.of(5, 6), Int32Array.of(), Int32Array.of(7)]);
  const b = packSentences([Int32Array.of(8, 9, 10)]);
  const list = (p: Packed): number[][] => Array.from({ length: countSentences(p) }, (_, i) => Array.from(sentenceAt(p, i)));

  it('concat, select and perSentence agree with the sentences one by one', () => {
    expect(list(concatSentences([a, b]))).toEqual([[5, 6], [], [7], [8, 9, 10]]);
    expect(list(concatSentences([]))).toEqual([]);
    expect(list(selectSentences(concatSentences([a, b]), [3, 0, 0]))).toEqual([[8, 9, 10], [5, 6], [5, 6]]);
    expect(Array.from(perSentence(a, (ids) => ids.length))).toEqual([2, 0, 1]);
  });

  it('concat takes a view whose offsets do not start at 0', () => {
    const view: Packed = { tokens: a.tokens, offsets: a.offsets.subarray(2) }; // the last sentence only
    expect(list(concatSentences([view, b]))).toEqual([[7], [8, 9, 10]]);
  });
});
