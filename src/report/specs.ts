// Vega-Lite specs for runs and sweeps. Every plot shows the simulation and, where the run's
// summary (or src/theory) has it, the theory beside it. Theory is found by convention, never
// by family name: a `theory` entry named after a metric (or the metric's name plus a
// suffix such as Limit or Median, or true + Metric: share0Limit, trueShare0) belongs to that
// metric's plot (an array aligned with `recorded`: a curve; a scalar: a limit, drawn as a
// rule); `collapsedBy` is P(collapsedAt ≤ g) and `collapseTimeIfCollapsed` is
// E[collapsedAt | collapsedAt ≤ H], the theory of the mean over seeds collapsed within the run.
// Layer names (`seeds`, `band`, `mean`, `theory`, …) become SVG group classes `<name>_marks`,
// which is what tests look for.
import { coinTemperature } from '../theory/temperature-map.ts';
import { authorSpecs, authorsOf, baseMetric } from './ecosystem-specs.ts';
import { ReportInputError, type Run } from './run-dir.ts';
import { BLUE, base, DASH, extent, generationX, lines, seedsWord, valueScale, type VlSpec } from './spec-frame.ts';
import { axisTitle } from './units.ts';

export type { VlSpec };

/** At most this many seeds are drawn as faint lines; more only add ink. */
export const MAX_SEED_LINES = 50;

/** Most points drawn per seed line; a run recording every generation is thinned to this. */
const MAX_SEED_POINTS = 400;

/** Generations to draw seed lines at when there are more than MAX_SEED_POINTS: the first in each of that many equal steps of log(1 + g), as the symlog axis spaces them; null = all. */
function thinned(recorded: readonly number[]): Set<number> | null {
  if (recorded.length <= MAX_SEED_POINTS) return null;
  const top = Math.log1p(extent(recorded)[1]);
  const seen = new Set<number>();
  const kept = new Set<number>();
  for (const g of recorded) {
    const bucket = Math.floor((Math.log1p(g) / top) * MAX_SEED_POINTS);
    if (!seen.has(bucket)) (seen.add(bucket), kept.add(g));
  }
  return kept;
}

/** Dashes for the theory entries of one plot, in order: the first dashed, the next dotted, then dash-dotted. */
const THEORY_DASHES = [DASH.theory, DASH.dotted, DASH.dashDot];

/** One metric over generations: seeds faint, mean and 5–95% band over seeds, theory overlaid in the mean's colour, dashed. */
export function metricSpec(run: Run, metric: string): VlSpec {
  const seedIds = [...new Set(run.lines.map((l) => l.seed))].sort((a, b) => a - b).slice(0, MAX_SEED_LINES);
  const shown = new Set(seedIds);
  const kept = thinned(run.recorded);
  const seeds = run.lines.filter((l) => shown.has(l.seed) && (kept === null || kept.has(l.generation)) && Number.isFinite(l.metrics[metric])).map((l) => ({ seed: l.seed, generation: l.generation, value: l.metrics[metric]! }));
  const agg = run.aggregates[metric];
  const nSeeds = new Set(run.lines.map((l) => l.seed)).size;
  // One seed has no spread to band and its "mean" is itself.
  const meanLabel = nSeeds === 1 ? 'simulation (1 seed)' : `simulation mean (${seedsWord(nSeeds)})`;
  const mean = agg ? run.recorded.map((g, i) => ({ generation: g, lo: agg.q05[i]!, hi: agg.q95[i]!, value: agg.mean[i]!, series: meanLabel })).filter((r) => Number.isFinite(r.value)) : [];
  const banded = nSeeds > 1 && mean.length > 0;
  const related = theoryOf(run, metric);
  const theoryCurve = related.flatMap(([k, v]) => (Array.isArray(v) ? run.recorded.map((g, i) => ({ generation: g, value: v[i]!, series: theoryLabel(metric, k) })) : [])).filter((r) => Number.isFinite(r.value));
  const limit = related.flatMap(([k, v]) => (typeof v === 'number' && Number.isFinite(v) ? [{ value: v, series: theoryLabel(metric, k) }] : []));
  const x = generationX(run.recorded, 'generation');
  const yScale = valueScale([...seeds.map((s) => s.value), ...mean.flatMap((b) => (banded ? [b.lo, b.hi] : [b.value])), ...theoryCurve.map((t) => t.value), ...limit.map((l) => l.value)]);
  const y = { field: 'value', type: 'quantitative', title: axisTitle(metric), scale: yScale };
  const theoryNames = [...new Set([...theoryCurve, ...limit].map((t) => t.series))];
  const style = lines([...(mean.length ? [[meanLabel, DASH.solid] as const] : []), ...theoryNames.map((n, i) => [n, THEORY_DASHES[Math.min(i, THEORY_DASHES.length - 1)]!] as const)]);
  const layer: VlSpec[] = [
    { name: 'seeds', data: { name: 'seeds' }, mark: { type: 'line', strokeWidth: 0.7, opacity: 0.25, color: '#888' }, encoding: { x, y, detail: { field: 'seed', type: 'nominal' } } },
  ];
  if (banded) layer.push({ name: 'band', data: { name: 'band' }, mark: { type: 'area', opacity: 0.2, color: BLUE }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } });
  if (mean.length) layer.push({ name: 'mean', data: { name: 'band' }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, ...style } });
  if (theoryCurve.length) layer.push({ name: 'theory', data: { name: 'theory' }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, ...style } });
  if (limit.length) layer.push({ name: 'limit', data: { name: 'limit' }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, ...style } });
  const drawn = seedIds.length < nSeeds ? `${seedIds.length} of ${seedsWord(nSeeds)} drawn` : `${seedsWord(nSeeds)} drawn`;
  const sub = `${drawn}${banded ? '; band: 5–95% over seeds' : ''}${theoryNames.length ? '; dashed: theory' : ''}`;
  return base(`${run.name}: ${metric}`, sub, { seeds, band: mean, theory: theoryCurve, limit }, layer);
}

