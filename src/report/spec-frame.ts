// The frame every plot of a run shares: the Vega-Lite document, its size and font, and the
// generation and value axes (symlog generations, log values when they span decades).

/** A Vega-Lite spec as plain JSON (vega-lite's own types are checked when it compiles). */
export type VlSpec = Record<string, unknown>;

const WIDTH = 520;
const HEIGHT = 300;
export const BLUE = '#1f4e99';
export const THEORY = '#d62728';

/** A colour legend over fixed series names: simulation blue, theory red, in this order. */
export function series(...domain: string[]): VlSpec {
  return { field: 'series', type: 'nominal', title: null, scale: { domain, range: [BLUE, THEORY, '#ff7f0e', '#6a3d9a', '#8c564b', '#888'] } };
}

export function base(title: string, subtitle: string, datasets: Record<string, unknown[]>, layer: VlSpec[]): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start' },
    width: WIDTH,
    height: HEIGHT,
    datasets,
    layer,
    config: { font: 'DejaVu Sans', legend: { orient: 'bottom', labelLimit: 400 }, axisY: { titleLimit: HEIGHT } },
  };
}

/** A finite value a log scale can show. */
const positive = (x: number): boolean => Number.isFinite(x) && x > 0;

/** [min, max] without spreading (a spread of a few hundred thousand values overflows the stack). */
export function extent(xs: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) if (Number.isFinite(x)) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  return [lo, hi];
}

/** symlog x when generations span more than two decades (the default `log` record schedule). */
function generationScale(recorded: readonly number[]): VlSpec {
  return extent(recorded)[1] >= 100 ? { type: 'symlog' } : { type: 'linear' };
}

/** The x encoding over generations; on symlog, ticks at 0 and 1, 2, 5 × 10^k (vega's own are sparse there). */
export function generationX(generations: readonly number[], title: string): VlSpec {
  const scale = generationScale(generations);
  if (scale.type !== 'symlog') return { field: 'generation', type: 'quantitative', title, scale };
  const max = extent(generations)[1];
  const values = [0];
  for (let d = 1; d <= max; d *= 10) values.push(...[d, 2 * d, 5 * d].filter((v) => v <= max));
  return { field: 'generation', type: 'quantitative', title, scale, axis: { values, format: ',d' } };
}

/** Log y when every value is positive and they span more than three decades. */
export function valueScale(values: readonly number[]): VlSpec {
  const [lo, hi] = extent(values);
  if (lo <= hi && values.every((v) => !Number.isFinite(v) || positive(v)) && hi / lo > 1000) return { type: 'log' };
  return { type: 'linear', zero: false };
}
