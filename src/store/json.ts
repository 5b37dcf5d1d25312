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