/** Suffixes naming another reading of the same quantity (share0Limit, varianceMedian); not parameters such as share0BetaAlpha. */
const SUFFIXES = ['Limit', 'Median', 'Mean', 'Stationary'];

/** The non-null theory entries that belong to `metric`: named `metric`, `metric` + a SUFFIX, or `true` + Metric (trueShare0). */
export function theoryOf(run: Run, metric: string): [string, readonly number[] | number][] {
  const cap = metric.charAt(0).toUpperCase() + metric.slice(1);
  return Object.entries(run.theory).filter((e): e is [string, readonly number[] | number] => {
    const [k, v] = e;
    return v !== null && (k === metric || k === `true${cap}` || SUFFIXES.some((x) => k === metric + x));
  });
}

function theoryLabel(metric: string, key: string): string {
  return key === metric ? 'theory' : key;
}

/** Whether a run has collapse times to plot (seeds ended, or theory for them). */
function hasCollapse(run: Run): boolean {
  return run.ends.some((e) => e.collapsedAt !== null) || Array.isArray(run.theory.collapsedBy);
}

/** The distribution of collapse times: the empirical CDF over seeds against P(collapsedAt ≤ g) from theory, and the mean collapse generation of each. */
export function collapseSpec(run: Run): VlSpec {
  const times = run.ends.map((e) => e.collapsedAt).filter((t): t is number => t !== null).sort((a, b) => a - b);
  const total = Math.max(run.ends.length, 1);
  const sim = `simulation (${seedsWord(run.ends.length)})`;
  const chain = 'exact chain';
  const ecdf = [{ generation: 0, value: 0, series: sim }, ...times.map((t, i) => ({ generation: t, value: (i + 1) / total, series: sim }))];
  const th = run.theory.collapsedBy;
  // The exact curve is cut where it reaches 1 − 1e-4 (or past the last simulated collapse), so the axis spans the collapses.
  const end = Math.max(times[times.length - 1] ?? 0, Array.isArray(th) ? (run.recorded.find((_, i) => th[i]! >= 1 - 1e-4) ?? Infinity) : 0);
  const theory = Array.isArray(th) ? run.recorded.map((g, i) => ({ generation: g, value: th[i]!, series: chain })).filter((r) => r.generation <= end) : [];
  // Like with like: the seeds' mean counts only those collapsed within the horizon H, so
  // theory's rule is E[τ | τ ≤ H], not the unconditional E[τ].
  const horizon = run.summary?.generations;
  const h = typeof horizon === 'number' ? String(horizon) : 'H';
  const simMean = `mean of the seeds collapsed by ${h}`;
  const chainMean = `E[τ | τ ≤ ${h}], exact chain`;
  const means: { generation: number; series: string }[] = [];
  if (times.length) means.push({ generation: times.reduce((s, t) => s + t, 0) / times.length, series: simMean });
  if (typeof run.theory.collapseTimeIfCollapsed === 'number') means.push({ generation: run.theory.collapseTimeIfCollapsed, series: chainMean });
  const x = generationX([...times, ...theory.map((r) => r.generation)], 'collapse generation (first point-mass model)');
  const y = { field: 'value', type: 'quantitative', title: 'P(collapsed by generation)', scale: { domain: [0, 1] } };
  const style = lines([[sim, DASH.solid], ...(theory.length ? [[chain, DASH.theory] as const] : []), ...means.map((m) => [m.series, m.series === simMean ? DASH.dotted : DASH.dashDot] as const)]);
  const layer: VlSpec[] = [{ name: 'ecdf', data: { name: 'ecdf' }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 }, encoding: { x, y, ...style } }];
  if (theory.length) layer.push({ name: 'theory', data: { name: 'theory' }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, ...style } });
  if (means.length) layer.push({ name: 'means', data: { name: 'means' }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, ...style } });
  return base(`${run.name}: collapse times`, `CDF over seeds of the first generation with a point-mass model${theory.length ? ', beside the exact chain' : ''}`, { ecdf, theory, means }, layer);
}

