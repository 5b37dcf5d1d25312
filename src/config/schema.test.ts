// What each family declares it supports, enforced by the schema: a setting a family does not
// support is refused at file:line:column with the reason, its default is still accepted (so
// resolved configs, and the run ids hashed from them, do not change), and the same rules
// validate a partial set of loop knobs (one agent's overrides).
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../families/index.ts';
import { ConfigError, parseConfig } from './load.ts';
import { configSchema, loopOverrideSchema, settingsFor } from './schema.ts';

const sections: Record<string, string> = {
  categorical: 'init: { probs: [0.5, 0.5] }',
  gaussian: 'init: { mean: [0], cov: [[1]] }',
  mixture: 'init: { weights: [0.5, 0.5], means: [-2, 2], sds: [1, 1] }',
  classifier: 'init: { weights: [1, 0] }',
  regression: 'model: { rows: 20, dims: 2 }',
  urn: 'init: { counts: [1, 1] }\nmodel: { rates: [0.5, 0.5] }',
  ngram: "corpus: { source: toy, text: 'a b c' }",
  transformer: "corpus: { source: toy, text: 'a b c' }",
};

/** A config of `family` whose loop holds `loop` (YAML lines), and the issues it raises. */
function issues(family: string, loop: string, extra = ''): string[] {
  const text = `family: ${family}\n${sections[family]}\n${extra}loop:\n${loop}\n`;
  try {
    parseConfig(text, 'exp.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => `${i.where} ${i.path}: ${i.message}`);
  }
  return [];
}

describe('families declare the loop settings they support', () => {
  it.each([
    ['mixture', '  temperature: 0.8', /^exp\.yaml:4:16 loop\.temperature: expected 1 or nothing \(the mixture family does not support temperature ≠ 1: a tempered mixture .*\); remove the key, got 0\.8\.$/],
    ['classifier', '  training: finetune', /^exp\.yaml:4:13 loop\.training: expected "scratch" or nothing \(the classifier family does not support fine-tuning: .*least squares\)/],
    ['gaussian', '  topK: 3', /^exp\.yaml:4:9 loop\.topK: expected 0 or nothing \(the gaussian family does not support top-k: .*density/],
    ['regression', '  samples: 50', /^exp\.yaml:4:12 loop\.samples: .*the regression family does not support loop\.samples: each generation relabels the model\.rows rows/],
    ['transformer', '  training: finetune\n  finetuneKeep: 0.5', /^exp\.yaml:5:17 loop\.finetuneKeep: .*the transformer family does not support loop\.finetuneKeep: it fine-tunes by further training/],
    ['urn', '  training: finetune', /loop\.training: .*the urn adds its findings to its belief/],
    ['ngram', '  samples: 100', /^exp\.yaml:4:12 loop\.samples: .*loop\.tokens or loop\.sentences/],
  ])('%s refuses %s', (family, loop, pattern) => {
    const got = issues(family, loop);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(pattern);
  });

  it('an unsupported setting at its default is accepted, and the resolved config is the same as without it', () => {
    const plain = parseConfig(`family: mixture\n${sections.mixture}\n`, 'a.yaml');
    const explicit = parseConfig(`family: mixture\n${sections.mixture}\nloop: { temperature: 1, topK: 0, training: scratch }\n`, 'a.yaml');
    expect(JSON.stringify(explicit)).toBe(JSON.stringify(plain));
  });

  it('filters a family cannot apply, or that lack their section, are refused where they are written', () => {
    expect(issues('classifier', '  filter: { kind: keepTop, fraction: 0.5 }')).toEqual([expect.stringMatching(/^exp\.yaml:4:11 loop\.filter\.by: the classifier family cannot filter by likelihood: a sign label has no likelihood/)]);
    expect(issues('gaussian', '  filter: { kind: reject }')).toEqual([expect.stringMatching(/loop\.filter\.kind: the gaussian family cannot reject items/)]);
    expect(issues('categorical', '  filter: { kind: choice }')).toEqual([expect.stringMatching(/^exp\.yaml:4:11 loop\.filter\.by: filter by reward needs a reward: add a top-level `reward` section/)]);
    expect(issues('categorical', '  filter: { kind: reject }')).toEqual([expect.stringMatching(/loop\.filter\.kind: filter reject needs the items to drop/)]);
    expect(issues('categorical', '  filter: { kind: choice }', 'reward: [0, 1]\n')).toEqual([]);
  });

  it('settings that would be silently ignored are refused', () => {
    expect(issues('categorical', '  accumulateWindow: 3')).toEqual([expect.stringMatching(/^exp\.yaml:4:21 loop\.accumulateWindow: a window applies to policy accumulate only \(policy is replace\)/)]);
    expect(issues('categorical', '  finetuneKeep: 0.5')).toEqual([expect.stringMatching(/^exp\.yaml:4:17 loop\.finetuneKeep: finetuneKeep applies when fine-tuning only/)]);
    expect(issues('categorical', '  policy: accumulate\n  accumulateWindow: 3\n  training: finetune\n  finetuneKeep: 0.5')).toEqual([]);
  });

  it("a family's checks across sections point at the field", () => {
    expect(issues('categorical', '  samples: 10', 'reward: [1, 2, 3]\n')).toEqual([expect.stringMatching(/^exp\.yaml:3:9 reward: expected 2 values \(one per outcome\), got \[1,2,3\]\./)]);
    expect(issues('gaussian', '  samples: 1')).toEqual([expect.stringMatching(/^exp\.yaml:4:12 loop\.samples: an unbiased variance refit needs at least 2 samples/)]);
    expect(issues('mixture', '  samples: 1')).toEqual([expect.stringMatching(/loop\.samples: EM needs at least one sample per component \(2\)/)]);
    expect(issues('ngram', '  tokens: 10\n  sentences: 10')).toEqual([expect.stringMatching(/^exp\.yaml:5:14 loop\.sentences: give either loop\.tokens or loop\.sentences/)]);
    expect(issues('transformer', '  maxLength: 200', 'model: { block_size: 64 }\n')).toEqual([expect.stringMatching(/^exp\.yaml:5:14 loop\.maxLength: a sentence of 200 tokens needs 201 positions, more than model\.block_size 64/)]);
    expect(issues('urn', '  samples: 2', 'reward: [1]\n')).toEqual([expect.stringMatching(/reward: expected 2 values \(one per region\)/)]);
  });

  it('a family supporting fewer policies refuses the others', () => {
    const base = FAMILIES.categorical!;
    const replaceOnly = { ...base, supports: { ...base.supports, policies: ['replace'] as const } };
    const r = configSchema(replaceOnly).safeParse({ family: 'categorical', init: { probs: [0.5, 0.5] }, loop: { policy: 'accumulate' } });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['loop.policy', 'expected policy replace (the categorical family supports no other)']]);
    expect(configSchema(replaceOnly).parse({ family: 'categorical', init: { probs: [0.5, 0.5] } }).loop.policy).toBe('replace');
  });
});

