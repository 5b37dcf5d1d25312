// Executes a prepared run into a run directory: seeds in order, each through the one loop,
// metric rows at recorded generations appended as they come, then the summary and Parquet.
// Resume = keep the finished seeds' lines, cut the rest, continue; keys make it bit-identical.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loop, type LoopState } from '../core/loop.ts';
import { exportMetrics } from '../store/export.ts';
import { Appender, FILES, createRunDir, lockRun, readJsonl, truncateFile, unlockRun, writeJson, type EndLine, type LogLine } from '../store/rundir.ts';
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

/** Starts a fresh run in `dir` (refusing to overwrite unless `force`) and runs it to the end. */
export function runToDir(prep: Prepared, dir: string, force: boolean, opts: RunOptions = {}): Summary {
  createRunDir(dir, force);
  lockRun(dir); // before config.json, so the directory never reads as a killed run
  writeJson(dir, FILES.config, { ...prep.config, runId: prep.runId, version: opts.provenance?.version ?? null, commit: opts.provenance?.commit ?? null });
  return continueRun(prep, dir, opts);
}

/**
 * Runs every seed of `prep` that has no `end` line yet in `dir`, after cutting the log back to
 * the last whole line of a finished seed (or of a checkpoint, for checkpointing families).
 */
export function continueRun(prep: Prepared, dir: string, opts: RunOptions = {}): Summary {
  const logPath = join(dir, FILES.log);
  const { lines } = readJsonl<LogLine>(logPath);
  const done = new Set(lines.filter(isEnd).map((l) => l.seed));
  const keep = lines.filter((l) => done.has(l.seed));
  const starts = new Map<number, { state: LoopState<unknown, unknown>; collapsedAt: number | null; lines: LogLine[] }>();
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
  lockRun(dir);
  rmSync(join(dir, FILES.failed), { force: true }); // a resumed failure is no longer failed
  const log = new Appender(logPath);
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
    writeFileSync(join(dir, FILES.failed), `run failed: ${(e as Error).stack ?? String(e)}\n`);
    throw e;
  } finally {
    log.close();
    samples.close();
    unlockRun(dir);
  }
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
  let last: LoopState<unknown, unknown> | undefined;
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
