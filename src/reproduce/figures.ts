// Vega-Lite specs of the reproduction's figures: curves of the simulation (solid, with a band
// where one is given) against theory (dashed), in the style of src/report/specs.ts (same
// font, so src/report/render.ts renders them to identical SVG and PNG on every machine).
import { wrap } from '../report/spec-frame.ts';
import type { VlSpec } from '../report/specs.ts';

/** A point of a curve; `lo`/`hi` draw a band, `kind` solid (simulation) or dashed (theory). */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly series: string;
  readonly kind: 'simulation' | 'theory';
  readonly lo?: number;
  readonly hi?: number;
  /** For theory: the simulation series it predicts, whose colour it is drawn in. */
  readonly of?: string;
}

/** Tableau 10, one colour per simulation series (and per theory series that predicts none). */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Colour and dash per series: theory in the colour of the simulation it predicts (`of`), dashed; one legend shows both. */
function styles(points: readonly Point[]): { color: VlSpec; strokeDash: VlSpec } {
  const series = [...new Map(points.map((p) => [p.series, p])).values()];
  const groups: string[] = [];
  for (const p of series) if (!groups.includes(p.of ?? p.series)) groups.push(p.of ?? p.series);
  const domain = series.map((p) => p.series);
  return {
    color: { field: 'series', type: 'nominal', title: null, scale: { domain, range: series.map((p) => PALETTE[groups.indexOf(p.of ?? p.series) % PALETTE.length]!) } },
    strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain, range: series.map((p) => (p.kind === 'theory' ? [6, 4] : [1, 0])) } },
  };
}

export interface Axes {
  readonly x: string;
  readonly y: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly symlogX?: boolean;
}

/** Curves of several series on one plot; simulation solid with points, theory dashed. */
export function curves(title: string, subtitle: string, axes: Axes, points: readonly Point[]): VlSpec {
  const scaleX = axes.logX ? { type: 'log' } : axes.symlogX ? { type: 'symlog' } : { type: 'linear', zero: false };
  const integers = points.every((p) => Number.isInteger(p.x));
  const axisX = axes.symlogX ? { axis: { values: symlogTicks(points), format: ',d' } } : integers && !axes.logX ? { axis: { tickMinStep: 1, format: ',d' } } : {};
  const x = { field: 'x', type: 'quantitative', title: axes.x, scale: scaleX, ...axisX };
  const y = { field: 'y', type: 'quantitative', title: axes.y, scale: axes.logY ? { type: 'log' } : { type: 'linear', zero: false } };
  const clean = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const { color, strokeDash } = styles(clean);
  const layer: VlSpec[] = [];
  if (clean.some((p) => p.lo !== undefined)) {
    layer.push({
      name: 'band',
      data: { values: clean.filter((p) => p.lo !== undefined && Number.isFinite(p.lo) && Number.isFinite(p.hi)) },
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color, strokeDash },
    });
  }
  layer.push({
    name: 'simulation',
    data: { values: clean.filter((p) => p.kind === 'simulation') },
    // Points mark the sampled values; past ~40 per curve they only blur the line.
    mark: { type: 'line', point: clean.length <= 40 * new Set(clean.map((p) => p.series)).size ? { size: 18 } : false, strokeWidth: 2 },
    encoding: { x, y, color, strokeDash },
  });
  layer.push({
    name: 'theory',
    data: { values: clean.filter((p) => p.kind === 'theory') },
    mark: { type: 'line', strokeWidth: 1.8 },
    encoding: { x, y, color, strokeDash },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: wrap(subtitle), anchor: 'start' },
    width: 520,
    height: 300,
    layer,
    // Legend symbols are strokes in each line's colour and dash, not the band's pale fill.
    config: { font: 'DejaVu Sans', legend: { orient: 'bottom', labelLimit: 400, columns: 3, symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 500, symbolOpacity: 1 } },
  };
}

/** Ticks 0 and 1, 2, 5 × 10^k up to the largest x (vega's own symlog ticks are sparse). */
function symlogTicks(points: readonly Point[]): number[] {
  const max = Math.max(0, ...points.map((p) => p.x).filter(Number.isFinite));
  const values = [0];
  for (let d = 1; d <= max; d *= 10) values.push(...[d, 2 * d, 5 * d].filter((v) => v <= max));
  return values;
}
