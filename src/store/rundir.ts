// Run directories on disk (docs/run-directory.md): creation that never overwrites without
// --force (and with it, only a run directory Ouroboros made), the lock every writer holds,
// the append-only generations log, and reading a run back, whole or half-written.
import { closeSync, constants, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RunDirError } from './dir-error.ts';
import { toJson } from './json.ts';
import { acquireLock, describeOwner, lockHolder, type Lock } from './lock.ts';

export { RunDirError } from './dir-error.ts';

/** What `ouro report` writes into a run or sweep directory unless told otherwise. */
export const REPORT_FILE = 'report.html';

export const FILES = {
  config: 'config.json',
  log: 'generations.jsonl',
  samples: 'samples.jsonl',
  summary: 'summary.json',
  parquet: 'metrics.parquet',
  lock: 'run.lock',
  failed: 'FAILED.txt',
} as const;

/** A metric row of generations.jsonl (values as written: numbers or "Infinity" strings). */
export interface GenerationLine {
  seed: number;
  generation: number;
  metrics: Record<string, number | string>;
}
/** The line that ends a seed. */
export interface EndLine extends GenerationLine {
  event: 'end';
  /** The first generation whose model was collapsed (ever), or null. */
  collapsedAt: number | null;
  /** Whether the seed's last model is collapsed (differs from collapsedAt ≠ null when collapse is not absorbing). */
  collapsedAtEnd: boolean;
  final: Record<string, string | number | null>;
}
export type LogLine = GenerationLine | EndLine;

/** A samples.jsonl line: items the model drew at a recorded generation (text families). */
export interface SampleLine {
  seed: number;
  generation: number;
  samples: string[];
  /** What a model writes: its most frequent tokens and their shares (families with `inspect`). */
  topTokens?: { token: string; share: number }[];
}

/** One finished seed's part of a run: its lines at recorded generations in order, its end line, its samples. */
export interface SeedRecord {
  readonly seed: number;
  readonly rows: readonly GenerationLine[];
  readonly end: EndLine;
  readonly samples: readonly SampleLine[];
}

/** The finished seeds' records in log lines, in the order their end lines come: each seed's rows in log order and its end line. */
export function seedRecords(lines: readonly LogLine[]): Map<number, SeedRecord> {
  const rows = new Map<number, GenerationLine[]>();
  const out = new Map<number, SeedRecord>();
  for (const l of lines) {
    if ('event' in l) out.set(l.seed, { seed: l.seed, rows: rows.get(l.seed) ?? [], end: l, samples: [] });
    else {
      let r = rows.get(l.seed);
      if (!r) rows.set(l.seed, (r = []));
      r.push(l);
    }
  }
  return out;
}

/**
 * Creates `dir` for a new run and returns the run's lock. An existing non-empty directory is
 * refused unless `force`, and even then unless it is a run directory Ouroboros made and no
 * live process holds it; it is emptied only under the lock.
 */
