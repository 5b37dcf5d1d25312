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
  return sortedStats(Float64Array.from(values).sort());
}

/** stats() of values already in ascending order, as Float64Array.prototype.sort leaves them (the sums run in this order). */
export function sortedStats(sorted: ArrayLike<number>): Stats | null {
  const n = sorted.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
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
  for (const col of columns) pushSorted(out, col.filter((v) => !Number.isNaN(v)).sort());
  return out;
}

/** Appends to `out` the aggregate of one column from its values in ascending order (no NaN). */
export function pushSorted(out: SeriesAggregate, sorted: Float64Array): void {
  const s = sortedStats(sorted);
  const finite = sorted.length === 0 || (Number.isFinite(sorted[0]) && Number.isFinite(sorted[sorted.length - 1]));
  out.count.push(sorted.length);
  out.mean.push(s && finite ? s.mean : null);
  out.sd.push(s && finite ? s.sd : null);
  out.q05.push(s ? s.quantiles['5'] : null);
  out.q25.push(s ? s.quantiles['25'] : null);
  out.q50.push(s ? s.quantiles['50'] : null);
  out.q75.push(s ? s.quantiles['75'] : null);
  out.q95.push(s ? s.quantiles['95'] : null);
}

/** The ascending merge of two ascending arrays, in the order sort() would give their union (−0 before +0). */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    out[o++] = y < x || (y === x && 1 / y < 1 / x) ? (j++, y) : (i++, x);
  }
  while (i < a.length) out[o++] = a[i++]!;
  while (j < b.length) out[o++] = b[j++]!;
  return out;
}
