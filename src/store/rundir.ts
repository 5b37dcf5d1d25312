// Run directories on disk (docs/run-directory.md): creation that never overwrites without
// --force, the append-only generations log, and reading a run back, whole or half-written.
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toJson } from './json.ts';

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

export class RunDirError extends Error {
  override name = 'RunDirError';
}

/** Creates `dir` for a new run; refuses an existing non-empty directory unless `force`. */
export function createRunDir(dir: string, force: boolean): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!force) throw new RunDirError(`run directory ${dir} already exists; pass --force to overwrite it, or --out to choose another`);
    rmSync(dir, { recursive: true });
  }
  mkdirSync(dir, { recursive: true });
}

/** Writes JSON via a temporary file and a rename, so a reader never sees half a file. */
export function writeJson(dir: string, file: string, value: unknown): void {
  const path = join(dir, file);
  writeFileSync(path + '.tmp', toJson(value, 2) + '\n');
  renameSync(path + '.tmp', path);
}

export function readJson<T>(dir: string, file: string): T {
  const path = join(dir, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
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
  const buf = readFileSync(path);
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
  const lock = join(dir, FILES.lock);
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (pid > 0 && processAlive(pid)) return 'running';
  }
  return 'incomplete';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Marks the run as being written by this process. */
export function lockRun(dir: string): void {
  writeFileSync(join(dir, FILES.lock), String(process.pid));
}

export function unlockRun(dir: string): void {
  rmSync(join(dir, FILES.lock), { force: true });
}
