// What a runs directory holds, for `ouro ls` and the dashboard: each run and sweep directly
// inside it (links are not followed, so `latest` is not listed twice), with its status,
// family, name, size of work, start date and bytes on disk; and the `latest` link.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FILES, runStatus, type RunStatus } from './rundir.ts';
import { SWEEP_FILES, cellStatus, readIndex, type CellStatus } from './sweepdir.ts';

/** The link in a runs directory to the run or sweep started last there. */
export const LATEST = 'latest';

export interface Listed {
  readonly kind: 'run' | 'sweep';
  /** The directory's name inside the runs directory. */
  readonly name: string;
  readonly dir: string;
  /** A run's status; for a sweep, its cells per status. */
  readonly status: RunStatus | Readonly<Partial<Record<CellStatus, number>>>;
  readonly family: string;
  /** The config's name (the run's, or the sweep's). */
  readonly configName: string;
  readonly seeds: number;
  readonly generations: number;
  /** Cells of a sweep (1 for a run). */
  readonly cells: number;
  /** When it was started (its config.json or sweep.json was written), ms since the epoch. */
  readonly started: number;
  readonly bytes: number;
}

/** The runs and sweeps directly inside `root`, oldest first. */
export function listRuns(root: string): Listed[] {
  if (!existsSync(root)) return [];
  const out: Listed[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dir = join(root, e.name);
    const item = existsSync(join(dir, SWEEP_FILES.index)) ? sweepItem(dir) : existsSync(join(dir, FILES.config)) ? runItem(dir) : undefined;
    if (item) out.push(item);
  }
  return out.sort((a, b) => a.started - b.started || a.name.localeCompare(b.name));
}

interface StoredConfig {
  name?: unknown;
  family?: unknown;
  seeds?: unknown;
  loop?: { generations?: unknown };
}

function readConfig(path: string): StoredConfig {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StoredConfig;
  } catch {
    return {};
  }
}

function runItem(dir: string): Listed {
  const path = join(dir, FILES.config);
  const c = readConfig(path);
  return {
    kind: 'run',
    name: basename(dir),
    dir,
    status: runStatus(dir),
    family: String(c.family ?? '?'),
    configName: String(c.name ?? '?'),
    seeds: Array.isArray(c.seeds) ? c.seeds.length : 0,
    generations: typeof c.loop?.generations === 'number' ? c.loop.generations : 0,
    cells: 1,
    started: statSync(path).mtimeMs,
    bytes: bytesOf(dir),
  };
}

function sweepItem(dir: string): Listed | undefined {
  let index;
  try {
    index = readIndex(dir);
  } catch {
    return undefined; // a torn or foreign index: not a sweep this listing can describe
  }
  const status: Partial<Record<CellStatus, number>> = {};
  for (const cell of index.cells) status[cellStatus(dir, cell)] = (status[cellStatus(dir, cell)] ?? 0) + 1;
  const first = index.cells.find((cell) => existsSync(join(dir, cell.dir, FILES.config)));
  const c = first ? readConfig(join(dir, first.dir, FILES.config)) : {};
  return {
    kind: 'sweep',
    name: basename(dir),
    dir,
    status,
    family: String(c.family ?? '?'),
    configName: index.name,
    seeds: Array.isArray(c.seeds) ? c.seeds.length : 0,
    generations: typeof c.loop?.generations === 'number' ? c.loop.generations : 0,
    cells: index.cells.length,
    started: statSync(join(dir, SWEEP_FILES.index)).mtimeMs,
    bytes: bytesOf(dir),
  };
}

/** Bytes of the files under `dir` (links are not followed). */
function bytesOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += bytesOf(p);
    else if (e.isFile()) n += lstatSync(p).size;
  }
  return n;
}

/**
 * Points `latest` beside `dir` at it (a relative link, replaced atomically). A `latest` that
 * is not a link is someone's own file or directory: it is left alone.
 */
export function linkLatest(dir: string): void {
  const root = dirname(dir);
  const link = join(root, LATEST);
  if (existsSync(link) && !lstatSync(link).isSymbolicLink()) return;
  if (lstatExists(link) && readlinkSync(link) === basename(dir)) return;
  const tmp = join(root, `.${LATEST}.${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(basename(dir), tmp);
  renameSync(tmp, link);
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The name `latest` in `root` points at, if it is a link. */
export function latestOf(root: string): string | undefined {
  const link = join(root, LATEST);
  return lstatExists(link) && lstatSync(link).isSymbolicLink() ? readlinkSync(link) : undefined;
}
