// Reading a run directory (docs/run-directory.md) for plots, reports and the dashboard. It
// tolerates what a killed or running run leaves: no summary.json, a torn last line in the
// JSONL logs (src/store drops it), no config.json yet. Aggregates missing from a summary are
// recomputed from generations.jsonl as the runner defines them (over seeds at each recorded
// generation, a seed that stopped for good carrying its last value forward).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { standingAt } from '../core/seeds.ts';
import { aggregateSeries } from '../runner/aggregate.ts';
import { numberOf } from '../store/json.ts';
import { FILES, RunDirError, readDirFile, readJsonl, runStatus, type RunStatus } from '../store/rundir.ts';

export type { RunStatus };

/** One metric line of generations.jsonl, with non-finite strings turned back into numbers. */
export interface GenerationLine {
  readonly seed: number;
  readonly generation: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** The `end` line of a seed. */
export interface EndLine {
  readonly seed: number;
  readonly generation: number;
  readonly collapsedAt: number | null;
  readonly final: Readonly<Record<string, unknown>>;
}

/** Per-generation aggregates of one metric over seeds; arrays align with `recorded`. */
export interface Aggregate {
  readonly mean: readonly number[];
  readonly q05: readonly number[];
  readonly q50: readonly number[];
  readonly q95: readonly number[];
  readonly count: readonly number[];
}

/** One line of samples.jsonl: a seed's sample texts at a recorded generation, and (families that inspect their models) the model's most frequent tokens. */
export interface SampleLine {
  readonly seed: number;
  readonly generation: number;
  readonly samples: readonly string[];
  readonly topTokens?: readonly { readonly token: string; readonly share: number }[];
}

/** Everything plots and pages need from one run directory. */
export interface Run {
  readonly dir: string;
  readonly name: string;
  readonly status: RunStatus;
  readonly config: Readonly<Record<string, unknown>> | null;
  readonly summary: Readonly<Record<string, unknown>> | null;
  readonly lines: readonly GenerationLine[];
  readonly ends: readonly EndLine[];
  readonly samples: readonly SampleLine[];
  readonly recorded: readonly number[];
  readonly aggregates: Readonly<Record<string, Aggregate>>;
  /** summary.json `theory`: per metric an array aligned with `recorded`, a scalar, or null. */
  readonly theory: Readonly<Record<string, readonly number[] | number | null>>;
  readonly metricNames: readonly string[];
}

/** Input that is not a run, sweep or plot we have; the message says what to give instead. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

/** Whether `dir` looks like a run directory (it has config.json or generations.jsonl). */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, FILES.config)) || existsSync(join(dir, FILES.log));
}

/** Reads a run directory, whole or half-written. */
export function readRun(dir: string): Run {
  if (!isRunDir(dir)) throw new ReportInputError(`${dir}: not a run directory (no config.json or generations.jsonl). Give a directory written by \`ouro run\`.`);
  const config = readJson(join(dir, FILES.config));
  const summary = readJson(join(dir, FILES.summary));
  const lines: GenerationLine[] = [];
  const ends: EndLine[] = [];
  for (const obj of jsonLines(join(dir, FILES.log))) {
    const seed = Number(obj.seed);
    const generation = Number(obj.generation);
    if (obj.event === 'end') {
      ends.push({ seed, generation, collapsedAt: obj.collapsedAt == null ? null : Number(obj.collapsedAt), final: (obj.final ?? {}) as Record<string, unknown> });
    }
    // An end line repeats the metrics of its generation when that generation was also recorded.
    const repeat = obj.event === 'end' && lines.length > 0 && lines[lines.length - 1]!.seed === seed && lines[lines.length - 1]!.generation === generation;
    if (obj.metrics && typeof obj.metrics === 'object' && !repeat) lines.push({ seed, generation, metrics: numbers(obj.metrics as Record<string, unknown>) });
  }
  const samples = jsonLines(join(dir, FILES.samples)).map((o): SampleLine => ({
    seed: Number(o.seed),
    generation: Number(o.generation),
    samples: (o.samples ?? []) as string[],
    ...(Array.isArray(o.topTokens) ? { topTokens: o.topTokens as NonNullable<SampleLine['topTokens']> } : {}),
  }));
  const fromSummary = summary ? summaryAggregates(summary) : null;
  const loop = config?.loop;
  const horizon = loop !== null && typeof loop === 'object' && 'generations' in loop ? Number(loop.generations) : Infinity;
  const { recorded, aggregates } = fromSummary ?? aggregate(lines, ends, horizon);
  const metricNames = [...new Set([...Object.keys(aggregates), ...lines.flatMap((l) => Object.keys(l.metrics))])];
  const name = String(summary?.name ?? config?.name ?? dir.split(/[\\/]/).filter(Boolean).pop());
  const status = runStatus(dir);
  const theory = (summary?.theory ?? {}) as Run['theory'];
  return { dir, name, status, config, summary, lines, ends, samples, recorded, aggregates, theory, metricNames };
}

