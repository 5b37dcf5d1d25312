// `ouro theory coin` as a user drives it: the --json document, the table, and exit 2 with a
// message naming the flag on bad input. The numbers themselves are tested in src/theory.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { coinChain, meanAbsorption } from '../../theory/coin-chain.ts';
import { settingsFor } from '../../config/schema.ts';
import { entry } from '../../families/categorical/index.ts';
import { categoricalTheory } from '../../theory/categorical.ts';
import { kimuraOhta } from '../../theory/diffusion.ts';
import { UsageError } from '../errors.ts';
import { coinReport, parseCoinFlags, printCoin } from './coin.ts';

const BIN = new URL('../../../bin/ouro.js', import.meta.url).pathname;
const run = promisify(execFile);

async function ouro(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, 'theory', 'coin', ...args]);
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('coinReport', () => {
  it('gives the exact chain beside Kimura–Ohta at T = 1, and the curves for --generations', () => {
    const r = coinReport({ samples: 20, temperature: 1, realFraction: 0, start: 0.3 }, 50);
    expect(r.meanAbsorption).toBeCloseTo(meanAbsorption(coinChain({ samples: 20, temperature: 1, realFraction: 0, start: 0.3 })), 12);
    expect(r.diffusion.meanAbsorption).toBeCloseTo(kimuraOhta(0.3, 20), 12);
    expect(r.fixationProbability).toBeCloseTo(0.3, 10);
    expect(r.byState.fixation[6]).toBeCloseTo(0.3, 10);
    expect(r.byState.times).toHaveLength(21);
    expect(r.collapsedBy).toHaveLength(50);
    expect(r.giniSimpson![49]).toBeCloseTo(r.giniSimpsonClosedForm![49]!, 12);
  });

  it('gives with --generations G what a run of G generations observes, the same numbers the run summary sets beside its seeds', () => {
    const loop = { samples: 20, temperature: 1.25, realFraction: 0, start: 0.5 };
    const r = coinReport(loop, 200);
    const summaryTheory = categoricalTheory(settingsFor(entry, { init: { probs: [0.5, 0.5] }, loop: { samples: 20, temperature: 1.25, generations: 200 } }), [0, 200]);
    expect(r.censored).toEqual({ horizon: 200, probability: summaryTheory['collapsedWithinHorizon'], meanIfCollapsed: summaryTheory['collapseTimeIfCollapsed'], restrictedMean: summaryTheory['collapseTimeRestricted'] });
    expect(r.censored!.probability).toBeCloseTo(r.collapsedBy![199]!, 12);
    expect(r.censored!.meanIfCollapsed!).toBeLessThan(r.meanAbsorption!); // censoring keeps only the early collapses
    expect(coinReport(loop).censored).toBeUndefined();
  });

  it('gives the weak-temperature diffusion at T ≠ 1, and the stationary law but no diffusion when grounded', () => {
    expect(coinReport({ samples: 50, temperature: 0.9, realFraction: 0, start: 0.3 }).diffusion.formula).toBe('weak-temperature diffusion');
    const r = coinReport({ samples: 50, temperature: 0.9, realFraction: 0.2, start: 0.3 });
    expect(r.stationary?.variance).toBeGreaterThan(0);
    expect(r.stationary?.varianceClosedForm).toBeNull();
    expect(r.diffusion.meanAbsorption).toBeNull();
  });
});

describe('ouro theory coin', () => {
  // Spawns are slow (each loads the whole CLI), so two run at once; the table and the other
  // bad flags are checked in-process below.
  it('prints one JSON document with --json and exits 2 on a bad flag', async () => {
    const [json, bad] = await Promise.all([
      ouro('--samples', '20', '--temperature', '0.8', '--start', '0.5', '--generations', '10', '--json'),
      ouro('--samples', '20', '--temperature', '-1'),
    ]);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out) as { meanAbsorption: number; fixationProbability: number; collapsedBy: number[] };
    expect(doc.meanAbsorption).toBeCloseTo(10.1118641, 6);
    expect(doc.fixationProbability).toBeCloseTo(0.5, 12);
    expect(doc.collapsedBy).toHaveLength(10);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--temperature: expected a number ≥ 0, got "-1"/);
    expect(bad.out).toBe('');
  });

  it('prints a table with the exact value beside the diffusion approximation', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      printCoin(coinReport({ samples: 20, temperature: 1, realFraction: 0, start: 0.5 }, 10), false);
      const out = write.mock.calls.map((c) => String(c[0])).join('');
      expect(out).toMatch(/meanAbsorption\s+26\.2295\s+27\.7259/);
      expect(out).toMatch(/fixationProbability of outcome 0\s+0\.500000\s+0\.500000/);
      expect(out).toMatch(/\n\s+10\s+0\.18547\d\s+0\.299368\s+0\.299368/);
    } finally {
      write.mockRestore();
    }
  });

  const ok = { samples: '20', temperature: '1', start: '0.5', realFraction: '0' };
  it.each([
    ['a negative temperature', { temperature: '-0.5' }, /--temperature/],
    ['a start outside [0, 1]', { start: '1.5' }, /--start/],
    ['a non-integer sample size', { samples: '20.5' }, /--samples/],
    ['a real fraction outside [0, 1]', { realFraction: '-0.1' }, /--real-fraction/],
    ['a word for a number', { samples: 'twenty' }, /--samples/],
  ])('rejects %s with a UsageError naming the flag', (_what, over, pattern) => {
    expect(() => parseCoinFlags({ ...ok, ...over })).toThrow(UsageError);
    expect(() => parseCoinFlags({ ...ok, ...over })).toThrow(pattern);
  });
});
