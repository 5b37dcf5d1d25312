// The playground's plots: lines over generations on one SVG, each with its own colour and dash,
// axes from the values drawn. A line with an `id` carries its values in data-values, so what is
// drawn can be read back (the browser test does).

export interface Line {
  readonly values: readonly number[];
  readonly color: string;
  readonly id?: string;
  readonly dash?: string;
  readonly width?: number;
  readonly opacity?: number;
}

const W = 680;
const H = 380;
const PAD = { l: 60, r: 20, t: 16, b: 44 };

/** An SVG of `lines` against generations 0 … gMax, with `label` on the y axis. */
export function linePlot(lines: readonly Line[], gMax: number, label: string): string {
  let lo = 0;
  let hi = -Infinity;
  for (const l of lines) for (const v of l.values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (hi === -Infinity) hi = 1;
  if (hi <= lo) hi = lo + 1e-9;
  const x = (g: number): number => PAD.l + (g / Math.max(1, gMax)) * (W - PAD.l - PAD.r);
  const y = (v: number): number => H - PAD.b - ((v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
  const points = (vs: readonly number[]): string => vs.map((v, g) => (Number.isFinite(v) ? `${x(g).toFixed(1)},${y(v).toFixed(1)}` : '')).filter(Boolean).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = lo + f * (hi - lo);
    const g = Math.round(f * gMax);
    return `<text x="${PAD.l - 6}" y="${y(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text><line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${x(g)}" y="${H - PAD.b + 16}" text-anchor="middle">${g}</text>`;
  });
  const drawn = lines.map((l) => {
    const attrs = [l.id ? `id="${l.id}" data-values="${JSON.stringify(l.values)}"` : 'class="seed"', `points="${points(l.values)}"`, 'fill="none"', `stroke="${l.color}"`, `stroke-width="${l.width ?? 2}"`];
    if (l.dash) attrs.push(`stroke-dasharray="${l.dash}"`);
    if (l.opacity !== undefined) attrs.push(`stroke-opacity="${l.opacity}"`);
    return `<polyline ${attrs.join(' ')}/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-size="11" font-family="sans-serif">
${ticks.join('')}<line x1="${PAD.l}" x2="${PAD.l}" y1="${PAD.t}" y2="${H - PAD.b}" stroke="#333"/><line x1="${PAD.l}" x2="${W - PAD.r}" y1="${H - PAD.b}" y2="${H - PAD.b}" stroke="#333"/>
${drawn.join('\n')}
<text x="${(W + PAD.l) / 2}" y="${H - 8}" text-anchor="middle">generation</text>
<text transform="translate(14 ${(H - PAD.b + PAD.t) / 2}) rotate(-90)" text-anchor="middle">${label}</text></svg>`;
}

/** The mean of each row (one row per generation, one value per seed). */
export function rowMeans(rows: readonly (readonly number[])[]): number[] {
  return rows.map((vs) => vs.reduce((s, v) => s + v, 0) / vs.length);
}
