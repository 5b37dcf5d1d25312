// Both senses of collapse and collapse times censored at the horizon, from seeds' ends; and
// the comparisons that set each simulated quantity beside theory's value of the same one.
import { describe, expect, it } from 'vitest';
import { aggregateSeries } from './aggregate.ts';
import { collapseSummary } from './collapse.ts';
import { comparisons } from './comparisons.ts';

describe('collapseSummary', () => {
  it('counts ever and at the end apart when collapse is not absorbing, and censors times at H', () => {
    const ends = [
      { collapsedAt: 3, collapsedAtEnd: false },
      { collapsedAt: 7, collapsedAtEnd: true },
      { collapsedAt: null, collapsedAtEnd: false },
      { collapsedAt: null, collapsedAtEnd: false },
    ];
    const c = collapseSummary(ends, 10, false, 'one outcome left');
    expect(c.ever).toEqual({ seeds: 2, of: 4, fraction: 0.5, se: Math.sqrt(0.25 / 4) });
    expect(c.atEnd).toMatchObject({ seeds: 1, of: 4, fraction: 0.25 });
    expect(c.time?.mean).toBe(5); // over the two collapsed seeds only: E[τ | τ ≤ H]
    expect(c.restrictedTime?.mean).toBe((3 + 7 + 10 + 10) / 4); // min(τ, H) over all four
    expect(c.meaning).toBe('one outcome left');
  });

  it('leaves at-the-end unknown when a seed does not say, and has no times when nothing collapsed', () => {
    const c = collapseSummary([{ collapsedAt: null, collapsedAtEnd: null }], 5, false, null);
    expect(c.atEnd).toBeNull();
    expect(c.time).toBeNull();
    expect(c.restrictedTime?.mean).toBe(5);
    expect(collapseSummary([], 5, true, null).ever).toEqual({ seeds: 0, of: 0, fraction: 0, se: 0 });
  });
});

describe('comparisons', () => {
  const collapse = collapseSummary([{ collapsedAt: 4, collapsedAtEnd: true }, { collapsedAt: 6, collapsedAtEnd: true }, { collapsedAt: null, collapsedAtEnd: false }], 10, true, null);
  const aggregates = { giniSimpson: aggregateSeries([Float64Array.of(0.5, 0.5, 0.5), Float64Array.of(0, 0, 0.3)]) };
  const theory = { meanAbsorption: 12, collapsedWithinHorizon: 0.7, collapseTimeIfCollapsed: 5.2, collapseTimeRestricted: 6.6, collapsedAtHorizon: 0.7, giniSimpson: [0.5, 0.12], fixationProbability: 0.5, collapsedBy: [0, 0.7] };
  const rows = comparisons({ collapse, recorded: [0, 10], aggregates, theory });
  const row = (key: string) => rows.find((r) => r.theoryKey === key);

  it('sets each censored collapse quantity beside its own theory, never beside the unconditional E[τ]', () => {
    expect(row('collapsedWithinHorizon')).toMatchObject({ simulation: 2 / 3, theory: 0.7 });
    expect(row('collapseTimeIfCollapsed')).toMatchObject({ simulation: 5, theory: 5.2 });
    expect(row('collapseTimeRestricted')).toMatchObject({ simulation: 20 / 3, theory: 6.6 });
    expect(row('meanAbsorption')).toMatchObject({ simulation: null, se: null, theory: 12 });
    expect(row('collapsedAtHorizon')).toBeUndefined(); // absorbing: the same as collapsedWithinHorizon
    expect(row('collapsedBy')).toBeUndefined(); // a curve for plots, not a number at the horizon
  });

  it('compares a metric with a theory curve at the last recorded generation, with the standard error of the mean', () => {
    const g = row('giniSimpson')!;
    expect(g.quantity).toBe('giniSimpson at generation 10, mean over seeds');
    expect(g.simulation).toBeCloseTo(0.1, 15);
    expect(g.se).toBeCloseTo(Math.sqrt(0.03) / Math.sqrt(3), 15);
    expect(g.theory).toBe(0.12);
    expect(row('fixationProbability')).toMatchObject({ simulation: null, theory: 0.5 });
  });

  it('shows at-the-end beside P(collapsed at H) when collapse is not absorbing', () => {
    const c = collapseSummary([{ collapsedAt: 4, collapsedAtEnd: false }, { collapsedAt: 6, collapsedAtEnd: true }], 10, false, null);
    expect(comparisons({ collapse: c, recorded: [0, 10], aggregates: {}, theory }).find((r) => r.theoryKey === 'collapsedAtHorizon')).toMatchObject({ simulation: 0.5, theory: 0.7 });
    expect(comparisons({ collapse: c, recorded: [0, 10], aggregates: {}, theory: null })).toEqual([]);
  });

  it('measures a share against theory in the binomial se at the theoretical probability, defined when every seed or none collapsed', () => {
    const none = collapseSummary([0, 1, 2, 3].map(() => ({ collapsedAt: null, collapsedAtEnd: false })), 10, true, null);
    const r = comparisons({ collapse: none, recorded: [0, 10], aggregates: {}, theory }).find((x) => x.theoryKey === 'collapsedWithinHorizon')!;
    expect(r).toMatchObject({ simulation: 0, se: 0, theory: 0.7 }); // the observed se is 0: it cannot say how far 0 is from 0.7
    expect(r.z).toBeCloseTo(-0.7 / Math.sqrt((0.7 * 0.3) / 4), 12);
    expect(row('collapsedWithinHorizon')!.z).toBeCloseTo((2 / 3 - 0.7) / Math.sqrt((0.7 * 0.3) / 3), 12);
    expect(row('collapseTimeIfCollapsed')!.z).toBeCloseTo((5 - 5.2) / row('collapseTimeIfCollapsed')!.se!, 12);
    expect(row('meanAbsorption')!.z).toBeNull();
  });

  it('gives no standard error, and so no distance from theory, for a mean of one value', () => {
    const one = collapseSummary([{ collapsedAt: 4, collapsedAtEnd: true }], 10, true, null);
    const rows1 = comparisons({ collapse: one, recorded: [0, 10], aggregates: { giniSimpson: aggregateSeries([Float64Array.of(0.5), Float64Array.of(0)]) }, theory });
    for (const key of ['collapseTimeIfCollapsed', 'collapseTimeRestricted', 'giniSimpson']) {
      expect(rows1.find((x) => x.theoryKey === key)).toMatchObject({ se: null, z: null });
    }
  });
});
