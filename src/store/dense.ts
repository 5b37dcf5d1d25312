// The rectangular form of a run's metrics for exports (metrics.parquet, CSV, JSONL): every
// seed at every generation of the grid, in long format. A seed that stopped for good (an
// absorbing collapse) writes no log lines after it stops; its state can never change again,
// so its last values are exact at every later generation and are written there with
// stopped = true (the rule is core/seeds.ts stoppedForGood).
// Without them a group-by-generation mean averages only the seeds still running: survivor
// bias (docs/run-directory.md).
import { stoppedForGood } from '../core/seeds.ts';
import { numberOf } from './json.ts';
import type { RecordTable } from './record-table.ts';

export interface Grid {
  /** The generations every seed has a row at, ascending: the record schedule and the last generation (the horizon). */
  readonly generations: readonly number[];
}

/** Long-format columns: one row per seed, generation and metric; `stopped` marks carried rows. */
export interface DenseRows {
  readonly seed: Int32Array;
  readonly generation: Int32Array;
  readonly metric: string[];
  readonly value: Float64Array;
  readonly stopped: boolean[];
}

/** The rows of every seed of `table` (in its order) at every generation of `grid`; throws on a seed with a hole. */
export function denseRows(table: RecordTable, grid: Grid): DenseRows {
  const gens = grid.generations;
  const src = sources(table, grid);
  const width = (i: number, j: number): number => {
    const r = src[i * gens.length + j]!;
    return r >= 0 ? table.names(r).length : Object.keys(table.endOf(i).metrics).length;
  };
  let n = 0;
  for (let i = 0; i < table.seeds.length; i++) for (let j = 0; j < gens.length; j++) n += width(i, j);
  const out: DenseRows = { seed: new Int32Array(n), generation: new Int32Array(n), metric: new Array<string>(n), value: new Float64Array(n), stopped: new Array<boolean>(n) };
  let o = 0;
  for (let i = 0; i < table.seeds.length; i++) {
    const seed = table.seeds[i]!;
    const end = table.endOf(i);
    for (let j = 0; j < gens.length; j++) {
      const g = gens[j]!;
      const r = src[i * gens.length + j]!;
      const stopped = g > end.generation;
      const names = r >= 0 ? table.names(r) : Object.keys(end.metrics);
      for (let m = 0; m < names.length; m++) {
        out.seed[o] = seed;
        out.generation[o] = g;
        out.metric[o] = names[m]!;
        out.value[o] = r >= 0 ? table.value(r, m) : numberOf(end.metrics[names[m]!]);
        out.stopped[o] = stopped;
        o++;
      }
    }
  }
  return out;
}

/** For seed i and grid generation j, at [i · |grid| + j]: the row holding its values there, or −1 for its end line. */
function sources(table: RecordTable, grid: Grid): Int32Array {
  const gens = grid.generations;
  const { order, at } = table.bySeed();
  const src = new Int32Array(table.seeds.length * gens.length);
  const horizon = gens[gens.length - 1] ?? 0;
  for (let i = 0; i < table.seeds.length; i++) {
    const end = table.endOf(i);
    let o = at[i]!;
    for (let j = 0; j < gens.length; j++) {
      const g = gens[j]!;
      while (o < at[i + 1]! && table.generation(order[o]!) < g) o++;
      let r = o < at[i + 1]! && table.generation(order[o]!) === g ? order[o]! : g === end.generation ? -1 : -2;
      if (g > end.generation) {
        if (!stoppedForGood(end, horizon)) throw new Error(`seed ${table.seeds[i]} ended at generation ${end.generation} without an absorbing collapse, so it has no value at generation ${g}`);
        r = -1;
      }
      if (r === -2) throw new Error(`seed ${table.seeds[i]} has no line at recorded generation ${g}: the log has a hole`);
      src[i * gens.length + j] = r;
    }
  }
  return src;
}
