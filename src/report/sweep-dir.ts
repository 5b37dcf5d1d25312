// A sweep directory: with the index `ouro sweep` writes (src/store/sweepdir.ts), its cells in
// index order and its swept keys; without one (any folder of run directories), the run
// directories below it, and as swept keys the config leaves whose values differ between them.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { RunDirError } from '../store/rundir.ts';
import { readIndex, SWEEP_FILES } from '../store/sweepdir.ts';
import { isRunDir, readRun, ReportInputError, type Run } from './run-dir.ts';
import type { CompareGroups } from './specs.ts';

/** Config keys that differ between any two runs by construction, never a swept setting. */
const BOOKKEEPING = new Set(['runId', 'name', 'version', 'commit', 'seed', 'seeds']);

/** A sweep's cells as runs, with what varies between them. */
export interface Sweep {
  readonly dir: string;
  readonly cells: readonly Run[];
  /** Dotted config paths whose values differ between cells (e.g. loop.temperature). */
  readonly keys: readonly string[];
  /** Per cell, its swept values as "key=value, …" (the legend label). */
  readonly labels: readonly string[];
  /** Per cell, key → its value (JSON text). */
  readonly values: readonly Readonly<Record<string, string>>[];
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
  const indexed = existsSync(join(dir, SWEEP_FILES.index)) ? indexedCells(dir) : null;
  const cells = (indexed ?? findRunDirs(dir)).map((d) => readRun(d));
  if (cells.length === 0) throw new ReportInputError(`${dir}: no run directories inside yet (looked for ${SWEEP_FILES.index} cells, or config.json / generations.jsonl up to 3 levels down)`);
  const keys = sweptKeys(cells.map((c) => c.config ?? {}));
  const values = cells.map((c) => Object.fromEntries(keys.map((k) => [k, JSON.stringify(leaf(c.config ?? {}, k))])));
  const labels = cells.map((c, i) => (keys.length ? keys.map((k) => `${k}=${values[i]![k]}`).join(', ') : c.name));
  return { dir, cells, keys, labels, values };
}

/** The run directories of an indexed sweep's cells; a cell reached through a link out of the sweep is refused. */
function indexedCells(dir: string): string[] {
  let index;
  try {
    index = readIndex(dir);
  } catch (e) {
    throw e instanceof RunDirError ? new ReportInputError(e.message) : e;
  }
  const root = realpathSync(dir);
  const cells = index.cells.map((c) => join(dir, c.dir)).filter(isRunDir);
  const out = cells.find((c) => !realpathSync(c).startsWith(root + sep));
  if (out) throw new ReportInputError(`${out}: links outside the sweep directory ${dir}; a cell is a directory inside it`);
  return cells;
}

/** Leaf paths whose JSON values are not all equal across `configs`. */
function sweptKeys(configs: readonly Readonly<Record<string, unknown>>[]): string[] {
  const paths = new Set(configs.flatMap((c) => leaves(c)));
  return [...paths].filter((p) => !BOOKKEEPING.has(p) && new Set(configs.map((c) => JSON.stringify(leaf(c, p)))).size > 1).sort();
}

function leaves(obj: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function leaf(obj: Readonly<Record<string, unknown>>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** How a sweep's cells are drawn together: with two or more swept keys, one panel per value of the last, coloured by the rest. */
export function sweepGroups(sweep: Sweep): CompareGroups {
  if (sweep.keys.length < 2) return { labels: sweep.labels };
  const last = sweep.keys[sweep.keys.length - 1]!;
  const rest = sweep.keys.slice(0, -1);
  return {
    labels: sweep.values.map((v) => rest.map((k) => `${k}=${v[k]}`).join(', ')),
    facets: sweep.values.map((v) => `${last}=${v[last]}`),
    facetTitle: last,
  };
}