/** The run's loop.temperature as its config.json holds it (read back from disk: a number, or nothing). */
function temperatureOf(run: Run): number | undefined {
  const loop = run.config?.['loop'];
  const t = loop !== null && typeof loop === 'object' && 'temperature' in loop ? loop.temperature : undefined;
  return typeof t === 'number' ? t : undefined;
}

/** Whether the run has the coin's state (`p0`, share of outcome 0) and a temperature to draw τ_T against. */
function hasTemperatureMap(run: Run): boolean {
  return run.metricNames.includes('p0') && temperatureOf(run) !== undefined;
}

/**
 * The temperature map τ_T(p) (the n → ∞ skeleton of one generation) with the identity, and
 * the simulated steps (p_t, p_{t+1}) for consecutive recorded generations.
 */
export function temperatureMapSpec(run: Run): VlSpec {
  const t = temperatureOf(run);
  if (t === undefined) throw new ReportInputError(`${run.dir}: config.json has no loop.temperature to draw the temperature map at`);
  const grid = Array.from({ length: 201 }, (_, i) => i / 200);
  const tau = `τ_T(p), T = ${t}`;
  const curves = [...grid.map((p) => ({ p, next: coinTemperature(p, t), series: tau })), ...grid.map((p) => ({ p, next: p, series: 'identity (T = 1)' }))];
  const byKey = new Map(run.lines.map((l) => [`${l.seed}:${l.generation}`, l.metrics.p0]));
  const counts = new Map<string, number>(); // identical steps drawn once, sized by how often they occur
  for (const l of run.lines) {
    const next = byKey.get(`${l.seed}:${l.generation + 1}`);
    if (next !== undefined) counts.set(`${l.metrics.p0}:${next}`, (counts.get(`${l.metrics.p0}:${next}`) ?? 0) + 1);
  }
  const steps = [...counts].map(([k, count]) => ({ p: Number(k.split(':')[0]), next: Number(k.split(':')[1]), count }));
  const x = { field: 'p', type: 'quantitative', title: 'share of outcome 0 at generation t', scale: { domain: [0, 1] } };
  const y = { field: 'next', type: 'quantitative', title: 'share at generation t + 1', scale: { domain: [0, 1] } };
  const style = lines([[tau, DASH.theory], ['identity (T = 1)', DASH.dotted]]);
  const layer: VlSpec[] = [
    { name: 'steps', data: { name: 'steps' }, mark: { type: 'circle', opacity: 0.35, color: BLUE }, encoding: { x, y, size: { field: 'count', type: 'quantitative', title: 'simulated steps', scale: { range: [4, 120] }, legend: { symbolType: 'circle', symbolFillColor: BLUE, symbolStrokeWidth: 0 } } } },
    { name: 'theory', data: { name: 'curves' }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, ...style, color: { ...style.color, scale: { domain: [tau, 'identity (T = 1)'], range: [BLUE, '#555'] } } } },
  ];
  return { ...base(`${run.name}: temperature map`, 'dots: simulated steps (p_t, p_t+1), sized by how often they occur; dashed: the n → ∞ limit τ_T', { steps, curves }, layer), width: 360, height: 360 };
}

