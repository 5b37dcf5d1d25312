// `ouro pretrain` makes generation 0 once and finds it the second time; the transformer's bad
// input (a vocabulary the corpus cannot support, sequences longer than the context, a cache
// that cannot be written or holds a foreign entry) stops `ouro run` with exit 2, before any
// run directory is made.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../../bin/ouro.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ouro-pretrain-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ouro(cache: string, ...args: string[]) {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: tmp, env: { ...process.env, OURO_CACHE: cache } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const TEXT = 'the cat sat on the mat\\nthe dog sat on the log\\na cat and a dog\\nthe mat and the log\\n';
const CONFIG = `name: tiny
family: transformer
corpus: { source: toy, text: "${TEXT.repeat(4)}", heldOut: 0.1 }
tokenizer: { kind: bpe, vocab: 270 }
base: shared
model: { n_layer: 1, d_model: 16, n_head: 2, block_size: 16 }
train: { steps: 10, batch: 2 }
finetune: { steps: 2, batch: 2 }
metrics: { samples: 8, heldOutSentences: 4 }
loop: { generations: 1, sequences: 6, length: 8, training: finetune }
seeds: 2
`;
const path = join(tmp, 'tiny.yaml');
writeFileSync(path, CONFIG);

describe('ouro pretrain', () => {
  it('makes generation 0 once for every seed of a shared base, then finds it', () => {
    const cache = join(tmp, 'cache-ok');
    const first = ouro(cache, 'pretrain', path);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^made: .*transformer-[0-9a-f]{32}\.base \(seed 0, 1; [\d.]+ s\)\n  trainLoss [\d.]+, heldOutLoss [\d.]+ nats per token/);
    const second = ouro(cache, 'pretrain', path);
    expect(second.out).toMatch(/^already cached: /);
    expect(readdirSync(cache).filter((f) => f.endsWith('.base'))).toHaveLength(1);
  });
});

describe('transformer bad input: exit 2 before any work', () => {
  const out = join(tmp, 'never');
  it.each([
    ['a vocabulary larger than the corpus supports', ['--set', 'tokenizer.vocab=4000'], /tokenizer.vocab: 4000 tokens is more than the training text supports \(\d+ .*\); lower tokenizer.vocab to ≤ \d+/],
    ['a sample length beyond the context', ['--set', 'loop.length=17'], /loop.length: a sequence of 17 tokens needs 17 positions, more than model.block_size 16/],
  ])('refuses %s', (_what, sets, pattern) => {
    const r = ouro(join(tmp, 'cache-bad'), 'run', path, '--out', out, ...sets);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a cache directory that cannot be written', () => {
    writeFileSync(join(tmp, 'a-file'), '');
    const r = ouro(join(tmp, 'a-file', 'cache'), 'run', path, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write the cache directory .*; set OURO_CACHE to a writable directory/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a cache entry made for another config or version', () => {
    const cache = join(tmp, 'cache-foreign');
    expect(ouro(cache, 'pretrain', path).code).toBe(0);
    const entry = join(cache, readdirSync(cache).find((f) => f.endsWith('.base'))!);
    const other = join(tmp, 'cache-other');
    expect(ouro(other, 'pretrain', path, '--set', 'train.steps=11').code).toBe(0);
    const foreign = join(other, readdirSync(other).find((f) => f.endsWith('.base'))!);
    writeFileSync(entry, spawnSync('cat', [foreign]).stdout); // a whole, valid entry, at the wrong address
    const r = ouro(cache, 'run', path, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds generation 0 of another config, not of this one; .*Remove it \(rm .*\.base\)/);
    expect(existsSync(out)).toBe(false);
  });
});
