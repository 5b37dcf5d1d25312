// The summary of a run, built as seeds finish (nothing is read back from the log): aggregates
// per recorded generation, collapse statistics, theory. Every statistic sorts its values first,
// so the order seeds arrive in (blocks, workers, a resume) cannot change a byte of it.
import { stoppedForGood } from '../core/seeds.ts';
import { numberOf } from '../store/json.ts';
import type { RecordTable } from '../store/record-table.ts';
import type { EndLine } from '../store/rundir.ts';
import { mergeSorted, pushSorted, type SeriesAggregate } from './aggregate.ts';
import { collapseSummary, type CollapseSummary } from './collapse.ts';
import { comparisons, type Comparison } from './comparisons.ts';
import { ECOSYSTEM_COLLAPSE, ecosystemTheory } from './ecosystem.ts';
import type { Prepared } from './prepare.ts';

/** One seed's outcome: collapse time, the family's end descriptors (fixedOn, finalSample…) and final metrics. */
export interface SeedSummary {
  seed: number;
  collapsedAt: number | null;
  /** Whether the last model is collapsed; null in a log written before this was recorded, where collapse is not absorbing. */
  collapsedAtEnd: boolean | null;
  generation: number;
  final: Record<string, number>;
  [descriptor: string]: unknown;
}

export interface Summary {
  name: string;
  family: string;
  runId: string;
  status: 'complete';
  seeds: number;
  generations: number;
  /** Collapse ever and at the end, and collapse times censored at the horizon (collapse.ts). */
  collapse: CollapseSummary;
  recorded: number[];
  aggregates: Record<string, SeriesAggregate>;
  theory: Record<string, unknown> | null;
  /** Simulation beside theory, like with like (comparisons.ts). */
  comparisons: Comparison[];
  perSeed: SeedSummary[];
}

/**
 * A block of seeds' metric values in the compact form the summary keeps (typed arrays cross
 * thread boundaries cheaply): row r is at recorded index gi[r] with values[r·k + j] for metric
 * names[j] (NaN where the row has none), plus each seed's end line.
 */
export interface SummaryFeed {
  readonly names: string[];
  readonly gi: Int32Array;
  readonly values: Float64Array;
  readonly ends: EndLine[];
}

/** The summary feed of a block's records for a run recording `recorded`. */
export function feedOf(table: RecordTable, recorded: readonly number[]): SummaryFeed {
  const index = new Map(recorded.map((g, i) => [g, i]));
  const names: string[] = [];
  const col = new Map<string, number>();
  const shapeCols = table.shapes.map((shape) => shape.map((m) => col.get(m) ?? (col.set(m, names.push(m) - 1), names.length - 1)));
  const k = names.length;
  const gi = new Int32Array(table.rows);
  const values = new Float64Array(table.rows * k).fill(NaN);
  for (let r = 0; r < table.rows; r++) {
    gi[r] = index.get(table.generation(r)) ?? -1;
    const cols = shapeCols[table.shape(r)]!;
    for (let j = 0; j < cols.length; j++) values[r * k + cols[j]!] = table.value(r, j);
  }
  return { names, gi, values, ends: table.seeds.map((_, i) => table.endOf(i)) };
}

/** Aggregates fed block by block; memory holds one number per recorded metric value (docs/run-directory.md). */
export class SummaryBuilder {
  // values[metric][gi]: the values of the seeds that recorded that generation (not the carried ones)
  private readonly values = new Map<string, Column[]>();
  private readonly ends = new Map<number, EndLine>();
  private theory: Record<string, unknown> | null | undefined;

  constructor(private readonly prep: Prepared) {}

  /** Evaluates theory's predictions now (they depend on the config alone): while other threads compute, not after. */
  theoryNow(): void {
    if (this.theory === undefined) this.theory = theoryOf(this.prep, this.prep.recorded);
  }

  add(feed: SummaryFeed): void {
    const k = feed.names.length;
    const cols = feed.names.map((m) => this.column(m));
    for (let r = 0; r < feed.gi.length; r++) {
      const gi = feed.gi[r]!;
      if (gi < 0) continue;
      for (let j = 0; j < k; j++) {
        const v = feed.values[r * k + j]!;
        if (!Number.isNaN(v)) cols[j]![gi]!.push(v);
      }
    }
    for (const e of feed.ends) this.ends.set(e.seed, e);
  }

  private column(m: string): Column[] {
    let c = this.values.get(m);
    if (!c) this.values.set(m, (c = this.prep.recorded.map(() => new Column())));
    return c;
  }

