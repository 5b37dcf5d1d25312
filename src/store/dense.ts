// The rectangular form of a run's metrics for exports (metrics.parquet, CSV, JSONL): every
// seed at every generation of the grid, in long format. A seed that stopped for good (an
// absorbing collapse) writes no log lines after it stops; its state can never change again,
// so its last values are exact at every later generation and are written there with
// stopped = true (the rule is core/seeds.ts standingAt).
// Without them a group-by-generation mean averages only the seeds still running: survivor
// bias (docs/run-directory.md).
import { standingAt } from '../core/seeds.ts';
import { numberOf } from './json.ts';
import type { GenerationLine, SeedRecord } from './rundir.ts';

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

/** The rows of `records` (seeds in this order) at every generation of `grid`; throws on a record with a hole. */
export function denseRows(records: readonly SeedRecord[], grid: Grid): DenseRows {
  const lines = records.map((r) => gridLines(r, grid));
  let n = 0;
  for (const ls of lines) for (const l of ls) for (const _ in l.metrics) n++;
  const out: DenseRows = { seed: new Int32Array(n), generation: new Int32Array(n), metric: new Array<string>(n), value: new Float64Array(n), stopped: new Array<boolean>(n) };
  let i = 0;
  records.forEach((r, k) => {
    lines[k]!.forEach((line, j) => {
      const g = grid.generations[j]!;
      const stopped = g > r.end.generation;
      for (const m in line.metrics) {
        out.seed[i] = r.seed;
        out.generation[i] = g;
        out.metric[i] = m;
        out.value[i] = numberOf(line.metrics[m]);
        out.stopped[i] = stopped;
        i++;
      }
    });
  });
  return out;
}

/** The line that holds `rec`'s values at each generation of the grid. */
function gridLines(rec: SeedRecord, grid: Grid): GenerationLine[] {
  const { end } = rec;
  const horizon = grid.generations[grid.generations.length - 1] ?? 0;
  const out: GenerationLine[] = [];
  let r = 0;
  for (const g of grid.generations) {
    while (r < rec.rows.length && rec.rows[r]!.generation < g) r++;
    const own = rec.rows[r]?.generation === g ? rec.rows[r] : g === end.generation ? end : undefined;
    const line = standingAt(g, own, { ...end, values: end }, horizon);
    if (!line && g > end.generation) throw new Error(`seed ${rec.seed} ended at generation ${end.generation} without an absorbing collapse, so it has no value at generation ${g}`);
    if (!line) throw new Error(`seed ${rec.seed} has no line at recorded generation ${g}: the log has a hole`);
    out.push(line);
  }
  return out;
}
