// What a computed block of seeds becomes before it is written: the log text, the Parquet row
// group of its rectangular rows, and the summary's feed. Pure, so a worker thread can do it
// and hand the main thread only bytes and typed arrays.
import { denseRows, type Grid } from '../store/dense.ts';
import { blocksOf, encodeGroup, type ParquetGroup } from '../store/metrics-parquet.ts';
import { tableProblem } from '../store/log-check.ts';
import type { RecordTable } from '../store/record-table.ts';
import type { Prepared } from './prepare.ts';
import { feedOf, type SummaryFeed } from './summary.ts';

export interface BlockOutput {
  /** Position of the block in the run's seed list. */
  readonly index: number;
  readonly seeds: number;
  /** The log lines still to append (UTF-8). */
  readonly logBytes: Uint8Array;
  readonly samplesText: string;
  readonly group: ParquetGroup;
  readonly feed: SummaryFeed;
}

/**
 * Seeds per block (and per row group of metrics.parquet), a function of the run alone so the
 * files are the same for any number of threads: at least 16 blocks, so threads share the
 * work, and at most 1,024 seeds. A family stepping many seeds at once may ask for more
 * (entry.blockSeeds: the categorical takes at least 64, its seeds being so cheap that a
 * block's fixed costs, its row group and its summary feed, would dominate).
 */
export function seedsPerBlock(prep: Pick<Prepared, 'seeds' | 'entry' | 'settings' | 'resources' | 'ecosystem'>): number {
  const many = prep.entry.blockSeeds !== undefined && !prep.ecosystem && prep.entry.block?.(prep.settings, prep.resources) !== undefined;
  return Math.min(1024, Math.max(many ? prep.entry.blockSeeds! : 1, Math.ceil(prep.seeds.length / 16)));
}

/** The run's seeds cut into blocks of seedsPerBlock, in order. */
export function blocksOfRun(prep: Pick<Prepared, 'seeds' | 'entry' | 'settings' | 'resources' | 'ecosystem'>): number[][] {
  return blocksOf(prep.seeds, seedsPerBlock(prep));
}

/** The generations every seed has a row at in exports: the record schedule and the last generation. */
export function gridOf(prep: Pick<Prepared, 'recorded' | 'options'>): Grid {
  const { recorded, options } = prep;
  return { generations: recorded.includes(options.generations) ? [...recorded] : [...recorded, options.generations].sort((a, b) => a - b) };
}

/**
 * Encodes a block's records (every seed of the block), with the log text of the seeds at
 * `fresh` (the others are in the log already). A record with a hole (a resume from a
 * checkpoint the log did not reach) stops the run here, so a run with a hole is never
 * summarised as complete.
 */
export function encodeBlock(prep: Prepared, index: number, table: RecordTable, fresh: readonly number[]): BlockOutput {
  const problem = tableProblem(table, prep.recorded);
  if (problem !== undefined) throw new Error(`the log of this run is not whole, so it cannot be complete: ${problem}`);
  const group = encodeGroup(denseRows(table, gridOf(prep)));
  return { index, seeds: table.seeds.length, logBytes: table.logBytes(fresh), samplesText: table.samplesText(fresh), group, feed: feedOf(table, prep.recorded) };
}
