// The words and numbers a run's summary is shown with, shared by the CLI table, the HTML
// report, the dashboard and sweep tables, so that each says the same thing: what collapsed
// means (ever, at the end), and simulation beside theory of the same quantity.
import type { CollapseSummary, Share } from '../runner/collapse.ts';
import type { Comparison } from '../runner/comparisons.ts';

/** A number in 4 significant digits (integers as they are, ∞ for infinity); — for none. */
export function fmt(v: unknown): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

/** "12 of 500 seeds (2.4%)", with "seed" in the singular for one. */
export function seedsOf(share: Share): string {
  return `${share.seeds} of ${share.of} seed${share.of === 1 ? '' : 's'} (${(100 * share.fraction).toFixed(1)}%)`;
}

/** The collapse rows: what collapse means, ever and at the end (two different counts unless collapse is absorbing), and the censored times. */
export function collapseRows(c: CollapseSummary): [string, string][] {
  const rows: [string, string][] = [];
  if (c.meaning) rows.push(['collapsed means', c.meaning]);
  rows.push(['collapsed at some generation', `${seedsOf(c.ever)}, by generation ${c.horizon}`]);
  const atEnd = c.atEnd ? seedsOf(c.atEnd) : 'not recorded in this log';
  rows.push(['collapsed at the end', `${atEnd}${c.absorbing ? ' (collapse is absorbing here: a collapsed seed stays collapsed)' : ' (collapse is not absorbing here: a seed can leave it)'}`]);
  if (c.time) {
    const t = c.time;
    rows.push(c.ever.seeds === 1
      ? ['collapse generation (the 1 collapsed)', `${fmt(t.mean)} (one seed: no spread, no standard error)`]
      : [`collapse generation (the ${c.ever.seeds} collapsed)`, `mean ${fmt(t.mean)} ± ${fmt(t.se)} (sd ${fmt(t.sd)}); 5/50/95% ${fmt(t.quantiles['5'])} / ${fmt(t.quantiles['50'])} / ${fmt(t.quantiles['95'])}`]);
  }
  return rows;
}

/** Column heads of a sweep table's collapse columns; COLLAPSE_LEGEND says what they hold. */
export const COLLAPSE_COLUMNS = ['collapsed ever by H', 'collapsed at end', 'collapse generation | collapsed by H'];
export const COLLAPSE_LEGEND = '  simulation (theory in brackets, where the exact chain applies); H = the cell\'s generations';

/** A sweep cell's collapse columns (see COLLAPSE_COLUMNS), each simulation with its theory in brackets. */
export function collapseColumns(c: CollapseSummary | null, rows: readonly Comparison[] | null): string[] {
  if (!c) return COLLAPSE_COLUMNS.map(() => '—');
  const theory = (key: string, f: (x: number) => string): string => {
    const t = rows?.find((r) => r.theoryKey === key)?.theory;
    return typeof t === 'number' ? ` (${f(t)})` : '';
  };
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return [
    pct(c.ever.fraction) + theory('collapsedWithinHorizon', pct),
    (c.atEnd ? pct(c.atEnd.fraction) : '—') + theory(c.absorbing ? 'collapsedWithinHorizon' : 'collapsedAtHorizon', pct),
    (c.time ? (c.ever.seeds === 1 ? `${fmt(c.time.mean)} (1 seed)` : `${fmt(c.time.mean)} ± ${fmt(c.time.se)}`) : '—') + theory('collapseTimeIfCollapsed', fmt),
  ];
}

/** A comparison's simulated side: "mean ± se", or the value alone. */
export function simulated(c: Comparison): string {
  return c.simulation === null ? '—' : c.se === null ? fmt(c.simulation) : `${fmt(c.simulation)} ± ${fmt(c.se)}`;
}

/** How far simulation is from theory in standard errors (Comparison.z; from se in summaries written before z was), where there is one. */
export function zOf(c: Comparison): string {
  const z = c.z !== undefined ? c.z : c.simulation === null || c.theory === null || !c.se ? null : (c.simulation - c.theory) / c.se;
  return z === null ? '' : `${z.toFixed(1)} se`;
}

/**
 * A token as reports quote it: in double quotes, a control character as \xNN, as the BPE
 * already shows a piece that cuts a character (families/text/bpe.ts show); JSON's quoting
 * would print that piece as "\\x82" and a control byte as "\u0004".
 */
export function tokenLabel(token: string): string {
  return `"${token.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}
