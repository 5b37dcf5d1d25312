// Vega-Lite specs of the reproduction's figures: curves of the simulation (solid, with a band
// where one is given) against theory (dashed), in the style of src/report/specs.ts (same
// font, so src/report/render.ts renders them to identical SVG and PNG on every machine).
import type { VlSpec } from '../report/specs.ts';

/** A point of a curve; `lo`/`hi` draw a band, `kind` solid (simulation) or dashed (theory). */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly series: string;
  readonly kind: 'simulation' | 'theory';
  readonly lo?: number;
  readonly hi?: number;
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
  const color = { field: 'series', type: 'nominal', title: null };
  const clean = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const layer: VlSpec[] = [];
  if (clean.some((p) => p.lo !== undefined)) {
    layer.push({
      name: 'band',
      data: { values: clean.filter((p) => p.lo !== undefined && Number.isFinite(p.lo) && Number.isFinite(p.hi)) },
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    });
  }
  layer.push({
    name: 'simulation',
    data: { values: clean.filter((p) => p.kind === 'simulation') },
    // Points mark the sampled values; past ~40 per curve they only blur the line.
    mark: { type: 'line', point: clean.length <= 40 * new Set(clean.map((p) => p.series)).size ? { size: 18 } : false, strokeWidth: 2 },
    encoding: { x, y, color },
  });
  layer.push({
    name: 'theory',
    data: { values: clean.filter((p) => p.kind === 'theory') },
    mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.8 },
    encoding: { x, y, color },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start', limit: 600 }, // long settings belong in the caption
    width: 520,
    height: 300,
    layer,
    config: { font: 'DejaVu Sans', legend: { orient: 'bottom', labelLimit: 400, columns: 3 } },
  };
}

/** Ticks 0 and 1, 2, 5 × 10^k up to the largest x (vega's own symlog ticks are sparse). */
function symlogTicks(points: readonly Point[]): number[] {
  const max = Math.max(0, ...points.map((p) => p.x).filter(Number.isFinite));
  const values = [0];
  for (let d = 1; d <= max; d *= 10) values.push(...[d, 2 * d, 5 * d].filter((v) => v <= max));
  return values;
}
