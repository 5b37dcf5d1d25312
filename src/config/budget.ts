// The least memory a config's run needs, from the config alone, so a run that cannot fit is
// refused before any work (a seed list of 10^9 numbers, a record schedule of 10^9 generations
// or a generation of 10^12 tokens used to crash V8 or run for minutes first). Every part is a
// lower bound: a refused run could not have finished on this machine; a run that passes may
// still need more (more metrics, more seeds in flight). Browser-safe: the limits are passed in.
import type { FamilyEntry, MemoryNeed } from '../families/entry.ts';
import type { Config } from './schema.ts';
import { settingsOf } from './options.ts';

/** What this process may use: the machine's memory, and V8's heap for what lives in JS arrays and objects. */
export interface MemoryLimits {
  readonly total: number;
  readonly heap: number;
}

/** What a run needs, part by part, where `heap` parts live in V8's heap (the rest in typed arrays). */
export interface Part extends MemoryNeed {
  readonly heap: boolean;
}

/**
 * Bytes each seed keeps until the run ends, at least: its end line in the summary and its place
 * in the seed list (docs/run-directory.md measured about 0.5 KB per seed; half of it is certain).
 */
const PER_SEED = 256;
/** A recorded generation in the run's schedule: one number in a JS array. */
const PER_RECORDED = 8;
/** A recorded metric value in the summary's accumulators (a float64; at most twice that while arrays double). */
const PER_VALUE = 8;

/**
 * At least how many generations `spec` records in 0..generations, counted without listing them
 * (runner/record.ts lists them): exact for `every` and `{ every: n }` up to the final generation,
 * which may add one; `log` and lists record few, counted as generation 0 and 1..10.
 */
export function recordedAtLeast(spec: 'every' | 'log' | { readonly every: number } | readonly number[], generations: number): number {
  if (spec === 'every') return generations + 1;
  if (spec === 'log') return Math.min(10, generations) + 1;
  if (Array.isArray(spec)) return 1;
  return Math.floor(generations / (spec as { readonly every: number }).every) + 1; // Array.isArray does not narrow a readonly array away
}

/** The parts of the least memory `config`'s run needs, largest first. */
export function memoryParts(config: Config, entry: FamilyEntry): Part[] {
  const seeds = typeof config.seeds === 'number' ? config.seeds : config.seeds.length;
  const recorded = recordedAtLeast(config.record, config.loop.generations);
  // A seed that stops when it collapses may stop at generation 1: it records generation 0 alone.
  const rows = config.loop.stopWhenCollapsed ? 1 : recorded;
  const parts: Part[] = [
    { field: 'seeds', bytes: seeds * PER_SEED, what: `${count(seeds)} seeds, at least ${PER_SEED} bytes each until the run ends`, heap: true },
    { field: 'loop.generations', bytes: recorded * PER_RECORDED, what: `${count(recorded)} recorded generations (record: ${JSON.stringify(config.record)}) in the run's schedule`, heap: true },
    { field: 'loop.generations', bytes: seeds * rows * PER_VALUE, what: `${count(seeds * rows)} recorded metric values (seeds × recorded generations), ${PER_VALUE} bytes each`, heap: false },
    ...(entry.memory?.(settingsOf(config, entry)) ?? []).map((n) => ({ ...n, heap: false })),
  ];
  return parts.sort((a, b) => b.bytes - a.bytes);
}

/** Why `config` cannot fit in `limits`, at the field of its largest part; undefined when it may. */
export function overBudget(config: Config, entry: FamilyEntry, limits: MemoryLimits): { field: string; message: string } | undefined {
  const parts = memoryParts(config, entry);
  const heap = parts.filter((p) => p.heap);
  const over = (ps: Part[], limit: number, name: string, fix: string) => {
    const need = ps.reduce((s, p) => s + p.bytes, 0);
    if (need <= limit) return undefined;
    const shown = ps.filter((p) => p.bytes >= need / 100).slice(0, 3).map((p) => `${p.field}: ${bytes(p.bytes)} for ${p.what}`);
    return { field: ps[0]!.field, message: `this run cannot fit: it needs at least ${bytes(need)} of memory (${shown.join('; ')}), more than ${name} (${bytes(limit)}); make ${ps[0]!.field} smaller${fix}` };
  };
  return over(parts, limits.total, "this machine's memory", '') ?? over(heap, limits.heap, "Node's heap limit", ', or raise the limit with NODE_OPTIONS=--max-old-space-size=MB if the machine has the memory');
}

function count(n: number): string {
  return n < 1e15 ? Math.round(n).toLocaleString('en-US') : n.toExponential(1);
}

/** Bytes for people: 512 GB, 3.2 MB (decimal units, as disks and `free -h` beside them). */
export function bytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) (n /= 1000), i++;
  return i === 0 ? `${n} bytes` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}
