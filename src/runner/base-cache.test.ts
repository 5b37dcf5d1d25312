// The cache of generation 0: made once and reused (bit-identical results either way), damaged
// entries made again, foreign ones refused, an unwritable directory refused before any work,
// and a dead builder's lock taken over. Every test uses its own temporary OURO_CACHE.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../core/loop.ts';
import { ConfigError, parseConfig } from '../config/load.ts';
import { cachedInitial, slotOf, writeSlot } from './base-cache.ts';
import { nodeIo } from './io.ts';
import { experimentOf, prepare } from './prepare.ts';
import { setupKey } from '../core/seeds.ts';
import { runToDir } from './run.ts';

const root = mkdtempSync(join(tmpdir(), 'ouro-base-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `cache-${n++}`);

const text = 'the cat sat on the mat\nthe dog sat on the log\na cat and a dog\nthe mat and the log\n'.repeat(3);
const config = (over: Record<string, unknown> = {}) =>
  parseConfig(
    JSON.stringify({
      name: 'cached',
      family: 'transformer',
      corpus: { source: 'toy', text, level: 'char', heldOut: 0.1 },
      base: 'shared',
      model: { n_layer: 1, d_model: 16, n_head: 2, block_size: 16 },
      train: { steps: 10, batch: 2 },
      finetune: { steps: 2, batch: 2 },
      metrics: { samples: 8, heldOutSentences: 4 },
      loop: { generations: 2, sentences: 6, training: 'finetune' },
      seeds: 2,
      record: 'every',
      ...over,
    }),
    'cached.json',
  );
const params = (m: unknown) => (m as { params: Float32Array }).params;
const bases = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.base'));

describe('the cache of generation 0', () => {
  it('makes a shared base once, and a run from the cache writes the same bytes as one without', async () => {
    const cache = fresh();
    const prep = await prepare(config(), nodeIo, { OURO_CACHE: cache });
    runToDir(prep, join(root, 'a'), true);
    expect(bases(cache)).toHaveLength(1);
    const again = await prepare(config(), nodeIo, { OURO_CACHE: cache });
    runToDir(again, join(root, 'b'), true);
    const uncached = await prepare(config(), nodeIo, { OURO_CACHE: fresh() });
    runToDir(uncached, join(root, 'c'), true);
    const log = (d: string) => readFileSync(join(root, d, 'generations.jsonl'));
    expect(log('b')).toEqual(log('a'));
    expect(log('c')).toEqual(log('a'));
    expect(bases(cache)).toHaveLength(1);
  });

  it('reuses the entry without training: a stored base loads for an experiment that cannot train', async () => {
    const cache = fresh();
    const prep = await prepare(config(), nodeIo, { OURO_CACHE: cache });
    const made = experimentOf(prep, 0).initial;
    const slot = slotOf(cache, prep.entry, prep.settings, prep.resources, setupKey(prep.config.seed, 1));
    const setUp = prep.entry.setup(prep.settings, prep.resources, setupKey(prep.config.seed, 1));
    const exp = Object.create(setUp, { initial: { get: () => expect.fail('trained again') } }) as Experiment<unknown, unknown>;
    expect(params(cachedInitial(prep.entry, slot, exp, () => {}))).toEqual(params(made));
  });

  it('keeps one base per seed unless shared', async () => {
    const cache = fresh();
    const prep = await prepare(config({ base: 'seed' }), nodeIo, { OURO_CACHE: cache });
    expect(params(experimentOf(prep, 0).initial)).not.toEqual(params(experimentOf(prep, 1).initial));
    expect(bases(cache)).toHaveLength(2);
  });

  it('makes a damaged entry again, saying so', async () => {
    const cache = fresh();
    const prep = await prepare(config(), nodeIo, { OURO_CACHE: cache });
    const good = params(experimentOf(prep, 0).initial);
    const file = join(cache, bases(cache)[0]!);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 10)); // torn
    const notes: string[] = [];
    const again = await prepare(config(), nodeIo, { OURO_CACHE: cache });
    const slot = slotOf(cache, again.entry, again.settings, again.resources, setupKey(again.config.seed, 0));
    const raw = again.entry.setup(again.settings, again.resources, setupKey(again.config.seed, 0)); // as setup made it, not through the cache
    expect(params(cachedInitial(again.entry, slot, raw, (l) => notes.push(l)))).toEqual(good);
    expect(notes.join()).toMatch(/do not match their hash; making it again/);
    expect(readFileSync(file)).toEqual(bytes);
  });

  it('refuses, before any work, an entry made for another config or version', async () => {
    const cache = fresh();
    const prep = await prepare(config(), nodeIo, { OURO_CACHE: cache });
    const slot = slotOf(cache, prep.entry, prep.settings, prep.resources, setupKey(prep.config.seed, 0));
    writeSlot({ path: slot.path, key: 'another' }, new Uint8Array([1, 2, 3]));
    const refused = prepare(config(), nodeIo, { OURO_CACHE: cache });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(/holds generation 0 of another config.*Remove it \(rm .*\.base\) or set OURO_CACHE/);
    // A whole entry (its hash verifies) written by another version of the cache's format.
    const payload = new Uint8Array([4, 5, 6]);
    const header = { format: 'ouroboros-base-cache-0', key: slot.key, bytes: payload.length, sha256: createHash('sha256').update(payload).digest('hex') };
    writeFileSync(slot.path, Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), payload]));
    const older = prepare(config(), nodeIo, { OURO_CACHE: cache });
    await expect(older).rejects.toThrow(ConfigError);
    await expect(older).rejects.toThrow(/holds generation 0 of another version \(ouroboros-base-cache-0\), not of this one.*Remove it/);
    expect(readFileSync(slot.path).subarray(-3)).toEqual(Buffer.from(payload)); // left as it was
  });

  it('refuses a cache directory that cannot be written, naming OURO_CACHE', async () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, '');
    await expect(prepare(config(), nodeIo, { OURO_CACHE: join(file, 'cache') })).rejects.toThrow(/cannot write the cache directory .*not-a-dir\/cache \(ENOTDIR\); set OURO_CACHE to a writable directory/);
  });

  it("takes over a dead builder's lock", async () => {
    const cache = fresh();
    const prep = await prepare(config(), nodeIo, { OURO_CACHE: cache });
    const slot = slotOf(cache, prep.entry, prep.settings, prep.resources, setupKey(prep.config.seed, 0));
    writeFileSync(`${slot.path}.lock`, JSON.stringify({ host: (await import('node:os')).hostname(), pid: 2 ** 22 + 12345 }));
    expect(params(experimentOf(prep, 0).initial)).toHaveLength(params(experimentOf(prep, 1).initial).length);
    expect(existsSync(`${slot.path}.lock`)).toBe(false);
    expect(bases(cache)).toHaveLength(1);
  });
});
