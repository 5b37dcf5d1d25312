// Sweep directories (docs/scaling-out.md): an index of cells (swept values, run id, status,
// run directory), one run directory per cell under cells/<runId>/, and a combined long-format
// Parquet with the swept keys as extra columns. Cells are keyed by run id, so a cell is written
// at most once however many times it was computed, and a finished cell is never redone.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJoinedParquet, type CellParquet } from './sweep-parquet.ts';
import { acquireLock, describeOwner, lockHolder, type Lock } from './lock.ts';
import { FILES, REPORT_FILE, RunDirError, entriesOf, makeDirs, nameList, notARun, readJson, runStatus, writeJson, type RunStatus } from './rundir.ts';

export const SWEEP_FILES = { index: 'sweep.json', parquet: 'metrics.parquet', cells: 'cells', lock: 'sweep.lock' } as const;

export type CellStatus = RunStatus | 'pending';

export interface IndexCell {
  readonly cell: number;
  readonly values: Readonly<Record<string, unknown>>;
  readonly runId: string;
  /** The cell's run directory, relative to the sweep directory. */
  readonly dir: string;
  status: CellStatus;
}

export interface SweepIndex {
  readonly name: string;
  readonly source: string;
  /** Hash of the cells' run ids in order: the same sweep has the same id. */
  readonly sweepId: string;
  readonly keys: readonly string[];
  readonly cells: IndexCell[];
}

/** A cell's run directory (relative to the sweep directory). */
export function cellDirName(runId: string): string {
  return join(SWEEP_FILES.cells, runId);
}

/**
 * Opens `dir` for the sweep `sweepId` and returns its lock (one process writes a sweep at a
 * time): creates it, or accepts it when it already holds the same sweep. A non-empty directory
 * holding anything else is refused; `force` empties it, but only if it is a sweep directory
 * Ouroboros made.
 */