  finish(): Summary {
    const { prep } = this;
    const recorded = [...prep.recorded];
    // A seed that stopped for good stays where it is: its last values count at every later
    // generation (core/seeds.ts). Past the last generation any seed reached, once every seed
    // has ended, all are constant: one column (at ∞) stands for all those generations, so a
    // long schedule costs nothing once every seed is done.
    const horizon = prep.options.generations;
    const ends = [...this.ends.values()];
    const carried = ends.filter((e) => stoppedForGood(e, horizon)).sort((a, b) => a.generation - b.generation);
    const reached = Math.max(0, ...ends.map((e) => e.generation));
    const allDone = ends.length === prep.seeds.length && ends.every((e) => e.generation === horizon || stoppedForGood(e, horizon));
    const tail = allDone ? recorded.findIndex((g) => g > reached) : -1;
    const computed = tail < 0 ? recorded : [...recorded.slice(0, tail), Infinity];
    for (const e of carried) if (e.generation < computed[computed.length - 1]!) for (const m in e.metrics) this.column(m);
    const aggregates: Record<string, SeriesAggregate> = {};
    for (const m of [...this.values.keys()].sort((a, b) => a.localeCompare(b))) {
      const a = aggregateColumns(m, computed, this.values.get(m)!, carried);
      aggregates[m] = tail < 0 ? a : (Object.fromEntries(Object.entries(a).map(([k, v]) => [k, recorded.map((_, i) => v[Math.min(i, tail)])])) as unknown as SeriesAggregate);
    }
    const perSeed: SeedSummary[] = prep.seeds.flatMap((s) => {
      const e = this.ends.get(s);
      if (!e) return [];
      const final = Object.fromEntries(Object.entries(e.metrics).map(([k, v]) => [k, numberOf(v)]));
      // A log written before collapsedAtEnd was recorded knows it only where collapse is absorbing.
      const collapsedAtEnd = e.collapsedAtEnd ?? (prep.absorbing ? e.collapsedAt !== null : null);
      return [{ seed: s, collapsedAt: e.collapsedAt, collapsedAtEnd, generation: e.generation, ...e.final, final }];
    });
    const collapse = collapseSummary(perSeed, prep.options.generations, prep.absorbing, prep.ecosystem ? ECOSYSTEM_COLLAPSE : prep.entry.collapse);
    this.theoryNow();
    const theory = this.theory!;
    return {
      name: prep.config.name,
      family: prep.config.family,
      runId: prep.runId,
      status: 'complete',
      seeds: prep.seeds.length,
      generations: prep.options.generations,
      collapse,
      recorded,
      aggregates,
      theory,
      comparisons: comparisons({ collapse, recorded, aggregates, theory }),
      perSeed,
    };
  }
}

/**
 * One metric's aggregate over the `computed` generations: the recorded values, plus the carried
 * ones past each seed's end. The carried values only grow with the generation; they are kept
 * sorted and merged with each generation's recorded ones, which saves sorting every column
 * whole (the columns are as long as the run has seeds).
 */
function aggregateColumns(m: string, computed: readonly number[], recorded: readonly Column[], carried: readonly EndLine[]): SeriesAggregate {
  const out: SeriesAggregate = { mean: [], sd: [], q05: [], q25: [], q50: [], q75: [], q95: [], count: [] };
  let carriedSorted: Float64Array = new Float64Array(0);
  let next = 0;
  computed.forEach((g, gi) => {
    const fresh: number[] = [];
    for (; next < carried.length && carried[next]!.generation < g; next++) {
      const v = carried[next]!.metrics[m];
      if (v !== undefined) fresh.push(numberOf(v));
    }
    if (fresh.length > 0) carriedSorted = mergeSorted(carriedSorted, Float64Array.from(fresh).sort());
    const own = Float64Array.from(recorded[gi]?.values() ?? []).sort();
    pushSorted(out, mergeSorted(own, carriedSorted));
  });
  return out;
}

/** A growing column of numbers: a typed array doubled as it fills (no boxed numbers for the collector to copy). */
class Column {
  private buf = new Float64Array(16);
  private n = 0;
  push(v: number): void {
    if (this.n === this.buf.length) {
      const b = new Float64Array(2 * this.n);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.n++] = v;
  }
  values(): Float64Array {
    return this.buf.subarray(0, this.n);
  }
}

/** Theory's predictions; a closed form that cannot be evaluated for this config is reported, not fatal to the run. */
function theoryOf(prep: Prepared, recorded: readonly number[]): Record<string, unknown> | null {
  if (!prep.ecosystem && !prep.entry.theory) return null;
  // A family's theory reads the settings, never the seeds (families/entry.ts): the cells of a
  // sweep over seeds (or a run resumed in the same thread) share one evaluation, which for
  // exact chains can cost far more than the cell's own simulation. An ecosystem's theory
  // starts from its first seed's generation 0, so it is shared only by identical configs.
  const { name: _name, seed, seeds, ...rest } = prep.config;
  const key = JSON.stringify([rest, recorded, prep.ecosystem ? [seed, seeds] : null]);
  let theory = recentTheory.get(key);
  if (theory === undefined) {
    theory = evaluate(prep, recorded);
    recentTheory.set(key, theory);
    if (recentTheory.size > 16) recentTheory.delete(recentTheory.keys().next().value!);
  }
  return { ...theory };
}

const recentTheory = new Map<string, Record<string, unknown>>();

function evaluate(prep: Prepared, recorded: readonly number[]): Record<string, unknown> {
  try {
    const eco = prep.ecosystem;
    return { ...(eco ? ecosystemTheory(prep, eco, recorded) : prep.entry.theory!(prep.settings, recorded)) };
  } catch (e) {
    return { unavailable: `theory could not be evaluated for this config: ${(e as Error).message}` };
  }
}