export function createRunDir(dir: string, force: boolean): Lock {
  const before = entriesOf(dir, FILES.lock);
  const holder = lockHolder(join(dir, FILES.lock));
  if (holder) throw new RunDirError(`run directory ${dir} is being written by ${describeOwner(holder)}; wait for it to end, stop it, or choose another --out`);
  refuseUnlessReplaceable(dir, before, force);
  mkdirSync(dir, { recursive: true });
  const lock = acquireLock(join(dir, FILES.lock), `run directory ${dir}`);
  try {
    const now = entriesOf(dir, FILES.lock); // again under the lock: the directory may have changed meanwhile
    refuseUnlessReplaceable(dir, now, force);
    for (const name of now) rmSync(join(dir, name), { recursive: true, force: true });
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** Takes the lock of the existing run in `dir` (to resume it); throws RunDirError if a live process holds it. */
export function lockRunDir(dir: string): Lock {
  if (!existsSync(join(dir, FILES.config))) throw new RunDirError(`${dir}: no ${FILES.config}; is it a run directory?`);
  return acquireLock(join(dir, FILES.lock), `run directory ${dir}`);
}

/** The names in `dir` other than `except` ([] if it does not exist); RunDirError if it is not a directory. */
export function entriesOf(dir: string, except: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new RunDirError(`${dir} exists and is not a directory; choose another --out`);
  return readdirSync(dir).filter((n) => n !== except);
}

function refuseUnlessReplaceable(dir: string, entries: readonly string[], force: boolean): void {
  if (entries.length === 0) return;
  const why = notARun(dir, entries);
  if (why === undefined && !force) throw new RunDirError(`run directory ${dir} already exists; pass --force to replace it, or --out to choose another`);
  if (why !== undefined) throw new RunDirError(`${dir} already exists and is not a run directory Ouroboros made (${why}); choose another --out. --force replaces only a run directory, never other files`);
}

/** What a run directory may hold: the runner's files, `ouro export`'s and `ouro report`'s, checkpoints, and temporary or stale-lock companions. */
const RUN_ENTRIES = new Set<string>([...Object.values(FILES), 'checkpoints', 'metrics.csv', 'metrics.jsonl', REPORT_FILE]);

function isRunEntry(name: string): boolean {
  return RUN_ENTRIES.has(name.replace(/\.(tmp|stale-[\w-]+)$/, ''));
}

/**
 * Why the directory `dir` holding `entries` is not a run directory Ouroboros made, or
 * undefined when it is one: only names a run writes, and a config.json with a runId (or only
 * what a run writes before its config.json is in place: the lock, its temporary, a failure note).
 */
export function notARun(dir: string, entries: readonly string[]): string | undefined {
  const foreign = entries.filter((n) => !isRunEntry(n));
  if (foreign.length > 0) return `it holds ${nameList(foreign)}, which no run writes`;
  if (entries.every((n) => n.startsWith(FILES.lock) || n.startsWith(FILES.config + '.') || n === FILES.failed)) return undefined; // killed before config.json was in place
  try {
    const { runId } = JSON.parse(readFileSync(join(dir, FILES.config), 'utf8')) as { runId?: unknown };
    return typeof runId === 'string' ? undefined : `its ${FILES.config} has no runId`;
  } catch {
    return `it has no readable ${FILES.config}`;
  }
}

/** "a, b and 3 more" for messages. */
export function nameList(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) => `'${n}'`).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** Writes JSON via a temporary file and a rename, so a reader never sees half a file. */
export function writeJson(dir: string, file: string, value: unknown): void {
  replaceFile(join(dir, file), toJson(value, 2) + '\n');
}

/**
 * Replaces the file at `path` with `data` through a temporary file and a rename: a kill or a
 * full disk leaves either the old file or the new one, never a truncated one.
 */
export function replaceFile(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * The bytes of a file in a run or sweep directory, which must be a regular file reached without
 * a symbolic link in its last step: Ouroboros writes no links, and one planted in a run
 * directory must not lead a reader (the dashboard) outside it. FIFOs and devices are refused
 * without blocking.
 */
export function readDirFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new RunDirError(`${path} is a symbolic link; a run directory holds only regular files`);
    throw e;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new RunDirError(`${path} is not a regular file`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function readJson<T>(dir: string, file: string): T {
  const path = join(dir, file);
  try {
    return JSON.parse(readDirFile(path).toString('utf8')) as T;
  } catch (e) {
    if (e instanceof RunDirError) throw e;
    throw new RunDirError(`${path}: ${existsSync(path) ? 'not valid JSON (' + (e as Error).message + ')' : 'missing'}; is ${dir} a run directory?`);
  }
}

/** An append-only JSONL file, created at the first line: each `append` is written through at once. */
export class Appender {
  private fd: number | undefined;
  constructor(private readonly path: string) {}
  append(lines: readonly unknown[]): void {
    if (lines.length > 0) this.appendText(lines.map((l) => toJson(l)).join('\n') + '\n');
  }
  /** Appends text that already holds whole lines. */
  appendText(text: string): void {
    this.appendBytes(Buffer.from(text, 'utf8'));
  }
  /** Appends UTF-8 bytes that already hold whole lines. */
  appendBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.fd ??= openSync(this.path, 'a');
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Reads a JSONL file tolerantly: a torn last line (a killed writer) is dropped. Returns the
 * parsed lines and the byte length of the valid prefix.
 */
export function readJsonl<T>(path: string): { lines: T[]; validBytes: number } {
  if (!existsSync(path)) return { lines: [], validBytes: 0 };
  const buf = readDirFile(path);
  const end = buf.lastIndexOf(0x0a) + 1; // bytes after the last newline are a torn write
  const lines: T[] = [];
  let start = 0;
  while (start < end) {
    const nl = buf.indexOf(0x0a, start);
    const text = buf.subarray(start, nl).toString('utf8');
    if (text.trim()) {
      try {
        lines.push(JSON.parse(text) as T);
      } catch {
        throw new RunDirError(`${path}: line ${lines.length + 1} is not valid JSON; the file is corrupted beyond a torn last line`);
      }
    }
    start = nl + 1;
  }
  return { lines, validBytes: end };
}

/** Cuts a file to its first `bytes` bytes (resume drops what a killed run left half-done). */
export function truncateFile(path: string, bytes: number): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r+');
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

export type RunStatus = 'complete' | 'running' | 'incomplete' | 'failed';

/** complete (summary written), running (a live process holds the lock), failed, or incomplete (killed). */
export function runStatus(dir: string): RunStatus {
  if (existsSync(join(dir, FILES.summary))) return 'complete';
  if (existsSync(join(dir, FILES.failed))) return 'failed';
  return lockHolder(join(dir, FILES.lock)) ? 'running' : 'incomplete';
}