export function openSweepDir(dir: string, sweepId: string, force: boolean): Lock {
  const holder = existsSync(dir) ? lockHolder(join(dir, SWEEP_FILES.lock)) : undefined;
  if (holder) throw new RunDirError(`sweep directory ${dir} is being written by ${describeOwner(holder)}; wait for it to end, stop it, or choose another --out`);
  toClear(dir, sweepId, force); // refuse before touching anything
  makeDirs(dir);
  const lock = acquireLock(join(dir, SWEEP_FILES.lock), `sweep directory ${dir}`);
  try {
    for (const name of toClear(dir, sweepId, force)) rmSync(join(dir, name), { recursive: true, force: true });
    mkdirSync(join(dir, SWEEP_FILES.cells), { recursive: true });
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** Takes the lock of the existing sweep in `dir` (to gather results into it). */
export function lockSweepDir(dir: string): Lock {
  return acquireLock(join(dir, SWEEP_FILES.lock), `sweep directory ${dir}`);
}

/** The entries of `dir` to delete before the sweep `sweepId` may use it ([] to keep them); throws RunDirError to refuse. */
function toClear(dir: string, sweepId: string, force: boolean): string[] {
  const entries = entriesOf(dir, SWEEP_FILES.lock);
  if (entries.length === 0 || indexedSweep(dir) === sweepId) return [];
  const why = notASweep(dir, entries);
  if (why !== undefined) throw new RunDirError(`${dir} already exists and is not a sweep directory Ouroboros made (${why}); choose another --out. --force replaces only a sweep directory, never other files`);
  if (!force) throw new RunDirError(`sweep directory ${dir} holds a different sweep (other cells); pass --force to replace it, or --out to choose another`);
  return entries;
}

function indexedSweep(dir: string): unknown {
  try {
    return (JSON.parse(readFileSync(join(dir, SWEEP_FILES.index), 'utf8')) as { sweepId?: unknown }).sweepId;
  } catch {
    return undefined;
  }
}

/** Why `dir` is not a sweep directory Ouroboros made (only a sweep's names, a sweep.json with a sweepId, run directories as cells), or undefined. */
function notASweep(dir: string, entries: readonly string[]): string | undefined {
  const known = new Set<string>([...Object.values(SWEEP_FILES), REPORT_FILE]);
  const foreign = entries.filter((n) => !known.has(n.replace(/\.(tmp|stale-[\w-]+)$/, '')));
  if (foreign.length > 0) return `it holds ${nameList(foreign)}, which no sweep writes`;
  if (typeof indexedSweep(dir) !== 'string') return `it has no readable ${SWEEP_FILES.index} with a sweepId`;
  const cells = join(dir, SWEEP_FILES.cells);
  for (const name of entriesOf(cells, '')) {
    if (!/^\.?[0-9a-f]{12}(\.tmp-\d+)?$/.test(name)) return `${SWEEP_FILES.cells}/ holds '${name}', which is not a cell`;
    const why = notARun(join(cells, name), entriesOf(join(cells, name), FILES.lock));
    if (why !== undefined) return `${SWEEP_FILES.cells}/${name}: ${why}`;
  }
  return undefined;
}

/** Sets every cell's status from its run directory, then writes the index (write-then-rename). */
export function writeIndex(dir: string, index: SweepIndex): void {
  for (const c of index.cells) c.status = cellStatus(dir, c);
  writeJson(dir, SWEEP_FILES.index, index);
}

export function readIndex(dir: string): SweepIndex {
  const index = readJson<SweepIndex>(dir, SWEEP_FILES.index);
  if (!Array.isArray(index.cells) || typeof index.sweepId !== 'string') throw new RunDirError(`${join(dir, SWEEP_FILES.index)}: not a sweep index; is ${dir} a sweep directory?`);
  // A cell's directory is always cells/<runId>: anything else (say "../../x") would lead readers out of the sweep.
  const bad = index.cells.find((c) => typeof c.runId !== 'string' || !/^[0-9a-f]{12}$/.test(c.runId) || c.dir !== cellDirName(c.runId));
  if (bad) throw new RunDirError(`${join(dir, SWEEP_FILES.index)}: cell ${JSON.stringify(bad.cell)} has directory ${JSON.stringify(bad.dir)}; a cell's directory is ${SWEEP_FILES.cells}/<its runId>. The index was edited or damaged`);
  return index;
}

/** pending (nothing written yet), or the run's status; complete needs metrics.parquet too. */
export function cellStatus(dir: string, cell: IndexCell): CellStatus {
  const runDir = join(dir, cell.dir);
  if (!existsSync(join(runDir, FILES.config)) && !existsSync(join(runDir, FILES.log))) return 'pending';
  const status = runStatus(runDir);
  // The run writes summary.json (its completion mark) before metrics.parquet: a kill between the two leaves no Parquet.
  return status === 'complete' && !existsSync(join(runDir, FILES.parquet)) ? 'incomplete' : status;
}

/** The top-level files of a finished run directory, by name (what a queue worker sends back). */
export function readRunFiles(runDir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const e of readdirSync(runDir, { withFileTypes: true })) if (e.isFile() && e.name !== FILES.lock) files[e.name] = new Uint8Array(readFileSync(join(runDir, e.name)));
  return files;
}

/**
 * Installs a finished cell's files as its run directory, whole or not at all: written to a
 * temporary directory, then renamed into place. A cell that is already complete is left as it
 * is (returns false), so writing the same result twice is harmless.
 */
export function installCell(dir: string, cell: IndexCell, files: Readonly<Record<string, Uint8Array>>): boolean {
  const target = join(dir, cell.dir);
  if (cellStatus(dir, cell) === 'complete') return false;
  if (!(FILES.summary in files)) throw new RunDirError(`cell ${cell.runId}: the result holds no ${FILES.summary}; the run did not finish`);
  const tmp = join(dir, SWEEP_FILES.cells, `.${cell.runId}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new RunDirError(`cell ${cell.runId}: refusing a result file named '${name}'`);
    writeFileSync(join(tmp, name), bytes);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  return true;
}

/**
 * Writes metrics.parquet for the sweep: the rows of every complete cell's metrics.parquet (every
 * seed at every recorded generation) in cell order, with `cell`, `runId` and one column per
 * swept key (DOUBLE when every value is a number, else the value as JSON text; null where a case
 * does not set the key; named by the dotted key, or `config.<key>` if that is a fixed column's
 * name, as a swept `seed` is).
 */
export async function writeSweepParquet(dir: string, index: SweepIndex): Promise<string> {
  const seen = new Set<string>();
  const cells: CellParquet[] = [];
  for (const c of index.cells) {
    if (cellStatus(dir, c) !== 'complete' || seen.has(c.runId)) continue; // two identical cells share one run
    seen.add(c.runId);
    cells.push({ cell: c.cell, runId: c.runId, swept: index.keys.map((k) => c.values[k] ?? null), bytes: readFileSync(join(dir, c.dir, FILES.parquet)) });
  }
  const path = join(dir, SWEEP_FILES.parquet);
  writeJoinedParquet(path, index.keys, cells);
  return path;
}
