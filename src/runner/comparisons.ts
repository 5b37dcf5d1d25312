// Simulation beside theory, like with like (docs/run-directory.md, "comparisons"): every
// row pairs a simulated estimate with the theoretical value of the same quantity, so a
// reader (the CLI table, the report, the dashboard, sweep tables) can put them side by side
// without knowing any family. Collapse times come censored at the horizon H, as a run of H
// generations observes them; theory that no run of H generations can observe (E[τ] without a
// horizon, long-run laws, closed forms of parameters) is listed with no simulated value.
import type { SeriesAggregate } from './aggregate.ts';
import type { CollapseSummary, Share } from './collapse.ts';

export interface Comparison {
  /** The quantity, in words that fit both columns. */
  readonly quantity: string;
  /** The simulated estimate, or null for theory that has no simulated counterpart here. */
  readonly simulation: number | null;
  /** Standard error of `simulation` (null when there is none: a median, or a mean of fewer than 2 values). */
  readonly se: number | null;
  readonly theory: number | null;
  /**
   * simulation − theory in standard errors (null when there is no se). For a share of seeds, the
   * se is the binomial one of that many seeds at theory's probability, the score test's: the
   * observed se is 0 when every seed or none collapsed, which would hide a share of 0 against
   * a theory of 0.2. Absent in summaries written before it was recorded.
   */
  readonly z?: number | null;
  /** The summary's `theory` entry the value comes from. */
  readonly theoryKey: string;
}

/** What the comparisons are made from: the summary's own fields. */
export interface ComparisonInput {
  readonly collapse: CollapseSummary;
  readonly recorded: readonly number[];
  readonly aggregates: Readonly<Record<string, SeriesAggregate>>;
  readonly theory: Readonly<Record<string, unknown>> | null;
}

/** Theory keys for the censored collapse time (src/theory/categorical.ts computes them for the coin). */
const COLLAPSE_KEYS = ['collapsedWithinHorizon', 'collapsedAtHorizon', 'collapseTimeIfCollapsed', 'collapseTimeRestricted'] as const;

/** Rows of simulation against theory: collapse first, then each metric with a theory curve at the last recorded generation, then theory alone. */
export function comparisons(s: ComparisonInput): Comparison[] {
  const theory = s.theory ?? {};
  const num = (k: string): number | null => {
    const v = theory[k];
    return typeof v === 'number' ? v : null;
  };
  const rows: Comparison[] = [];
  const { collapse: c } = s;
  const h = c.horizon;
  const pair = (key: string, quantity: string, simulation: number | null, se: number | null, share?: Share | null) => {
    const t = num(key);
    if (t === null) return;
    const zSe = share ? (share.of > 0 ? Math.sqrt((t * (1 - t)) / share.of) : null) : se;
    rows.push({ quantity, simulation, se, theory: t, theoryKey: key, z: standardised(simulation, t, zSe) });
  };
  pair('collapsedWithinHorizon', `share of seeds collapsed at some generation ≤ ${h}`, c.ever.fraction, c.ever.se, c.ever);
  if (!c.absorbing) pair('collapsedAtHorizon', `share of seeds collapsed at generation ${h} (the end)`, c.atEnd?.fraction ?? null, c.atEnd?.se ?? null, c.atEnd);
  pair('collapseTimeIfCollapsed', `collapse generation, mean over seeds collapsed by ${h}`, c.time?.mean ?? null, c.ever.seeds > 1 ? (c.time?.se ?? null) : null);
  pair('collapseTimeRestricted', `min(collapse generation, ${h}), mean over all seeds`, c.restrictedTime?.mean ?? null, c.ever.of > 1 ? (c.restrictedTime?.se ?? null) : null);
  const last = s.recorded.length - 1;
  const at = s.recorded[last];
  const curves = new Set<string>();
  for (const [metric, a] of Object.entries(s.aggregates)) {
    for (const [key, what, value, se] of [
      [metric, 'mean', a.mean[last], seOf(a, last)],
      [`${metric}Median`, 'median', a.q50[last], null],
    ] as const) {
      const curve = theory[key];
      if (!Array.isArray(curve) || last < 0) continue;
      curves.add(key);
      const th = curve[last] as unknown;
      const t = typeof th === 'number' ? th : null;
      rows.push({ quantity: `${metric} at generation ${at}, ${what} over seeds`, simulation: value ?? null, se, theory: t, theoryKey: key, z: standardised(value ?? null, t, se) });
    }
  }
  for (const [key, v] of Object.entries(theory)) {
    if (typeof v !== 'number' || (COLLAPSE_KEYS as readonly string[]).includes(key) || curves.has(key)) continue;
    const quantity = key === 'meanAbsorption' ? 'collapse generation, mean without a horizon (E[τ]; a run of H generations cannot observe it)' : key;
    rows.push({ quantity, simulation: null, se: null, theory: v, theoryKey: key, z: null });
  }
  return rows;
}

/** The standard error of the mean at recorded generation i; none from fewer than 2 seeds (one value has no spread to estimate it from). */
function seOf(a: SeriesAggregate, i: number): number | null {
  const sd = a.sd[i];
  const n = a.count[i];
  return sd === null || sd === undefined || n === undefined || n < 2 ? null : sd / Math.sqrt(n);
}

/** (simulation − theory) / se, or null when either side or a positive se is missing. */
function standardised(simulation: number | null, theory: number | null, se: number | null): number | null {
  return simulation === null || theory === null || !se ? null : (simulation - theory) / se;
}
