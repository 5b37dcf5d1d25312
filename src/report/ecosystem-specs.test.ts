// Plots of an ecosystem run: each metric of every author on one figure (one line per author,
// the people dashed, each author's theory dotted), the ecosystem's own metrics on their own,
// and every single metric still reachable by name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plotFor } from './plot.ts';
import { toSvg } from './render.ts';
import { readRun } from './run-dir.ts';
import { runSpecs } from './specs.ts';
import { writeRun } from './test-runs.test-support.ts';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ouro-eco-plot-'));
  const people = 'family: categorical\ninit: { probs: [0.5, 0.5] }\necosystem:\n  agents: [{ name: a, samples: 20 }, { name: b, samples: 20 }]\n  humans: { posts: 10, reads: { a: 1, b: 1 }, stubbornness: 0.5 }\n  reads: { a: { a: 2, b: 1, people: 1 }, b: { a: 1, b: 2, people: 1 } }\nloop: { generations: 30 }\nseeds: 8\nrecord: every\n';
  await writeRun(join(root, 'people'), people);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const groups = (svg: string): string[] => [...svg.matchAll(/class="mark-(\w+) role-mark (\w+)_marks"/g)].map((m) => `${m[1]}:${m[2]}`);

describe('ecosystem plots', () => {
  it('groups each base metric of the authors, theory-backed first, then the ecosystem’s own metrics', () => {
    const run = readRun(join(root, 'people'));
    const ids = runSpecs(run).map((p) => p.id);
    expect(new Set(ids.slice(0, 2))).toEqual(new Set(['giniSimpson', 'p0'])); // the metrics with exact theory
    expect(ids).toContain('entropy');
    expect(ids).toContain('syntheticShare');
    expect(ids).toContain('humanDrift');
    expect(ids.some((id) => id.startsWith('a.'))).toBe(false);
  });

  it('draws one line per author in its own colour, the people dashed, and the exact theory dotted', async () => {
    const run = readRun(join(root, 'people'));
    const spec = runSpecs(run).find((p) => p.id === 'giniSimpson')!.spec;
    const means = (spec.datasets as Record<string, { author: string; role: string }[]>).means!;
    expect(new Set(means.map((m) => m.author))).toEqual(new Set(['a', 'b', 'people']));
    expect(new Set(means.filter((m) => m.author === 'people').map((m) => m.role))).toEqual(new Set(['people']));
    const svg = await toSvg(spec);
    const g = groups(svg);
    expect(g.filter((x) => x === 'line:mean')).toHaveLength(3);
    expect(g.filter((x) => x === 'line:theory')).toHaveLength(3);
    expect(svg).toMatch(/stroke-dasharray="7,4"/);
  });

  it('plots any single metric by name', () => {
    expect(plotFor(join(root, 'people'), 'a.entropy').id).toBe('a.entropy');
    expect(() => plotFor(join(root, 'people'), 'c.entropy')).toThrow(/no plot 'c\.entropy'/);
  });
});
