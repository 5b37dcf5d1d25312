// The ecosystem section: what it resolves to, and every bad input of docs/ecosystems.md as an
// error at file:line:column naming the field, what was expected and the fix.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load.ts';
import { ecosystemPlan } from './ecosystem.ts';
import { FAMILIES } from '../families/index.ts';

const BASE = `name: eco
family: categorical
init: { probs: [0.5, 0.5] }
ecosystem:
  posts: 100
  agents:
    - { name: a, samples: 80 }
    - { name: b, samples: 60, posts: 60, init: { probs: [0.8, 0.2] }, temperature: 0.9 }
  humans: { name: people, posts: 50, reads: { a: 1, b: 1, people: 2 }, stubbornness: 0.3 }
  reads:
    a: { a: 5, b: 2, people: 1 }
    b: { a: 1, b: 6, people: 1 }
loop: { generations: 200 }
`;

function issues(text: string): string[] {
  try {
    parseConfig(text, 'eco.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => `${i.where} ${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('ecosystem config', () => {
  it('resolves each agent from the config and its overrides, and the people from the config', () => {
    const config = parseConfig(BASE, 'eco.yaml');
    const plan = ecosystemPlan(config, FAMILIES.categorical!);
    const [a, b] = plan.agents;
    expect(a!.settings.loop.samples(1)).toBe(80);
    expect(a!.posts(1)).toBe(100);
    expect(a!.reads).toEqual([5, 2, 1]);
    expect(b!.settings.loop.sampling.temperature).toBe(0.9);
    expect((b!.settings as unknown as { init: { probs: number[] } }).init.probs).toEqual([0.8, 0.2]);
    expect(b!.posts(1)).toBe(60);
    expect(plan.people).toEqual({ name: 'people', posts: 50, drift: { reads: [1, 1, 2], stubbornness: 0.3 } });
    // Defaults: posts are an agent's samples, an agent reads only itself, people do not drift.
    const lone = ecosystemPlan(parseConfig('family: categorical\ninit: { probs: [0.5, 0.5] }\necosystem: { agents: [{ name: a, samples: 30 }, { name: b }] }\n', 'x.yaml'), FAMILIES.categorical!);
    expect(lone.agents.map((x) => [x.posts(1), x.reads])).toEqual([[30, [1, 0]], [100, [0, 1]]]);
    expect(lone.people).toBeUndefined();
  });

  it('fills the defaults inside an agent’s knobs, so the run records them', () => {
    const config = parseConfig(BASE.replace('{ name: a, samples: 80 }', '{ name: a, samples: 80, filter: { kind: keepTop, fraction: 0.5 } }'), 'eco.yaml');
    expect((config.ecosystem as { agents: { filter?: unknown }[] }).agents[0]!.filter).toEqual({ kind: 'keepTop', fraction: 0.5, by: 'likelihood' });
  });

  it.each([
    ['a reads entry naming an unknown author', BASE.replace('a: { a: 5, b: 2, people: 1 }', 'a: { a: 5, c: 2, people: 1 }'), /^eco\.yaml:11:19 ecosystem\.reads\.a\.c: expected a weight on a known author \(a, b, people\), but 'c' is none/],
    ['reads of an unknown agent', BASE.replace('    b: { a: 1, b: 6, people: 1 }', '    b: { a: 1, b: 6, people: 1 }\n    c: { a: 1 }'), /^eco\.yaml:13:8 ecosystem\.reads\.c: expected the reads of an agent \(a, b\)/],
    ['a negative weight', BASE.replace('b: { a: 1, b: 6', 'b: { a: -1, b: 6'), /^eco\.yaml:12:13 ecosystem\.reads\.b\.a: read weights must be ≥ 0, got -1/],
    ['weights that are all zero', BASE.replace('a: { a: 5, b: 2, people: 1 }', 'a: { a: 0, b: 0, people: 0 }'), /^eco\.yaml:11:8 ecosystem\.reads\.a: expected some positive weight: with all weights 0, a would read nothing/],
    ['people’s weights all zero', BASE.replace('reads: { a: 1, b: 1, people: 2 }', 'reads: { a: 0, b: 0 }'), /ecosystem\.humans\.reads: expected some positive weight/],
    ['stubbornness above 1', BASE.replace('stubbornness: 0.3', 'stubbornness: 1.3'), /^eco\.yaml:9:86 ecosystem\.humans\.stubbornness: stubbornness must be in \[0, 1\], got 1\.3/],
    ['stubbornness below 0', BASE.replace('stubbornness: 0.3', 'stubbornness: -0.1'), /ecosystem\.humans\.stubbornness: stubbornness must be in \[0, 1\], got -0\.1/],
    ['stubbornness without reads', BASE.replace('reads: { a: 1, b: 1, people: 2 }, ', ''), /ecosystem\.humans\.stubbornness: expected humans\.reads beside it/],
    ['two agents with the same name', BASE.replace('name: b, samples: 60', 'name: a, samples: 60'), /^eco\.yaml:8:15 ecosystem\.agents\.1\.name: expected a name of its own \(ecosystem\.agents\.0 is also named 'a'\)/],
    ['people named like an agent', BASE.replace('name: people', 'name: a'), /ecosystem\.humans\.name: expected a name no agent has/],
    ['posts: 0 for an author someone reads', BASE.replace('samples: 60, posts: 60', 'samples: 60, posts: 0'), /^eco\.yaml:8:38 ecosystem\.agents\.1\.posts: expected b to post \(people reads it with weight 1\), but it posts nothing at generation 1/],
    ['people who post nothing but are read', BASE.replace('name: people, posts: 50', 'name: people, posts: 0'), /^eco\.yaml:9:34 ecosystem\.humans\.posts: expected people to post \(people reads it with weight 2\)/],
    ['reads asking for more posts than the author writes', BASE.replace('samples: 60, posts: 60', 'samples: 90, posts: 60'), /^eco\.yaml:12:19 ecosystem\.reads\.b\.b: expected b to read at most the 60 posts b writes per generation, but it reads round\(90·6\/8\) = 68 of them at generation 1; lower b's samples or its weight on b, or let b post more, got 6\./],
    ['an agent reading only itself past what it posts', 'family: categorical\ninit: { probs: [0.5, 0.5] }\necosystem: { agents: [{ name: a, samples: 30, posts: 20 }] }\n', /^eco\.yaml:3:43 ecosystem\.agents\.0\.samples: expected a to read at most the 20 posts a writes/],
    ['a temperature the family refuses on an agent', BASE.replace('temperature: 0.9', 'temperature: -1'), /^eco\.yaml:8:84 ecosystem\.agents\.1\.temperature: temperature must be ≥ 0/],
    ['a key the family does not support on an agent', BASE.replace('family: categorical', 'family: gaussian').replace('init: { probs: [0.5, 0.5] }', 'init: { mean: [0], cov: [[1]] }').replace(', init: { probs: [0.8, 0.2] }', ', topK: 5'), /^eco\.yaml:8:48 ecosystem\.agents\.1\.topK: expected 0 or nothing \(the gaussian family does not support top-k/],
    ['an unknown key on an agent', BASE.replace('{ name: a, samples: 80 }', '{ name: a, samples: 80, temprature: 2 }'), /^eco\.yaml:7:43 ecosystem\.agents\.0\.temprature: unknown key 'temprature'/],
    ['a pool setting on an agent', BASE.replace('{ name: a, samples: 80 }', '{ name: a, samples: 80, policy: accumulate }'), /ecosystem\.agents\.0\.policy: expected no policy on an agent \(the pool has one policy: set ecosystem\.pool\.policy\)/],
    ['a loop policy instead of the pool’s', BASE.replace('loop: { generations: 200 }', 'loop: { generations: 200, policy: accumulate }'), /loop\.policy: expected "replace" in an ecosystem \(the pool has one policy/],
    ['grounding instead of people', BASE.replace('loop: { generations: 200 }', 'loop: { generations: 200, realFraction: 0.1 }'), /loop\.realFraction: expected 0 in an ecosystem \(real data in an ecosystem is what the humans post/],
    ['a window without accumulate', BASE.replace('loop:', '  pool: { policy: replace, window: 3 }\nloop:'), /ecosystem\.pool\.window: expected policy accumulate beside it/],
    ['an agent with another number of outcomes', BASE.replace('init: { probs: [0.8, 0.2] }', 'init: { probs: [0.8, 0.1, 0.1] }'), /ecosystem\.agents\.1\.init: b: its init has 3 outcomes and the config's has 2/],
    ['an agent’s settings that contradict each other', BASE.replace('{ name: a, samples: 80 }', '{ name: a, samples: 80, finetuneKeep: 0.5 }'), /ecosystem\.agents\.0\.finetuneKeep: a: finetuneKeep applies when fine-tuning only/],
    ['an init that is not a distribution', BASE.replace('init: { probs: [0.8, 0.2] }', 'init: { probs: [0.8, 0.3] }'), /ecosystem\.agents\.1\.init\.probs: probabilities must sum to 1/],
    ['people without a number of posts', BASE.replace('  posts: 100\n', '').replace('name: people, posts: 50, ', 'name: people, '), /ecosystem\.humans: expected humans\.posts \(or ecosystem\.posts\)/],
    ['a family without ecosystem support', 'family: urn\ninit: { counts: [0.7, 1.3] }\nmodel: { rates: [1, 1] }\necosystem: { agents: [{ name: a }] }\n', /^eco\.yaml:4:12 ecosystem: expected a family whose agents can share a pool/],
    ['people who drift in an n-gram ecosystem', 'family: ngram\ncorpus: { source: toy, text: a b c }\necosystem:\n  agents: [{ name: a }]\n  humans: { posts: 10, reads: { a: 1 } }\n', /ecosystem\.humans\.reads: expected no reads: people cannot drift in a ngram ecosystem/],
    ['an init on a family without one', 'family: ngram\ncorpus: { source: toy, text: a b c }\necosystem: { agents: [{ name: a, init: { probs: [1] } }] }\n', /ecosystem\.agents\.0\.init: expected no init: the ngram family has no init section/],
    ['a name that cannot prefix a metric', BASE.replace('name: a, samples: 80', 'name: a.b, samples: 80'), /ecosystem\.agents\.0\.name: a name starts with a letter/],
  ])('refuses %s at file:line:column', (_what, text, pattern) => {
    const found = issues(text);
    expect(found.some((m) => pattern.test(m)), found.join('\n')).toBe(true);
  });

  it('reports two authors of one name alone, not every read that names them', () => {
    const found = issues(BASE.replace('name: b, samples: 60', 'name: a, samples: 60'));
    expect(found, found.join('\n')).toHaveLength(1);
  });
});