describe('loopOverrideSchema: a partial set of loop knobs, checked by the same rules', () => {
  it('keeps what is given and adds no defaults', () => {
    expect(loopOverrideSchema(FAMILIES.categorical!).parse({})).toEqual({});
    expect(loopOverrideSchema(FAMILIES.categorical!).parse({ temperature: 0.8, filter: { kind: 'keepTop', fraction: 0.5 } })).toEqual({ temperature: 0.8, filter: { kind: 'keepTop', fraction: 0.5, by: 'likelihood' } });
  });

  it('refuses a key the family does not support, with the reason, at the key', () => {
    const r = loopOverrideSchema(FAMILIES.mixture!).safeParse({ samples: 50, temperature: 0.5 });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['temperature']);
    expect(r.error?.issues[0]?.message).toMatch(/the mixture family does not support temperature ≠ 1/);
    expect(loopOverrideSchema(FAMILIES.classifier!).safeParse({ filter: { kind: 'choice', by: 'likelihood' } }).error?.issues[0]?.path).toEqual(['filter', 'by']);
    expect(loopOverrideSchema(FAMILIES.ngram!).safeParse({ tempreature: 1 }).error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('settings: the only way loop settings reach a family', () => {
  it('carry the loop options (schedule, constant n, sampling) and the family keys', () => {
    const s = settingsFor(FAMILIES.ngram!, { corpus: { source: 'toy', text: 'a b' }, loop: { sentences: [{ from: 0, n: 5 }, { from: 3, n: 9 }], temperature: 0.5, maxLength: 7 } });
    expect([s.loop.samples(1), s.loop.samples(3), s.loop.constantSamples]).toEqual([5, 9, undefined]);
    expect(s.loop.sampling).toEqual({ temperature: 0.5, topK: 0, topP: 1, minP: 0 });
    expect((s.loop as unknown as { maxLength: number }).maxLength).toBe(7);
    expect(settingsFor(FAMILIES.regression!, { model: { rows: 20, dims: 2 } }).loop.constantSamples).toBe(20);
    expect(settingsFor(FAMILIES.urn!, { init: { counts: [1, 1] }, model: { rates: [1, 1] } }).loop).toMatchObject({ policy: 'accumulate', constantSamples: 1 });
  });
});
