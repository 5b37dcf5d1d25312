// The frame every plot of a run shares: the Vega-Lite document, its size and font, and the
// generation and value axes (symlog generations, log values when they span decades).

/** A Vega-Lite spec as plain JSON (vega-lite's own types are checked when it compiles). */
export type VlSpec = Record<string, unknown>;

const WIDTH = 520;
const HEIGHT = 300;
export const BLUE = '#1f4e99';

/** Dash patterns by role: a simulation solid, its theory dashed, further theory dotted and dash-dotted. */
export const DASH = { solid: [1, 0], theory: [6, 4], dotted: [2, 3], dashDot: [8, 3, 2, 3] } as const;

/**
 * The `color` and `strokeDash` encodings of lines named by `series`: theory is drawn in the
 * colour of the simulation it predicts and told apart by its dash, and the one legend shows
 * each name with a stroke of its own colour and dash.
 */
export function lines(entries: readonly (readonly [name: string, dash: readonly number[]])[], colour = BLUE): { color: VlSpec; strokeDash: VlSpec } {
  const domain = entries.map(([name]) => name);
  return {
    color: { field: 'series', type: 'nominal', title: null, scale: { domain, range: domain.map(() => colour) } },
    strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain, range: entries.map(([, dash]) => [...dash]) } },
  };
}

/** "1 seed", "20 seeds". */
export function seedsWord(n: number): string {
  return `${n} seed${n === 1 ? '' : 's'}`;
}

/** The longest line of a subtitle, in characters: vega sizes the figure by an estimate of text width (0.8 em a character), so a longer line would widen it. */
const SUBTITLE_CHARS = 60;

/** `text` cut into lines at spaces, each at most `max` characters where the words allow. */
export function wrap(text: string, max = SUBTITLE_CHARS): string[] {
  const out: string[] = [];
  for (const word of text.split(' ')) {
    const last = out[out.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= max) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

export function base(title: string, subtitle: string, datasets: Record<string, unknown[]>, layer: VlSpec[]): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: wrap(subtitle), anchor: 'start' },
    width: WIDTH,
    height: HEIGHT,
    datasets,
    layer,
    config: {
      font: 'DejaVu Sans',
      // Legend symbols are strokes in the line's own colour and dash, not pale circles.
      legend: { orient: 'bottom', columns: 2, labelLimit: 400, symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 500, symbolOpacity: 1 },
      // No axis title is cut short (vega's default limit and its width estimate cut long unit names).
      axis: { titleLimit: 2000 },
    },
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

/** Log y when every value is positive and they span more than two decades (counts such as an n-gram's contexts, 53,372 → 9). */
export function valueScale(values: readonly number[]): VlSpec {
  const [lo, hi] = extent(values);
  if (lo <= hi && values.every((v) => !Number.isFinite(v) || positive(v)) && hi / lo > 100) return { type: 'log' };
  return { type: 'linear', zero: false };
}
