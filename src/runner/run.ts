// Executes a prepared run into a run directory: seeds in blocks, in order, each block through
// the family's block stepper or the one loop; its log lines, Parquet row group and aggregates
// written as it finishes. Resume = keep the finished seeds' lines, cut the rest, continue;
// keys make it bit-identical.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LoopState } from '../core/loop.ts';
import type { Lock } from '../store/lock.ts';
import { recordProblem } from '../store/log-check.ts';
import { RecordTable } from '../store/record-table.ts';
import { arithmeticDifference, arithmeticOf } from '../store/arithmetic.ts';
import { FILES, RunDirError, createRunDir, lockRunDir, readJsonl, replaceFile, seedRecords, truncateFile, writeJson, type LogLine, type SeedRecord } from '../store/rundir.ts';
import { runBlock, type BlockHooks, type Start } from './block.ts';
import { blocksOfRun, encodeBlock, type BlockOutput } from './encode.ts';
import { experimentOf, type Prepared } from './prepare.ts';
import { RunSink } from './sink.ts';
import type { Summary } from './summary.ts';

export interface Progress {
  readonly seedsDone: number;
  readonly seeds: number;
  readonly generation: number;
  readonly generations: number;
}

export interface RunOptions {
  readonly onProgress?: (p: Progress) => void;
  /** Provenance written to config.json. */
  readonly provenance?: { readonly version: string; readonly commit: string | null };
}

/**
 * Starts a fresh run in `dir` and runs it to the end. `force` replaces a run directory that is
 * there already (never anything else, never a live run's).
 */
export function runToDir(prep: Prepared, dir: string, force: boolean, opts: RunOptions = {}): Summary {
  return continueRun(prep, dir, opts, createRun(prep, dir, force, opts));
}

