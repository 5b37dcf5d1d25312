// `ouro reproduce ecosystems` at its smallest size, through the real runner: the verdict of
// every row (keys are fixed, so they are deterministic), and one recomputed from its run
// directories.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, SOURCE } from './ecosystems.ts';
import { reproduce } from './reproduce.ts';

interface ResultRow {
  claim: number;
  id: string;
  verdict: string;
}

describe('ouro reproduce ecosystems --smoke', () => {
  const out = mkdtempSync(join(tmpdir(), 'ouro-reproduce-eco-'));
  let rows: ResultRow[] = [];
  beforeAll(async () => {
    await reproduce({ out, size: 'smoke', title: 'test', source: SOURCE, claims: CLAIMS, log: () => {} });
    rows = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { rows: ResultRow[] }).rows;
  }, 600_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('gives every row the verdict its rule gives at this size', () => {
    const directions = new Set(['1d', '2c', '3d', '4b', '4c', '5c', '6a', '6b']);
    expect(rows.map((r) => r.id)).toEqual(['1a', '1b', '1c', '1d', '2a', '2b', '2c', '3a', '3b', '3c', '3d', '4a', '4b', '4c', '5a', '5b', '5c', '6a', '6b']);
    for (const r of rows) expect(r.verdict, r.id).toBe(directions.has(r.id) ? 'holds' : 'agrees');
  });

  it("row 1d's verdict is the 3-se rule applied to the run directories of 1a and 1b", () => {
    const times = (name: string) => (JSON.parse(readFileSync(join(out, 'runs', name, 'summary.json'), 'utf8')) as { perSeed: { collapsedAt: number }[] }).perSeed.map((p) => p.collapsedAt);
    const stat = (t: number[]) => {
      const m = t.reduce((a, b) => a + b, 0) / t.length;
      return { m, se2: t.reduce((a, b) => a + (b - m) ** 2, 0) / (t.length - 1) / t.length };
    };
    const [weak, alone] = [stat(times('e1-coins-weak')), stat(times('e1-coins-alone'))];
    expect(weak.m - alone.m > 3 * Math.sqrt(weak.se2 + alone.se2) ? 'holds' : 'not holds').toBe(rows.find((r) => r.id === '1d')!.verdict);
  });

  it('writes every figure as SVG and PNG', () => {
    for (const f of ['eco-coins', 'eco-human', 'eco-people', 'eco-curation', 'eco-temperatures']) {
      expect(existsSync(join(out, 'figures', `${f}.svg`))).toBe(true);
      expect(existsSync(join(out, 'figures', `${f}.png`))).toBe(true);
    }
  });
});
