// Whether a run's log is whole: each seed of the run has one end line, and before it a metric
// line for every recorded generation up to the one it stopped at, once each and in order
// (docs/run-directory.md). A resume from a checkpoint the log does not reach, two processes
// appending to one log, or a log cut short all break this; a complete run must not.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordTable } from './record-table.ts';
import { FILES, readJsonl, type LogLine, type SeedRecord } from './rundir.ts';

/** At most this many problems are described; the rest are counted. */
const SHOWN = 5;

/** Checks log lines as they are read (one pass, memory per seed, not per line). */
export class LogCheck {
  private readonly expected = new Map<number, number>(); // seed → index in `recorded` of its next metric line
  private readonly ended = new Set<number>();
  private readonly found: string[] = [];
  private count = 0;
  private readonly inRun: ReadonlySet<number>;

  constructor(
    private readonly seeds: readonly number[],
    private readonly recorded: readonly number[],
  ) {
    this.inRun = new Set(seeds);
  }

  add(l: LogLine): void {
    const s = l.seed;
    if (!this.inRun.has(s)) return this.problem(`a line of seed ${s}, which is not a seed of this run`);
    if (this.ended.has(s)) return this.problem(`seed ${s}: a line at generation ${l.generation} after its end line`);
    const next = this.expected.get(s) ?? 0;
    if ('event' in l) {
      this.ended.add(s);
      const need = countUpTo(this.recorded, l.generation);
      if (next !== need) this.problem(`seed ${s} ends at generation ${l.generation} with ${next} of the ${need} recorded generations before it in the log`);
      return;
    }
    const want = this.recorded[next];
    if (want === l.generation) return void this.expected.set(s, next + 1);
    this.problem(`seed ${s}: generation ${l.generation} where ${want === undefined ? 'its end line' : `generation ${want}`} was due`);
    this.expected.set(s, countUpTo(this.recorded, l.generation)); // carry on after the line found, to report each defect once
  }

  /** Every defect found (seeds without an end line included); [] when the log is whole. */
  problems(): string[] {
    const open = this.seeds.filter((s) => !this.ended.has(s));
    if (open.length > 0) this.problem(`${open.length} seed(s) have no end line (seed ${open.slice(0, 3).join(', ')}${open.length > 3 ? ', …' : ''})`);
    return this.count > SHOWN ? [...this.found, `and ${this.count - SHOWN} more`] : [...this.found];
  }

  private problem(p: string): void {
    if (++this.count <= SHOWN) this.found.push(p);
  }
}

/** What is wrong with one seed's record (its rows must be the recorded generations up to its end, in order), or undefined. */
export function recordProblem(r: SeedRecord, recorded: readonly number[]): string | undefined {
  const need = countUpTo(recorded, r.end.generation);
  if (r.rows.length !== need) return `seed ${r.seed} ends at generation ${r.end.generation} with ${r.rows.length} lines for the ${need} recorded generations up to there`;
  const i = r.rows.findIndex((l, j) => l.generation !== recorded[j]);
  return i < 0 ? undefined : `seed ${r.seed}: generation ${r.rows[i]!.generation} where generation ${recorded[i]} was due`;
}

/** What is wrong with the first seed of `table` whose rows are not the recorded generations up to its end, in order; or undefined. */
export function tableProblem(table: RecordTable, recorded: readonly number[]): string | undefined {
  const { order, at } = table.bySeed();
  for (let i = 0; i < table.seeds.length; i++) {
    const end = table.endOf(i);
    const need = countUpTo(recorded, end.generation);
    const have = at[i + 1]! - at[i]!;
    if (have !== need) return `seed ${table.seeds[i]} ends at generation ${end.generation} with ${have} lines for the ${need} recorded generations up to there`;
    for (let j = 0; j < have; j++) {
      const g = table.generation(order[at[i]! + j]!);
      if (g !== recorded[j]) return `seed ${table.seeds[i]}: generation ${g} where generation ${recorded[j]} was due`;
    }
  }
  return undefined;
}

/** How many of the sorted `recorded` are ≤ g (binary search). */
function countUpTo(recorded: readonly number[], g: number): number {
  let lo = 0;
  let hi = recorded.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (recorded[mid]! <= g) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What is wrong with the log of the complete run in `dir` (of `seeds`, recording `recorded`):
 * [] when the log is whole. A torn last line, harmless in a killed run, is damage in a complete one.
 */
export function completeRunProblems(dir: string, seeds: readonly number[], recorded: readonly number[]): string[] {
  const path = join(dir, FILES.log);
  const { lines, validBytes } = readJsonl<LogLine>(path);
  const check = new LogCheck(seeds, recorded);
  for (const l of lines) check.add(l);
  const problems = check.problems();
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  return size > validBytes ? [`the log ends in a torn line (${size - validBytes} bytes)`, ...problems] : problems;
}