/** A new run directory holding config.json, and its lock, held from before config.json so the directory never reads as a killed run. */
export function createRun(prep: Prepared, dir: string, force: boolean, opts: RunOptions): Lock {
  const lock = createRunDir(dir, force);
  try {
    writeJson(dir, FILES.config, { ...prep.config, runId: prep.runId, version: opts.provenance?.version ?? null, commit: opts.provenance?.commit ?? null, ...(prep.arithmetic && { arithmetic: prep.arithmetic }) });
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/**
 * Runs every seed of `prep` that has no `end` line yet in `dir`, after cutting the log back to
 * the last whole line of a finished seed (or of a checkpoint the log reaches, for checkpointing
 * families), on this thread. The log, samples, metrics.parquet and the summary are written as
 * blocks of seeds finish; only a resume reads the log, once, for the seeds it keeps. `lock` is
 * the run's lock when the caller holds it (a fresh run); otherwise it is taken here, and a run
 * another live process holds is refused (RunDirError).
 */
export function continueRun(prep: Prepared, dir: string, opts: RunOptions = {}, lock: Lock = lockRunDir(dir)): Summary {
  return writeRun(prep, dir, lock, (sink, restart) => {
    const progress = progressOf(prep, sink, opts);
    const hooks: BlockHooks = { ...(progress && { progress }), ...(prep.entry.checkpoint && { direct: directHooks(prep, dir, sink) }) };
    blocksOfRun(prep).forEach((seeds, index) => sink.add(computeBlock(prep, index, seeds, restart, hooks)));
  });
}

/** What a resume keeps: the finished seeds' records, and where checkpointed seeds restart. */
export interface Restart {
  readonly done: ReadonlyMap<number, SeedRecord>;
  readonly starts: ReadonlyMap<number, Start>;
}

/**
 * Reads the log once and keeps its whole prefix: the seeds that finished in order (seeds end in
 * seed order), each with every recorded line, then the next seed's lines up to a checkpoint the
 * log reaches. Everything after is cut and computed again, so a log damaged anywhere (by a kill,
 * by hand, by two writers) resumes to the bytes of an uninterrupted run.
 */
function restartPoints(prep: Prepared, dir: string): Restart {
  const logPath = join(dir, FILES.log);
  const { lines } = readJsonl<LogLine>(logPath);
  const records = seedRecords(lines);
  const done = new Map<number, SeedRecord>();
  for (const seed of prep.seeds) {
    const r = records.get(seed);
    if (!r || recordProblem(r, prep.recorded) !== undefined) break;
    done.set(seed, r);
  }
  const keep = lines.filter((l) => done.has(l.seed));
  const starts = new Map<number, Start>();
  const next = prep.seeds.find((s) => !done.has(s));
  const ck = next === undefined ? undefined : latestCheckpoint(prep, dir, next, lines);
  if (ck) {
    starts.set(next!, ck);
    keep.push(...ck.lines);
  }
  rewriteLog(logPath, keep, lines.length);
  truncateSamples(join(dir, FILES.samples), keep);
  return { done, starts };
}

/**
 * Under `lock` (released in every case): cuts the log back for a restart, runs `body` with a
 * sink on the run, and finishes the Parquet and the summary, or notes the failure.
 */
export function writeRun(prep: Prepared, dir: string, lock: Lock, body: (sink: RunSink, restart: Restart) => void): Summary;
export function writeRun(prep: Prepared, dir: string, lock: Lock, body: (sink: RunSink, restart: Restart) => Promise<void>): Promise<Summary>;
export function writeRun(prep: Prepared, dir: string, lock: Lock, body: (sink: RunSink, restart: Restart) => void | Promise<void>): Summary | Promise<Summary> {
  let sink: RunSink | undefined;
  const fail = (e: unknown): never => {
    sink?.abort();
    lock.release();
    throw sink ? noteFailure(dir, e) : e;
  };
  const finish = (): Summary => {
    const summary = sink!.finish();
    lock.release();
    return summary;
  };
  try {
    checkArithmetic(prep, dir);
    rmSync(join(dir, FILES.summary), { force: true }); // not complete while the log changes: the summary comes back last
    const restart = restartPoints(prep, dir);
    rmSync(join(dir, FILES.failed), { force: true }); // a resumed failure is no longer failed
    sink = new RunSink(prep, dir);
    const r = body(sink, restart);
    if (r instanceof Promise) return r.then(finish, fail);
    return finish();
  } catch (e) {
    return fail(e);
  }
}

/** Refuses to add to a run computed on other arithmetic than this process's: its files would match neither. */
function checkArithmetic(prep: Prepared, dir: string): void {
  const diff = arithmeticDifference(arithmeticOf(dir), prep.arithmetic, ['in the run', 'here']);
  if (diff) throw new RunDirError(`${dir} was computed on other arithmetic than this machine's (${diff}); continuing here would mix the two in one run, whose files would then match neither. Resume it where it ran, or start it again here with --force (docs/security.md)`);
}

/**
 * Writes FAILED.txt for `e` (through a temporary file: a full disk leaves no empty note) and
 * returns `e`; if the note cannot be written, `e` still is what the caller sees, with a line
 * saying so.
 */
function noteFailure(dir: string, e: unknown): unknown {
  try {
    replaceFile(join(dir, FILES.failed), `run failed: ${(e as Error).stack ?? String(e)}\n`);
  } catch (w) {
    if (e instanceof Error) e.message += ` (and ${FILES.failed} could not be written: ${(w as NodeJS.ErrnoException).code ?? (w as Error).message})`;
  }
  return e;
}

/** One block: the seeds a resume kept come from the log, the others are computed here. */
export function computeBlock(prep: Prepared, index: number, seeds: readonly number[], restart: Restart, hooks: BlockHooks = {}): BlockOutput {
  const table = new RecordTable(seeds);
  const todo: number[] = [];
  seeds.forEach((s, i) => {
    const kept = restart.done.get(s);
    if (kept) table.addRecord(i, kept);
    else todo.push(i);
  });
  runBlock(prep, table, todo, restart.starts, hooks);
  return encodeBlock(prep, index, table, hooks.direct ? [] : todo);
}

/** A restart with nothing kept: a fresh run's blocks. */
export const FRESH: Restart = { done: new Map(), starts: new Map() };

/** Progress at most every 100 ms: the block steppers report every generation. */
export function progressOf(prep: Prepared, sink: RunSink, opts: RunOptions): ((generation: number) => void) | undefined {
  const report = opts.onProgress;
  if (!report) return undefined;
  let at = 0;
  return (generation) => {
    const now = Date.now();
    if (now - at < 100) return;
    at = now;
    report({ seedsDone: sink.seedsDone, seeds: prep.seeds.length, generation, generations: prep.options.generations });
  };
}

function directHooks(prep: Prepared, dir: string, sink: RunSink): NonNullable<BlockHooks['direct']> {
  return {
    flush: (lines, samples) => sink.direct(lines, samples),
    checkpoint: (seed, state, collapsedAt) => writeCheckpoint(prep, dir, seed, state, collapsedAt),
  };
}

function checkpointDir(dir: string, seed: number): string {
  return join(dir, 'checkpoints', `seed-${seed}`);
}

/** Body first, then the meta file that makes it count; each through a temporary file, so a kill never leaves a torn checkpoint that counts. */
function writeCheckpoint(prep: Prepared, dir: string, seed: number, st: LoopState<unknown, unknown>, collapsedAt: number | null): void {
  const ck = prep.entry.checkpoint!;
  const d = checkpointDir(dir, seed);
  mkdirSync(d, { recursive: true });
  replaceFile(join(d, `gen-${st.generation}.${ck.ext}`), ck.encode(st));
  replaceFile(join(d, `gen-${st.generation}.json`), JSON.stringify({ generation: st.generation, collapsedAt }) + '\n');
}

/**
 * The latest checkpoint of `seed` that the log reaches: the log must hold the seed's line for
 * every recorded generation up to it, or resuming there would leave a hole. Later checkpoints
 * (the log was cut behind them) and unreadable ones are deleted; the seed recomputes them.
 */
function latestCheckpoint(prep: Prepared, dir: string, seed: number, lines: readonly LogLine[]): Start | undefined {
  const ck = prep.entry.checkpoint;
  const d = checkpointDir(dir, seed);
  if (!ck || !existsSync(d)) return undefined;
  const own = lines.filter((l) => l.seed === seed);
  const logged = new Set(own.map((l) => l.generation));
  const gens = readdirSync(d)
    .map((f) => /^gen-(\d+)\.json$/.exec(f)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
  for (const g of gens) {
    const start = prep.recorded.every((r) => r > g || logged.has(r)) ? readCheckpoint(prep, d, seed, g) : undefined;
    if (start) return { ...start, lines: own.filter((l) => l.generation <= g) };
    for (const f of [`gen-${g}.json`, `gen-${g}.${ck.ext}`]) rmSync(join(d, f), { force: true });
  }
  return undefined;
}

function readCheckpoint(prep: Prepared, d: string, seed: number, g: number): Omit<Start, 'lines'> | undefined {
  const ck = prep.entry.checkpoint!;
  try {
    const meta = JSON.parse(readFileSync(join(d, `gen-${g}.json`), 'utf8')) as { generation?: unknown; collapsedAt?: unknown };
    if (meta.generation !== g || !(meta.collapsedAt === null || typeof meta.collapsedAt === 'number')) return undefined;
    const state = ck.decode(new Uint8Array(readFileSync(join(d, `gen-${g}.${ck.ext}`))), experimentOf(prep, seed));
    return state.generation === g ? { state, collapsedAt: meta.collapsedAt } : undefined;
  } catch {
    return undefined; // torn or foreign: recompute from an earlier one
  }
}

/** Rewrites the log to `keep` through a temporary file and a rename: a kill mid-rewrite leaves the old log whole. */
function rewriteLog(path: string, keep: readonly LogLine[], had: number): void {
  if (keep.length === had && existsSync(path)) {
    truncateFile(path, readJsonl(path).validBytes); // only a torn tail to drop
    return;
  }
  replaceFile(path, keep.map((l) => JSON.stringify(l)).join('\n') + (keep.length ? '\n' : ''));
}

function truncateSamples(path: string, keep: readonly LogLine[]): void {
  if (!existsSync(path)) return;
  const ok = new Set(keep.map((l) => `${l.seed}:${l.generation}`));
  const { lines } = readJsonl<{ seed: number; generation: number }>(path);
  const kept = lines.filter((l) => ok.has(`${l.seed}:${l.generation}`));
  replaceFile(path, kept.map((l) => JSON.stringify(l)).join('\n') + (kept.length ? '\n' : ''));
}
