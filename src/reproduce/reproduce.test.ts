// The whole reproduction at its smallest size, through the real runner: every claim gets
// rows with verdicts, and a verdict recomputed from a run directory matches the table.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, SOURCE } from './ensign2021.ts';
import { reproduce } from './reproduce.ts';
import { SIZES } from './sizes.ts';
import { riseAndFall, type Curve } from './trajectory.ts';

interface ResultRow {
  claim: number;
  id: string;
  verdict: string;
  why: string;
}

const VERDICTS = ['agrees', 'disagrees', 'holds', 'does not hold', 'inconclusive', 'not run'];

describe('ouro reproduce ensign2021 --smoke', () => {
  const out = mkdtempSync(join(tmpdir(), 'ouro-reproduce-'));
  let rows: ResultRow[] = [];
  beforeAll(async () => {
    await reproduce({ out, size: 'smoke', title: 'test', source: SOURCE, claims: CLAIMS, log: () => {} });
    rows = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { rows: ResultRow[] }).rows;
  }, 600_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('has rows with a verdict for all ten claims, in the Markdown table too', () => {
    expect(new Set(rows.map((r) => r.claim))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    for (const r of rows) {
      expect(VERDICTS).toContain(r.verdict);
      expect(r.why.length).toBeGreaterThan(0);
    }
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const r of rows) expect(md).toMatch(new RegExp(`^\\| ${r.id} \\|.*\\| [^|]*${r.verdict} \\|$`, 'm'));
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('runs the categorical claims and the transformer (no family missing for them)', () => {
    for (const c of [1, 2, 3, 4, 5, 7, 8, 9]) expect(rows.filter((r) => r.claim === c).every((r) => r.verdict !== 'not run')).toBe(true);
  });

  it("row 7a's verdict is its rule applied to the T = 1 run directories, one per seed", () => {
    const curve = (seed: number, metric: string): Curve => {
      const lines = readFileSync(join(out, 'runs', `c7-gpt-t1-s${seed}`, 'generations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { generation: number; metrics: Record<string, number>; event?: string });
      const kept = lines.filter((l) => l.event !== 'end');
      return { generations: kept.map((l) => l.generation), values: kept.map((l) => l.metrics[metric]!) };
    };
    const { generations, seeds, window } = SIZES.smoke.transformer;
    const seedList = Array.from({ length: seeds }, (_, i) => i);
    const want = riseAndFall(seedList.map((s) => curve(s, 'entropyMC')), seedList.map((s) => curve(s, 'repetition')), generations, window).test.verdict;
    expect(rows.find((r) => r.id === '7a')!.verdict).toBe(want);
  });

  it("row 1a's verdict is the 3-se rule applied to its run directory", () => {
    const dir = join(out, 'runs', 'c1-coin-n20');
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { perSeed: { collapsedAt: number | null }[]; theory: { meanAbsorption: number } };
    const t = s.perSeed.map((p) => p.collapsedAt!);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    const se = Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / (t.length - 1) / t.length);
    const expected = s.perSeed.every((p) => p.collapsedAt !== null) && Math.abs(mean - s.theory.meanAbsorption) <= 3 * se ? 'agrees' : 'disagrees';
    expect(rows.find((r) => r.id === '1a')!.verdict).toBe(expected);
  });

  it('writes every figure as SVG and PNG', () => {
    for (const f of ['fixation', 'steps', 'extinction', 'temperature-map', 'temperature-entropy', 'grounding', 'curation', 'transformer-entropy', 'transformer-repetition']) {
      expect(existsSync(join(out, 'figures', `${f}.svg`))).toBe(true);
      expect(existsSync(join(out, 'figures', `${f}.png`))).toBe(true);
    }
  });
});