/** The lines of a run's JSONL file; a damaged or linked file is input to report, not a crash. */
function jsonLines(path: string): Record<string, unknown>[] {
  try {
    return readJsonl<Record<string, unknown>>(path).lines;
  } catch (e) {
    throw e instanceof RunDirError ? new ReportInputError(e.message) : e;
  }
}

function readJson(path: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readDirFile(path).toString('utf8');
  } catch (e) {
    throw e instanceof RunDirError ? new ReportInputError(e.message) : e;
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null; // a file caught mid-write reads as absent; the next read sees it whole
  }
}

function numbers(m: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) out[k] = numberOf(v);
  return out;
}

function summaryAggregates(summary: Record<string, unknown>): { recorded: number[]; aggregates: Record<string, Aggregate> } | null {
  const recorded = summary.recorded;
  const aggs = summary.aggregates as Record<string, Record<string, unknown[]>> | undefined;
  if (!Array.isArray(recorded) || !aggs) return null;
  const aggregates: Record<string, Aggregate> = {};
  for (const [metric, a] of Object.entries(aggs)) {
    const col = (k: string): number[] => (a[k] ?? []).map(numberOf);
    aggregates[metric] = { mean: col('mean'), q05: col('q05'), q50: col('q50'), q95: col('q95'), count: col('count') };
  }
  return { recorded: recorded.map(Number), aggregates };
}

/**
 * Aggregates over seeds from metric lines, as the runner's summary defines them: at each
 * generation the seeds recorded there, and the seeds that stopped for good before it carrying
 * their last values (core/seeds.ts); a seed still running counts only where it has a line.
 */
function aggregate(lines: readonly GenerationLine[], ends: readonly EndLine[], horizon: number): { recorded: number[]; aggregates: Record<string, Aggregate> } {
  const recorded = [...new Set(lines.map((l) => l.generation))].sort((a, b) => a - b);
  const bySeed = new Map<number, Map<number, GenerationLine>>();
  for (const l of lines) (bySeed.get(l.seed) ?? bySeed.set(l.seed, new Map()).get(l.seed)!).set(l.generation, l);
  const endOf = new Map(ends.map((e) => [e.seed, e]));
  const metrics = [...new Set(lines.flatMap((l) => Object.keys(l.metrics)))];
  const aggregates: Record<string, Aggregate> = {};
  for (const m of metrics) {
    const cols = recorded.map(() => new Float64Array(bySeed.size).fill(NaN));
    [...bySeed].forEach(([seed, byGeneration], si) => {
      const e = endOf.get(seed);
      const last = e && byGeneration.get(e.generation);
      const end = e && last ? { ...e, values: last.metrics } : undefined;
      recorded.forEach((g, i) => {
        const v = standingAt(g, byGeneration.get(g)?.metrics, end, horizon)?.[m];
        if (v !== undefined) cols[i]![si] = v;
      });
    });
    const a = aggregateSeries(cols);
    const num = (v: readonly (number | null)[]) => v.map((x) => x ?? NaN);
    aggregates[m] = { mean: num(a.mean), q05: num(a.q05), q50: num(a.q50), q95: num(a.q95), count: a.count };
  }
  return { recorded, aggregates };
}
