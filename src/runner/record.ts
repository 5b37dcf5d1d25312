// Which generations get a metrics row. `log` keeps ~20 rows per decade, so 10,000 seeds ×
// 10,000 generations write ~800,000 rows instead of 10^8; a seed's last generation is always
// recorded by the runner besides these.

export type RecordSpec = 'every' | 'log' | { readonly every: number } | readonly number[];

/** The sorted set of generations in 0..generations that the schedule records. */
export function recordedGenerations(spec: RecordSpec, generations: number): number[] {
  // Listed directly: a Set holds at most 2^24 numbers (V8), fewer than `every` may record.
  if (spec === 'every') return Array.from({ length: generations + 1 }, (_, g) => g);
  const out = new Set<number>([0]);
  if (spec === 'log') {
    for (let g = 1; g <= Math.min(10, generations); g++) out.add(g);
    for (let i = 20; ; i++) {
      const g = Math.round(10 ** (i / 20));
      if (g > generations) break;
      out.add(g);
    }
    out.add(generations);
  } else if (isList(spec)) {
    for (const g of spec) if (g <= generations) out.add(g);
  } else {
    const every = spec.every;
    const list = Array.from({ length: Math.floor(generations / every) + 1 }, (_, i) => i * every);
    if (list[list.length - 1] !== generations) list.push(generations);
    return list;
  }
  return [...out].sort((a, b) => a - b);
}

function isList(spec: RecordSpec): spec is readonly number[] {
  return Array.isArray(spec);
}

/** `m` itself, or an error naming the first NaN metric: an invalid state must stop the run, not flow into the log. */
export function checkFinite(m: Record<string, number>, seed: number, generation: number): Record<string, number> {
  for (const k in m) if (Number.isNaN(m[k])) throw new Error(`metric '${k}' is NaN at seed ${seed}, generation ${generation}: the model reached an invalid state`);
  return m;
}
