// "Did you mean …?" for a misspelled config key: the keys the schema allows where the unknown
// one stands, and the closest of them by edit distance.
import type { z } from 'zod';

/** The keys an object schema allows at `path` inside `schema` (through defaults, optionals, pipes and unions). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes: unknown[] = [schema];
  for (const step of path.map(String)) nodes = nodes.flatMap((n) => objects(n).flatMap((o) => (o.shape[step] ? [o.shape[step]] : [])));
  return [...new Set(nodes.flatMap((n) => objects(n).flatMap((o) => Object.keys(o.shape))))];
}

interface Def {
  readonly type: string;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly options?: readonly unknown[];
  readonly shape?: Record<string, unknown>;
  getter?(): unknown;
}

/** The object schemas `node` stands for, unwrapped. */
function objects(node: unknown): { shape: Record<string, unknown> }[] {
  const def = (node as { _zod?: { def?: Def } })._zod?.def;
  if (!def) return [];
  if (def.type === 'object' && def.shape) return [{ shape: def.shape }];
  if (def.type === 'union') return (def.options ?? []).flatMap(objects);
  if (def.type === 'pipe') return objects(def.in);
  if (def.type === 'lazy' && def.getter) return objects(def.getter());
  return def.innerType ? objects(def.innerType) : [];
}

/** The allowed key closest to `key`, if it is within a typo's distance (a third of its length, at least 1). */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const a of allowed) {
    const d = distance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) (best = a), (bestD = d);
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