/** Per run: its legend label and, for a faceted sweep, its panel. */
export interface CompareGroups {
  readonly labels: readonly string[];
  /** Panel per run, titled `facetTitle` (e.g. the last swept key); omit for one panel. */
  readonly facets?: readonly string[];
  readonly facetTitle?: string;
}

/** Several runs (or sweep cells) on one plot: each run's mean and 5–95% band, coloured by label, optionally in panels. */
export function compareSpec(runs: readonly Run[], groups: CompareGroups, metric: string): VlSpec {
  const { labels, facets } = groups;
  const rows = runs.flatMap((run, r) => {
    const agg = run.aggregates[metric];
    const th = run.theory[metric];
    const at = { run: labels[r]!, facet: facets?.[r] ?? '' };
    const sim = agg ? run.recorded.map((g, i) => ({ ...at, kind: 'sim', generation: g, value: agg.mean[i]!, lo: agg.q05[i]!, hi: agg.q95[i]! })) : [];
    const theory = Array.isArray(th) ? run.recorded.map((g, i) => ({ ...at, kind: 'theory', generation: g, value: th[i]!, lo: th[i]!, hi: th[i]! })) : [];
    return [...sim, ...theory].filter((x) => Number.isFinite(x.value));
  });
  const withTheory = new Set(rows.filter((r) => r.kind === 'theory').map((r) => `${r.facet}\0${r.run}`)).size;
  const hasTheory = withTheory > 0;
  const x = generationX(rows.map((r) => r.generation), 'generation');
  const y = { field: 'value', type: 'quantitative', title: axisTitle(metric), scale: valueScale(rows.flatMap((r) => [r.lo, r.hi])) };
  const color = { field: 'run', type: 'nominal', title: null };
  const only = (kind: string): VlSpec[] => [{ filter: `datum.kind === '${kind}'` }];
  const layer: VlSpec[] = [
    { name: 'band', transform: only('sim'), mark: { type: 'area', opacity: 0.12 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
    { name: 'mean', transform: only('sim'), mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
  ];
  if (hasTheory) layer.push({ name: 'theory', transform: only('theory'), mark: { type: 'line', strokeWidth: 1.5, strokeDash: [6, 4] }, encoding: { x, y, color } });
  const theoryNote = !hasTheory ? '' : withTheory === runs.length ? '; dashed: theory' : `; dashed: theory, for the ${withTheory} of ${runs.length} runs it applies to`;
  const spec = base(`${metric} across ${runs.length} runs`, `mean and 5–95% band over seeds${theoryNote}`, { rows }, []);
  delete spec.layer;
  if (!facets) return { ...spec, data: { name: 'rows' }, layer };
  const { width: _w, height: _h, ...top } = spec;
  return { ...top, data: { name: 'rows' }, facet: { field: 'facet', type: 'nominal', title: groups.facetTitle ?? null }, columns: 3, spec: { width: 260, height: 200, layer } };
}

/**
 * The plots of one run: each metric (theory-backed ones first), collapse times, the temperature
 * map. An ecosystem run shows each metric of its authors on one figure, then its own metrics.
 */
export function runSpecs(run: Run): { id: string; spec: VlSpec }[] {
  const authors = authorsOf(run);
  const own = authors ? run.metricNames.filter((m) => baseMetric(m, authors) === null) : run.metricNames;
  const metrics = [...own].sort((a, b) => Number(theoryOf(run, b).length > 0) - Number(theoryOf(run, a).length > 0));
  const out = [...(authors ? authorSpecs(run, authors) : []), ...metrics.map((m) => ({ id: m, spec: metricSpec(run, m) }))];
  if (hasCollapse(run)) out.push({ id: 'collapse', spec: collapseSpec(run) });
  if (hasTemperatureMap(run)) out.push({ id: 'temperature-map', spec: temperatureMapSpec(run) });
  return out;
}
