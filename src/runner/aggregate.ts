// Aggregates across seeds: per recorded generation, mean, sd and quantiles of each metric;
// per run, statistics of the collapse time.

export interface Stats {
  mean: number;
  sd: number;
  se: number;
  quantiles: Record<'5' | '25' | '50' | '75' | '95', number>;
}

/**
 * The q-quantile of sorted values, linear between order statistics (type 7, as numpy's
 * default). Between an infinite order statistic and a finite one the line's limit is the
 * infinity (−∞ + t·∞ would be NaN); between −∞ and +∞ it is the nearer order statistic.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const t = h - lo;
  if (a === b || t === 0) return a;
  if (a === -Infinity) return b === Infinity ? (t < 0.5 ? a : b) : a;
  if (b === Infinity) return b;
  return a + t * (b - a);
}

/** Mean, sample sd, standard error and quantiles 5/25/50/75/95 of `values` (null if empty). */
export function stats(values: readonly number[]): Stats | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const q = (p: number) => quantile(sorted, p);
  return { mean, sd, se: sd / Math.sqrt(n), quantiles: { '5': q(0.05), '25': q(0.25), '50': q(0.5), '75': q(0.75), '95': q(0.95) } };
}

export interface SeriesAggregate {
  mean: (number | null)[];
  sd: (number | null)[];
  q05: (number | null)[];
  q25: (number | null)[];
  q50: (number | null)[];
  q75: (number | null)[];
  q95: (number | null)[];
  count: number[];
}

/**
 * Aggregates one metric: `values[g][s]` is seed s's value at recorded index g (NaN when the
 * seed has none). Infinite values count in quantiles; the mean and sd of a column holding
 * any infinity are null (they are not finite numbers).
 */
export function aggregateSeries(columns: readonly Float64Array[]): SeriesAggregate {
  const out: SeriesAggregate = { mean: [], sd: [], q05: [], q25: [], q50: [], q75: [], q95: [], count: [] };
  for (const col of columns) {
    const vals = Array.from(col).filter((v) => !Number.isNaN(v));
    const s = stats(vals);
    const finite = vals.every(Number.isFinite);
    out.count.push(vals.length);
    out.mean.push(s && finite ? s.mean : null);
    out.sd.push(s && finite ? s.sd : null);
    out.q05.push(s ? s.quantiles['5'] : null);
    out.q25.push(s ? s.quantiles['25'] : null);
    out.q50.push(s ? s.quantiles['50'] : null);
    out.q75.push(s ? s.quantiles['75'] : null);
    out.q95.push(s ? s.quantiles['95'] : null);
  }
  return out;
}
