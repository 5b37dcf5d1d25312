// Executes a prepared run into a run directory: seeds in order, each through the one loop,
// metric rows at recorded generations appended as they come, then the summary and Parquet.
// Resume = keep the finished seeds' lines, cut the rest, continue; keys make it bit-identical.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loop, type LoopState } from '../core/loop.ts';
import { exportMetrics } from '../store/export.ts';
import type { Lock } from '../store/lock.ts';
import { Appender, FILES, createRunDir, lockRunDir, readJsonl, replaceFile, truncateFile, writeJson, type EndLine, type LogLine } from '../store/rundir.ts';
import { experimentOf, seedKeyOf, type Prepared } from './prepare.ts';
import { summarize, type Summary } from './summary.ts';

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
  const lock = createRunDir(dir, force); // held from before config.json, so the directory never reads as a killed run
  try {
    writeJson(dir, FILES.config, { ...prep.config, runId: prep.runId, version: opts.provenance?.version ?? null, commit: opts.provenance?.commit ?? null });
  } catch (e) {
    lock.release();
    throw e;
  }
  return continueLocked(prep, dir, lock, opts);
}

/**
 * Runs every seed of `prep` that has no `end` line yet in `dir`, after cutting the log back to
 * the last whole line of a finished seed (or of a checkpoint the log reaches, for checkpointing
 * families). Refuses (RunDirError) while another live process holds the run.
 */
export function continueRun(prep: Prepared, dir: string, opts: RunOptions = {}): Summary {
  return continueLocked(prep, dir, lockRunDir(dir), opts);
}

function continueLocked(prep: Prepared, dir: string, lock: Lock, opts: RunOptions): Summary {
  try {
    // Not complete while the log changes: the summary goes first, and comes back last.
    rmSync(join(dir, FILES.summary), { force: true });
    const { done, starts } = restartPoints(prep, dir);
    rmSync(join(dir, FILES.failed), { force: true }); // a resumed failure is no longer failed
    return runRemaining(prep, dir, done, starts, opts);
  } finally {
    lock.release();
  }
}

type Start = { state: LoopState<unknown, unknown>; collapsedAt: number | null; lines: LogLine[] };

/** Keeps the finished seeds' lines and each unfinished seed's lines up to the checkpoint it restarts from. */
function restartPoints(prep: Prepared, dir: string): { done: Set<number>; starts: Map<number, Start> } {
  const logPath = join(dir, FILES.log);
  const { lines } = readJsonl<LogLine>(logPath);
  const done = new Set(lines.filter(isEnd).map((l) => l.seed));
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

function runRemaining(prep: Prepared, dir: string, done: ReadonlySet<number>, starts: ReadonlyMap<number, Start>, opts: RunOptions): Summary {
  const log = new Appender(join(dir, FILES.log));
  const samples = new Appender(join(dir, FILES.samples));
  try {
    let seedsDone = done.size;
    for (const seed of prep.seeds) {
      if (done.has(seed)) continue;
      runSeed(prep, seed, dir, log, samples, starts.get(seed), (g) => opts.onProgress?.({ seedsDone, seeds: prep.seeds.length, generation: g, generations: prep.options.generations }));
      seedsDone++;
    }
    opts.onProgress?.({ seedsDone, seeds: prep.seeds.length, generation: prep.options.generations, generations: prep.options.generations });
    log.close();
    samples.close();
    exportMetrics(dir, 'parquet');
    const summary = summarize(prep, dir);
    writeJson(dir, FILES.summary, summary); // last: its presence means complete
    return summary;
  } catch (e) {
    throw noteFailure(dir, e);
  } finally {
    log.close();
    samples.close();
  }
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

const isEnd = (l: LogLine): l is EndLine => 'event' in l && l.event === 'end';

function runSeed(
  prep: Prepared,
  seed: number,
  dir: string,
  log: Appender,
  samples: Appender,
  start: { state: LoopState<unknown, unknown>; collapsedAt: number | null } | undefined,
  progress: (generation: number) => void,
): void {
  const exp = experimentOf(prep, seed);
  const { family } = exp;
  const recorded = new Set(prep.recorded);
  const metricsOf = (s: LoopState<unknown, unknown>) => family.metrics(s.model, { initial: exp.initial, ...(exp.heldOut !== undefined ? { heldOut: exp.heldOut } : {}) });
  let collapsedAt = start?.collapsedAt ?? null;
  let last = start?.state; // a seed restored at its last generation has no step left to run
  let lastMetrics: Record<string, number> | undefined;
  let pending: LogLine[] = [];
  let flushedAt = Date.now();
  for (const st of loop(exp, prep.options, seedKeyOf(prep.config, seed), start?.state)) {
    if (collapsedAt === null && st.collapsed) collapsedAt = st.generation;
    last = st;
    lastMetrics = undefined;
    if (recorded.has(st.generation)) {
      lastMetrics = checkFinite(metricsOf(st), seed, st.generation);
      pending.push({ seed, generation: st.generation, metrics: lastMetrics });
      if (family.inspect) {
        const { texts, topTokens } = family.inspect(st.model, 5);
        samples.append([{ seed, generation: st.generation, samples: texts, topTokens }]);
      } else if (family.show) samples.append([{ seed, generation: st.generation, samples: family.show(st.train ?? exp.realData, 5) }]);
      if (prep.entry.checkpoint && st.generation > 0) {
        log.append(pending);
        pending = [];
        writeCheckpoint(prep, dir, seed, st, collapsedAt);
      }
    }
    if (pending.length >= 1000 || Date.now() - flushedAt > 1000) {
      log.append(pending);
      pending = [];
      flushedAt = Date.now();
      progress(st.generation);
    }
  }
  const final = last!;
  lastMetrics ??= checkFinite(metricsOf(final), seed, final.generation);
  const end: EndLine = { seed, event: 'end', generation: final.generation, collapsedAt, collapsedAtEnd: final.collapsed, final: family.final?.(final.model) ?? {}, metrics: lastMetrics };
  log.append([...pending, end]);
}

function checkFinite(m: Record<string, number>, seed: number, generation: number): Record<string, number> {
  for (const [k, v] of Object.entries(m)) if (Number.isNaN(v)) throw new Error(`metric '${k}' is NaN at seed ${seed}, generation ${generation}: the model reached an invalid state`);
  return m;
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
