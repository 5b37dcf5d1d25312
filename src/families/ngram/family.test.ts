import { describe, expect, it } from 'vitest';
import { describeFamilyContract } from '../../core/family-contract.test-support.ts';
import { PLAIN } from '../../core/family.ts';
import { drawFiltered } from '../../core/filters.ts';
import type { Experiment } from '../../core/loop.ts';
import { foldIn, key } from '../../core/random.ts';
import type { Io } from '../entry.ts';
import type { Packed } from '../text/vocab.ts';
import { settingsFor } from '../../config/schema.ts';
import { entry, type NgramResources, type NgramSettings } from './index.ts';
import { probChange } from './metrics.ts';
import { revive, type NgramModel } from './model.ts';

const noFiles: Io = {
  readFile: async (p) => {
    throw new Error(`ENOENT ${p}`);
  },
  importModule: async (s) => {
    throw new Error(`no module ${s}`);
  },
};

const TEXT = ['the cat sat', 'the dog sat down', 'a cat ran', 'the cat ran down the road', 'a dog sat', 'the road ran down', 'a cat', 'the dog ran'].join('\n');

/** Settings through the real schema (defaults filled, cross-field checks run), as the runner gives them. */
function config(over: { corpus?: object; model?: object; loop?: object; reward?: object; reject?: object } = {}): NgramSettings {
  return settingsFor(entry, { corpus: { source: 'toy', text: TEXT }, loop: {}, ...over });
}

async function experiment(c: NgramSettings) {
  const res = await entry.resolve!(c, noFiles);
  return { res, exp: entry.setup(c, res, key(1)) as unknown as Experiment<NgramModel, Packed> };
}

const contractConfig = config({ loop: { sentences: 50, training: 'finetune', finetuneKeep: 0.5 } });
const contractRes: NgramResources = await entry.resolve!(contractConfig, noFiles);

describeFamilyContract('ngram', () => entry.setup(contractConfig, contractRes, key(2)) as never, {
  // Generation-0-weighted total variation of next-token distributions (probChange).
  distance: (a: NgramModel, b: NgramModel) => probChange(a, b),
  largeN: 200_000,
  // Each context is visited ≥ ~0.1 times per sentence, so ≥ 2·10^4 draws: sd(p̂) ≤ ½/√(2·10^4) ≈ 0.0035
  // per next-token probability; TV over ≤ 6 continuations, 5 sd: ½ · 6 · 5 · 0.0035 ≈ 0.053.
  tolerance: 0.053,
  revive,
  models: (exp) => [exp.family.fit(exp.family.sample(exp.initial, 1, PLAIN, key(3)), { key: key(4) })],
});

describe('ngram entry', () => {
  it('sizes a generation in tokens by default, or in sentences', async () => {
    expect(config().loop.samples(1)).toBe(10000);
    expect(config({ loop: { tokens: [{ from: 0, n: 100 }, { from: 5, n: 300 }] } }).loop.samples(7)).toBe(300);
    const { exp } = await experiment(config({ loop: { sentences: 3 } }));
    expect(exp.family.size(exp.family.sample(exp.initial, 3, PLAIN, key(5)))).toBe(3);
  });

  it('clear errors: samples instead of tokens, an order the corpus cannot fill, keepTop counted in tokens, unknown words', async () => {
    expect(() => config({ loop: { samples: 100 } })).toThrow(/loop.tokens or loop.sentences/);
    await expect(entry.resolve!(config({ corpus: { source: 'toy', text: 'a b\nc' }, model: { order: 4 } }), noFiles)).rejects.toThrow(/no training sentence has the 3 tokens/);
    expect(() => config({ loop: { tokens: 10, sentences: 10 } })).toThrow(/either loop.tokens or loop.sentences/);
    expect(() => config({ loop: { filter: { kind: 'keepTop', fraction: 0.5, by: 'likelihood' } } })).toThrow(/size generations by loop.sentences/);
    const c = config({ reject: { words: ['zebra'] } });
    const res = await entry.resolve!(c, noFiles);
    expect(() => entry.setup(c, res, key(6))).toThrow(/"zebra" never occur/);
  });

  it('the held-out split is fixed per root seed, and fresh real data come from the training sentences only', async () => {
    const c = config({ corpus: { source: 'toy', text: TEXT, heldOut: 0.25 }, loop: { sentences: 5 } });
    const { res, exp } = await experiment(c);
    expect(res.heldOut.offsets.length - 1).toBe(2);
    expect((await entry.resolve!(c, noFiles)).heldOut).toEqual(res.heldOut);
    const show = (d: Packed) => exp.family.show!(d, 1000);
    const train = new Set(show(res.train));
    for (const s of show(exp.drawReal(200, key(7)))) expect(train.has(s)).toBe(true);
    expect(show(res.heldOut).some((s) => !train.has(s))).toBe(true);
  });

  it('filters: keepTop by reward keeps longer sentences; reject drops sentences with listed words', async () => {
    const c = config({ loop: { sentences: 400, filter: { kind: 'keepTop', fraction: 0.25, by: 'reward' } }, reward: { kind: 'length' }, reject: { words: ['dog'] } });
    const { exp } = await experiment(c);
    const f = exp.family;
    const meanLen = (d: Packed) => (d.offsets.at(-1)! - d.offsets[0]!) / (d.offsets.length - 1);
    const plain = f.sample(exp.initial, 400, PLAIN, key(8));
    const kept = drawFiltered(f, exp.initial, 400, PLAIN, { kind: 'keepTop', fraction: 0.25, by: 'reward' }, key(9));
    expect(f.size(kept)).toBe(400);
    expect(meanLen(kept)).toBeGreaterThan(meanLen(plain) + 1);
    const clean = drawFiltered(f, exp.initial, 400, PLAIN, { kind: 'reject' }, key(10));
    expect(f.show!(clean, 400).some((s) => s.split(' ').includes('dog'))).toBe(false);
    expect(f.show!(plain, 400).some((s) => s.split(' ').includes('dog'))).toBe(true);
    const byWords = config({ loop: { sentences: 10 }, reward: { kind: 'words', words: ['cat', 'dog'] } });
    const w = (await experiment(byWords)).exp.family;
    const one = w.sample(exp.initial, 50, PLAIN, foldIn(key(11), 1));
    const r = w.reward!(one);
    w.show!(one, 50).forEach((s, i) => expect(r[i]).toBe(s.split(' ').filter((x) => x === 'cat' || x === 'dog').length));
  });

  it('final: the most probable sentence as text; show decodes sentences', async () => {
    const { exp } = await experiment(config({ corpus: { source: 'toy', text: 'a b c b c b a' }, loop: { sentences: 3 } }));
    expect(exp.family.final!(exp.initial)).toEqual({ finalSample: 'a' });
    const s = exp.family.sample(exp.initial, 3, PLAIN, key(12));
    expect(exp.family.show!(s, 2)).toHaveLength(2);
  });
});
