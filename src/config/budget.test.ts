// A run that cannot fit is refused by parseConfig, before any work, at the key that sizes it,
// with the least memory it needs; runs that fit pass untouched.
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../families/index.ts';
import { bytes, memoryParts, overBudget } from './budget.ts';
import { ConfigError, parseConfig } from './load.ts';

const COIN = 'name: coin\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 100, samples: 10 }\nseeds: 20\n';
const NGRAM = 'name: ng\nfamily: ngram\ncorpus: { source: file, path: /nowhere/text.txt }\nloop: { generations: 10, tokens: 1000 }\nseeds: 1\n';
const GPT = 'name: gpt\nfamily: transformer\ncorpus: { source: file, path: /nowhere/text.txt }\nmodel: { n_layer: 2, d_model: 64, n_head: 4, block_size: 32 }\nloop: { generations: 2, sentences: 10 }\nseeds: 1\n';
const GB = 1e9;

function refusal(text: string, sets: string[] = [], limits = { total: 24 * GB, heap: 4 * GB }) {
  try {
    parseConfig(text, 'x.yaml', sets, undefined, undefined, limits);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues[0]!;
    throw e;
  }
  return undefined;
}

describe('sizes that cannot fit are refused before any work', () => {
  it('a billion seeds, at the seeds key with the estimate', () => {
    const issue = refusal(COIN.replace('seeds: 20', 'seeds: 1000000000'));
    expect(issue?.where).toBe('x.yaml:5:8');
    expect(issue?.path).toBe('seeds');
    expect(issue?.message).toMatch(/this run cannot fit: it needs at least 26\d GB of memory \(seeds: 256 GB for 1,000,000,000 seeds.*more than this machine's memory \(24 GB\); make seeds smaller/);
  });

  it('a billion generations recorded every one: the schedule alone exceeds the heap; without stopping, the values the machine', () => {
    const every = refusal(COIN, ['loop.generations=1e9', 'record=every', 'loop.stopWhenCollapsed=true']);
    expect(every?.where).toBe('--set loop.generations=1e9');
    expect(every?.message).toMatch(/at least 8\.0 GB .*1,000,000,001 recorded generations .*more than Node's heap limit \(4\.0 GB\); make loop\.generations smaller, or raise the limit with NODE_OPTIONS/);
    expect(refusal(COIN, ['loop.generations=1e9', 'record=every', 'loop.stopWhenCollapsed=false'])?.message).toMatch(/at least 168 GB .*20,000,000,020 recorded metric values.*more than this machine's memory/);
  });

  it("a family's own sizes: n-gram tokens per generation, a transformer's width", () => {
    expect(refusal(NGRAM, ['loop.tokens=1e12'])).toMatchObject({ path: 'loop.tokens', message: expect.stringMatching(/4\.0 TB for a generation's 1,000,000,000,000 sampled tokens/) });
    const wide = refusal(GPT.replace('d_model: 64', 'd_model: 1000000'));
    expect(wide).toMatchObject({ where: 'x.yaml:4:31', path: 'model.d_model' });
    expect(wide?.message).toMatch(/at least 3\d\d TB .*2\.40e\+13 parameters/);
  });

  it('the same configs at workable sizes pass, and every example passes on this machine', () => {
    expect(refusal(COIN)).toBeUndefined();
    expect(refusal(NGRAM)).toBeUndefined();
    expect(refusal(GPT)).toBeUndefined();
    expect(refusal(COIN, ['seeds=100000'])).toBeUndefined();
    // The limits compare against the estimate, not a constant: a small machine refuses sooner.
    expect(refusal(COIN, ['seeds=100000'], { total: 10e6, heap: 10e6 })?.message).toMatch(/26 MB .*more than this machine's memory \(10 MB\)/);
  });

  it('the estimate is the sum of its parts, each sized by its key', () => {
    const config = parseConfig(GPT, 'x.yaml');
    const parts = memoryParts(config, FAMILIES.transformer!);
    const params = 2 * (12 * 64 * 64 + 13 * 64) + 32 * 64 + 2 * 64;
    expect(parts.find((p) => p.field === 'model.d_model')?.bytes).toBe(params * 16);
    expect(parts.find((p) => p.field === 'train.batch')?.bytes).toBe(32 * 32 * 64 * 2 * 4);
    const need = parts.reduce((s, p) => s + p.bytes, 0);
    expect(overBudget(config, FAMILIES.transformer!, { total: need, heap: need })).toBeUndefined();
    expect(overBudget(config, FAMILIES.transformer!, { total: need - 1, heap: need })?.field).toBe('model.d_model');
  });

  it('prints sizes in decimal units', () => {
    expect([bytes(88), bytes(1500), bytes(2.5e6), bytes(8e9), bytes(3.84e14)]).toEqual(['88 bytes', '1.5 kB', '2.5 MB', '8.0 GB', '384 TB']);
  });
});
