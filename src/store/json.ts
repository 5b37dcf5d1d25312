// JSON for run files: ±Infinity are written as the strings "Infinity" / "-Infinity" (JSON has
// no such numbers, and an infinite entropy is a result); NaN is a bug and is refused.

export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (k, v: unknown) => {
      if (typeof v !== 'number' || Number.isFinite(v)) return v;
      if (Number.isNaN(v)) throw new Error(`NaN in run output at key '${k}': an invalid state must fail where it happens`);
      return v > 0 ? 'Infinity' : '-Infinity';
    },
    indent,
  );
}

/** Reads a metric value written by toJson back as a number. */
export function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

// JSON.stringify(key) + ':' for each metric name seen: the keys of millions of log lines.
const quoted = new Map<string, string>();

/**
 * toJson({ seed, generation, metrics }) byte for byte, where metrics[names[j]] = values[at + j],
 * built directly: the log has a line per seed and recorded generation, and JSON.stringify
 * with a replacer over an object costs twice as much.
 */
export function metricValuesJson(seed: number, generation: number, names: readonly string[], values: ArrayLike<number>, at: number): string {
  let s = `{"seed":${seed},"generation":${generation},"metrics":{`;
  for (let j = 0; j < names.length; j++) {
    const k = names[j]!;
    const v = values[at + j]!;
    let q = quoted.get(k);
    if (q === undefined) quoted.set(k, (q = JSON.stringify(k) + ':'));
    // JSON.stringify writes a finite number as String(v) does (Number::toString; −0 as 0).
    s += (j > 0 ? ',' : '') + q + (Number.isFinite(v) ? String(v) : toJson(v));
  }
  return s + '}}';
}
