import { describe, expect, it } from 'vitest';
import { ConfigError } from './load.ts';
import { multirun, planSweep } from './sweep.ts';

const base = `name: s
family: categorical
init: { probs: [0.5, 0.5] }
loop: { generations: 100, samples: 20 }
seeds: 3
`;
const withSweep = `${base}sweep:
  grid:
    loop.temperature: [0.8, 1, 1.25]
    loop.samples: [20, 100]
  cases:
    - { loop.policy: replace }
    - { loop.policy: accumulate, init.probs: [0.3, 0.7] }
`;

function issueOf(f: () => unknown): { where: string; path: string; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues[0]!;
  }
  throw new Error('expected a ConfigError');
}

describe('planSweep', () => {
  it('sweeps an ecosystem agent by its index and the people by their keys', () => {
    const eco = `${base}ecosystem:\n  agents: [{ name: a }, { name: b, temperature: 0.9 }]\n  humans: { posts: 10, reads: { a: 1 }, stubbornness: 0.2 }\nsweep:\n  grid:\n    ecosystem.agents.1.temperature: [0.8, 1.2]\n    ecosystem.humans.stubbornness: [0, 1]\n`;
    const plan = planSweep(eco, 'x.yaml', [], { yes: false });
    const of = (c: number) => plan.cells[c]!.config.ecosystem as { agents: { temperature?: number }[]; humans: { stubbornness: number } };
    expect(plan.cells.map((_, c) => [of(c).agents[1]!.temperature, of(c).humans.stubbornness])).toEqual([[0.8, 0], [0.8, 1], [1.2, 0], [1.2, 1]]);
    expect(of(0).agents[0]!.temperature).toBeUndefined();
  });

  it('crosses the grid (first axis slowest) with the cases', () => {
    const plan = planSweep(withSweep, 'x.yaml', [], { yes: false });
    expect(plan.cells).toHaveLength(3 * 2 * 2);
    expect(plan.keys).toEqual(['loop.temperature', 'loop.samples', 'loop.policy', 'init.probs']);
    expect(plan.cells.map((c) => [c.values['loop.temperature'], c.values['loop.samples'], c.values['loop.policy']]).slice(0, 5)).toEqual([
      [0.8, 20, 'replace'],
      [0.8, 20, 'accumulate'],
      [0.8, 100, 'replace'],
      [0.8, 100, 'accumulate'],
      [1, 20, 'replace'],
    ]);
    const c = plan.cells[3]!.config as unknown as { loop: { temperature: number; samples: number; policy: string }; init: { probs: number[] } };
    expect(c.loop).toMatchObject({ temperature: 0.8, samples: 100, policy: 'accumulate' });
    expect(c.init.probs).toEqual([0.3, 0.7]);
    expect(plan.cells.map((x) => x.index)).toEqual([...Array(12).keys()]);
  });

  it('gives a cell the same config as `ouro run --set` would', () => {
    const plan = planSweep(withSweep, 'x.yaml', [], { yes: false });
    const direct = planSweep(base, 'x.yaml', ['loop.temperature=1.25', 'loop.samples=100', 'loop.policy=replace'], { yes: false });
    expect(direct.cells).toHaveLength(1);
    expect(plan.cells[10]!.config).toEqual(direct.cells[0]!.config);
  });

  it('turns a comma list in --set into a grid axis, replacing a grid axis of that key', () => {
    const plan = planSweep(withSweep, 'x.yaml', ['loop.temperature=0.5,2', 'loop.realFraction=0,0.1', 'seeds=2'], { yes: false });
    expect(plan.cells).toHaveLength(2 * 2 * 2 * 2);
    expect(new Set(plan.cells.map((c) => c.values['loop.temperature']))).toEqual(new Set([0.5, 2]));
    expect(plan.cells.every((c) => c.config.seeds === 2)).toBe(true);
    expect(multirun('init.probs=[0.5,0.5]')).toBeUndefined(); // commas inside brackets are one value
    expect(multirun('name="a,b"')).toBeUndefined();
    expect(multirun('loop.samples=10,20')?.values).toEqual([10, 20]);
  });

  it('is a single cell without a sweep section', () => {
    expect(planSweep(base, 'x.yaml', [], { yes: false }).cells).toHaveLength(1);
  });

  it('names an unknown grid key with its line and column', () => {
    const i = issueOf(() => planSweep(withSweep.replace('loop.samples:', 'loop.sampls:'), 'x.yaml', [], { yes: false }));
    expect(i.where).toMatch(/^x\.yaml:9:\d+/);
    expect(i.path).toBe('loop.sampls');
    expect(i.message).toMatch(/unknown key 'sampls'/);
    const top = issueOf(() => planSweep(withSweep.replace('loop.samples:', 'lop.samples:'), 'x.yaml', [], { yes: false }));
    expect(top.where).toMatch(/^x\.yaml:9:/);
    expect(top.message).toMatch(/unknown key 'lop'/);
  });

  it('rejects a malformed key, a non-list axis and a bad value where they are', () => {
    expect(issueOf(() => planSweep(withSweep.replace('loop.samples:', 'loop..samples:'), 'x.yaml', [], { yes: false })).message).toMatch(/malformed sweep key 'loop\.\.samples'/);
    expect(issueOf(() => planSweep(withSweep.replace('[20, 100]', '20'), 'x.yaml', [], { yes: false })).message).toMatch(/non-empty list of values for 'loop.samples'/);
    const bad = issueOf(() => planSweep(withSweep.replace('[0.8, 1, 1.25]', '[0.8, -1]'), 'x.yaml', [], { yes: false }));
    expect(bad.where).toMatch(/^x\.yaml:8:\d+ \(sweep\.grid loop\.temperature\)/);
    expect(bad.message).toMatch(/temperature must be ≥ 0/);
    expect(issueOf(() => planSweep(withSweep.replace('grid:', 'grdi:'), 'x.yaml', [], { yes: false })).message).toMatch(/unknown key 'grdi' in sweep/);
    expect(issueOf(() => planSweep(base, 'x.yaml', ['loop.bogus=1,2'], { yes: false })).where).toBe('--set loop.bogus=1,2');
  });

  it('needs yes above the cell limit', () => {
    const i = issueOf(() => planSweep(withSweep, 'x.yaml', ['seed=0,1,2,3,4'], { yes: false, limit: 50 }));
    expect(i.message).toMatch(/60 cells .* more than the limit of 50\. Pass --yes/);
    expect(planSweep(withSweep, 'x.yaml', ['seed=0,1,2,3,4'], { yes: true, limit: 50 }).cells).toHaveLength(60);
  });
});
