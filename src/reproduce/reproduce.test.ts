// The whole reproduction at its smallest size, through the real runner: every claim gets the
// rows and verdicts this size gives (its seeds are fixed, so the verdicts are too), and a
// verdict recomputed from a run directory matches the table.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has } from '../system.test-support.ts';
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

/**
 * The verdicts at smoke size. Claim 7 (the transformer) is apart: its numbers depend on the
 * GEMM in use, so they are pinned where OpenBLAS is, as the examples' hashes are. At this size
 * its T = 1 run is too short to rise and fall (7a) and T = 0.8 has not yet halved its entropy
 * sooner (7b); 8e's zero rates differ by less than 3 standard errors over 2 seeds.
 */
const EXPECTED: Record<string, string> = {
  '1a': 'agrees', '1b': 'agrees', '2a': 'agrees', '2b': 'agrees', '2c': 'agrees', '2d': 'holds',
  '3a': 'agrees', '3b': 'agrees', '3c': 'holds', '4a': 'agrees', '4b': 'agrees', '4c': 'agrees', '4d': 'agrees',
  '5a': 'agrees', '5b': 'agrees', '5c': 'agrees', '5d': 'holds', '5e': 'agrees', '6a': 'holds',
  '8a': 'agrees', '8b': 'agrees', '8c': 'agrees', '8d': 'holds', '8e': 'inconclusive', '9a': 'holds', '9b': 'holds',
  '10a': 'agrees', '10b': 'agrees',
};
const EXPECTED_TRANSFORMER: Record<string, string> = { '7a': 'inconclusive', '7b': 'inconclusive', '7c': 'holds' };

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

  it('gives every row outside claim 7 the verdict expected at this size', () => {
    const got = Object.fromEntries(rows.filter((r) => r.claim !== 7).map((r) => [r.id, r.verdict]));
    expect(got).toEqual(EXPECTED);
  });

  it.skipIf(!has('openblas'))("gives claim 7's rows the verdicts expected at this size with OpenBLAS", () => {
    const got = Object.fromEntries(rows.filter((r) => r.claim === 7).map((r) => [r.id, r.verdict]));
    expect(got).toEqual(EXPECTED_TRANSFORMER);
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
