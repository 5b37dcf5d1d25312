// A sweep directory holds one run directory per cell (at any depth below it, so the layout of
// the sweep's own index does not matter here). What was swept is read off the cells'
// configs: the leaf keys whose values differ between cells.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isRunDir, readRun, ReportInputError, type Run } from './run-dir.ts';

/** Config keys that differ between any two runs by construction, never a swept setting. */
const BOOKKEEPING = new Set(['runId', 'name', 'version', 'commit', 'seed', 'seeds']);

export interface Sweep {
  readonly dir: string;
  readonly cells: readonly Run[];
  /** Dotted config paths whose values differ between cells (e.g. loop.temperature). */
  readonly keys: readonly string[];
  /** Per cell, its swept values as "key=value, …" (the legend label). */
  readonly labels: readonly string[];
}

/** Run directories at or below `dir` (not descending into a run, nor through symlinks), sorted by path; depth-limited to 3. */
export function findRunDirs(dir: string, depth = 3): string[] {
  if (isRunDir(dir)) return [dir];
  if (depth === 0) return [];
  const out: string[] = [];
  // Dirent.isDirectory() is false for a symlink: links are not followed, so a listing never leaves `dir`.
  const subdirs = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  for (const name of subdirs.map((d) => d.name).sort()) out.push(...findRunDirs(join(dir, name), depth - 1));
  return out;
}

/** Reads every cell of a sweep directory and what varies between them. */
export function readSweep(dir: string): Sweep {
  const cells = findRunDirs(dir).map((d) => readRun(d));
  if (cells.length === 0) throw new ReportInputError(`${dir}: no run directories inside (looked for config.json or generations.jsonl up to 3 levels down)`);
  const keys = sweptKeys(cells.map((c) => c.config ?? {}));
  const labels = cells.map((c) => (keys.length ? keys.map((k) => `${k}=${JSON.stringify(leaf(c.config ?? {}, k))}`).join(', ') : c.name));
  return { dir, cells, keys, labels };
}

/** Leaf paths whose JSON values are not all equal across `configs`. */
export function sweptKeys(configs: readonly Readonly<Record<string, unknown>>[]): string[] {
  const paths = new Set(configs.flatMap((c) => leaves(c)));
  return [...paths].filter((p) => !BOOKKEEPING.has(p) && new Set(configs.map((c) => JSON.stringify(leaf(c, p)))).size > 1).sort();
}

function leaves(obj: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function leaf(obj: Readonly<Record<string, unknown>>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}
