// Executes a prepared run into a run directory: seeds in blocks, in order, each block through
// the family's block stepper or the one loop; its log lines, Parquet row group and aggregates
// written as it finishes. Resume = keep the finished seeds' lines, cut the rest, continue;
// keys make it bit-identical.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoopState } from '../core/loop.ts';
import { RecordTable } from '../store/record-table.ts';
import { FILES, createRunDir, lockRun, readJsonl, seedRecords, truncateFile, unlockRun, writeJson, type LogLine, type SeedRecord } from '../store/rundir.ts';
import { runBlock, type BlockHooks, type Start } from './block.ts';
import { blocksOf, encodeBlock, type BlockOutput } from './encode.ts';
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

/** Starts a fresh run in `dir` (refusing to overwrite unless `force`) and runs it to the end. */
export function runToDir(prep: Prepared, dir: string, force: boolean, opts: RunOptions = {}): Summary {
  createRun(prep, dir, force, opts);
  return continueRun(prep, dir, opts);
}

/** A new run directory holding config.json (refusing to overwrite unless `force`). */
export function createRun(prep: Prepared, dir: string, force: boolean, opts: RunOptions): void {
  createRunDir(dir, force);
  lockRun(dir); // before config.json, so the directory never reads as a killed run
  writeJson(dir, FILES.config, { ...prep.config, runId: prep.runId, version: opts.provenance?.version ?? null, commit: opts.provenance?.commit ?? null });
}

/**
 * Runs every seed of `prep` that has no `end` line yet in `dir`, after cutting the log back to
 * the last whole line of a finished seed (or of a checkpoint, for checkpointing families), on
 * this thread. The log, samples, metrics.parquet and the summary are written as blocks of
 * seeds finish; only a resume reads the log, once, for the seeds it keeps.
 */
export function continueRun(prep: Prepared, dir: string, opts: RunOptions = {}): Summary {
  const restart = restartPoints(prep, dir);
  return writeRun(prep, dir, (sink) => {
    const progress = progressOf(prep, sink, opts);
    const hooks: BlockHooks = { ...(progress && { progress }), ...(prep.entry.checkpoint && { direct: directHooks(prep, dir, sink) }) };
    blocksOf(prep.seeds).forEach((seeds, index) => sink.add(computeBlock(prep, index, seeds, restart, hooks)));
  });
}

/** What a resume keeps: the finished seeds' records, and where checkpointed seeds restart. */
export interface Restart {
  readonly done: ReadonlyMap<number, SeedRecord>;
  readonly starts: ReadonlyMap<number, Start>;
}

/** Reads the log once, keeps the finished seeds' lines (and each unfinished seed's up to its checkpoint), cuts the rest. */
export function restartPoints(prep: Prepared, dir: string): Restart {
  const logPath = join(dir, FILES.log);
  const { lines } = readJsonl<LogLine>(logPath);
  const done = seedRecords(lines);
  const keep = lines.filter((l) => done.has(l.seed));
  const starts = new Map<number, Start>();
  for (const seed of prep.seeds) {
    if (done.has(seed)) continue;
    const ck = latestCheckpoint(prep, dir, seed, lines);
    if (ck) {
      starts.set(seed, ck);
      keep.push(...ck.lines);
    }
  }
  rewriteLog(logPath, keep, lines.length);
  truncateSamples(join(dir, FILES.samples), keep);
  return { done, starts };
}

/** Locks the run, runs `body` with a sink on it, and finishes the Parquet and the summary (or notes the failure). */
export function writeRun(prep: Prepared, dir: string, body: (sink: RunSink) => void): Summary;
export function writeRun(prep: Prepared, dir: string, body: (sink: RunSink) => Promise<void>): Promise<Summary>;
export function writeRun(prep: Prepared, dir: string, body: (sink: RunSink) => void | Promise<void>): Summary | Promise<Summary> {
  lockRun(dir);
  rmSync(join(dir, FILES.failed), { force: true }); // a resumed failure is no longer failed
  const sink = new RunSink(prep, dir);
  const fail = (e: unknown): never => {
    sink.abort();
    writeFileSync(join(dir, FILES.failed), `run failed: ${(e as Error).stack ?? String(e)}\n`);
    unlockRun(dir);
    throw e;
  };
  const finish = (): Summary => {
    const summary = sink.finish();
    unlockRun(dir);
    return summary;
  };
  try {
    const r = body(sink);
    if (r instanceof Promise) return r.then(finish, fail);
    return finish();
  } catch (e) {
    return fail(e);
  }
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

function writeCheckpoint(prep: Prepared, dir: string, seed: number, st: LoopState<unknown, unknown>, collapsedAt: number | null): void {
  const ck = prep.entry.checkpoint!;
  const d = checkpointDir(dir, seed);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, `gen-${st.generation}.${ck.ext}`), ck.encode(st));
  writeFileSync(join(d, `gen-${st.generation}.json`), JSON.stringify({ generation: st.generation, collapsedAt }) + '\n');
}

function latestCheckpoint(prep: Prepared, dir: string, seed: number, lines: readonly LogLine[]) {
  const ck = prep.entry.checkpoint;
  const d = checkpointDir(dir, seed);
  if (!ck || !existsSync(d)) return undefined;
  const gens = readdirSync(d)
    .map((f) => /^gen-(\d+)\.json$/.exec(f)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
  for (const g of gens) {
    const body = join(d, `gen-${g}.${ck.ext}`);
    if (!existsSync(body)) continue;
    const meta = JSON.parse(readFileSync(join(d, `gen-${g}.json`), 'utf8')) as { collapsedAt: number | null };
    const state = ck.decode(new Uint8Array(readFileSync(body)), experimentOf(prep, seed));
    return { state, collapsedAt: meta.collapsedAt, lines: lines.filter((l) => l.seed === seed && l.generation <= g) };
  }
  return undefined;
}

function rewriteLog(path: string, keep: readonly LogLine[], had: number): void {
  if (keep.length === had && existsSync(path)) {
    truncateFile(path, readJsonl(path).validBytes); // only a torn tail to drop
    return;
  }
  writeFileSync(path, keep.map((l) => JSON.stringify(l)).join('\n') + (keep.length ? '\n' : ''));
}

function truncateSamples(path: string, keep: readonly LogLine[]): void {
  if (!existsSync(path)) return;
  const ok = new Set(keep.map((l) => `${l.seed}:${l.generation}`));
  const { lines } = readJsonl<{ seed: number; generation: number }>(path);
  const kept = lines.filter((l) => ok.has(`${l.seed}:${l.generation}`));
  writeFileSync(path, kept.map((l) => JSON.stringify(l)).join('\n') + (kept.length ? '\n' : ''));
}
