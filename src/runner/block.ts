// A block of seeds run to their ends: through the family's block stepper (many seeds at once
// over typed arrays) where it has one for these options, else seed by seed through the loop
// (or, for an ecosystem config, through the pool and agents: ecosystem.ts). Either way each seed yields the same records, collected in a RecordTable whose log text is
// those records in seed order, so the log does not depend on how the block was computed.
import { loop, type LoopState } from '../core/loop.ts';
import type { SeedBlock } from '../families/entry.ts';
import type { RecordTable } from '../store/record-table.ts';
import type { EndLine, GenerationLine, LogLine, SampleLine } from '../store/rundir.ts';
import { ecosystemSeed } from './ecosystem.ts';
import { seedKey, setupKey } from '../core/seeds.ts';
import { experimentOf, type Prepared } from './prepare.ts';
import { checkFinite } from './record.ts';

/** Where an unfinished seed restarts (a checkpoint) and the lines it had logged up to there. */
export interface Start {
  readonly state: LoopState<unknown, unknown>;
  readonly collapsedAt: number | null;
  readonly lines: readonly LogLine[];
}

export interface BlockHooks {
  /** Step seed by seed through the loop even where the family has a block stepper (the reference it is tested against). */
  readonly perSeed?: boolean;
  /** The generation the block has reached, for progress displays. */
  progress?(generation: number): void;
  /**
   * Checkpointing families: writes a seed's lines to the log at once (before each checkpoint,
   * which `checkpoint` then writes). Lines written here are left out of the block's text.
   */
  readonly direct?: {
    flush(lines: readonly LogLine[], samples: readonly SampleLine[]): void;
    checkpoint(seed: number, state: LoopState<unknown, unknown>, collapsedAt: number | null): void;
  };
}

/**
 * Runs the seeds of `table` at `indices` (each from its `starts` entry if it has one) and adds
 * their rows, ends and samples to the table.
 */
export function runBlock(prep: Prepared, table: RecordTable, indices: readonly number[], starts: ReadonlyMap<number, Start> = new Map(), hooks: BlockHooks = {}): void {
  const eco = prep.ecosystem;
  if (eco) {
    for (const i of indices) table.addRecord(i, ecosystemSeed(prep, eco, table.seeds[i]!, hooks));
    return;
  }
  const stepper = hooks.direct || hooks.perSeed || starts.size > 0 ? undefined : prep.entry.block?.(prep.settings, prep.resources);
  if (stepper) runStepper(prep, table, indices, stepper, hooks);
  else for (const i of indices) runSeed(prep, table, i, starts.get(table.seeds[i]!), hooks);
}

function runStepper(prep: Prepared, table: RecordTable, indices: readonly number[], stepper: SeedBlock, hooks: BlockHooks): void {
  const seeds = indices.map((i) => table.seeds[i]!);
  stepper(seeds.map((s) => seedKey(prep.config.seed, s)), seeds.map((s) => setupKey(prep.config.seed, s)), prep.recorded, {
    record: (j, generation, metrics) => table.add(indices[j]!, generation, checkFinite(metrics, seeds[j]!, generation)),
    end: (j, generation, collapsedAt, collapsedAtEnd, final, metrics) =>
      void (table.ends[indices[j]!] = { seed: seeds[j]!, event: 'end', generation, collapsedAt, collapsedAtEnd, final, metrics: checkFinite(metrics, seeds[j]!, generation) }),
    ...(hooks.progress && { progress: hooks.progress }),
  });
  for (const i of indices) table.endOf(i); // every seed has ended
}

function runSeed(prep: Prepared, table: RecordTable, i: number, start: Start | undefined, hooks: BlockHooks): void {
  const seed = table.seeds[i]!;
  const exp = experimentOf(prep, seed);
  const { family } = exp;
  const recorded = new Set(prep.recorded);
  const metricsOf = (s: LoopState<unknown, unknown>) => family.metrics(s.model, { initial: exp.initial, ...(exp.heldOut !== undefined ? { heldOut: exp.heldOut } : {}) });
  const rows: GenerationLine[] = (start?.lines ?? []).filter((l): l is GenerationLine => !('event' in l));
  const samples = table.samples[i]!;
  let flushed = rows.length;
  let flushedSamples = 0;
  let collapsedAt = start?.collapsedAt ?? null;
  let last = start?.state; // a seed restored at its last generation has no step left to run
  let lastMetrics: Record<string, number> | undefined;
  for (const st of loop(exp, prep.options, seedKey(prep.config.seed, seed), start?.state)) {
    if (collapsedAt === null && st.collapsed) collapsedAt = st.generation;
    last = st;
    lastMetrics = undefined;
    if (recorded.has(st.generation)) {
      lastMetrics = checkFinite(metricsOf(st), seed, st.generation);
      rows.push({ seed, generation: st.generation, metrics: lastMetrics });
      if (family.inspect) {
        const { texts, topTokens } = family.inspect(st.model, 5);
        samples.push({ seed, generation: st.generation, samples: texts, topTokens });
      } else if (family.show) samples.push({ seed, generation: st.generation, samples: family.show(st.train ?? exp.realData, 5) });
      if (hooks.direct && st.generation > 0) {
        hooks.direct.flush(rows.slice(flushed), samples.slice(flushedSamples));
        flushed = rows.length;
        flushedSamples = samples.length;
        hooks.direct.checkpoint(seed, st, collapsedAt);
      }
    }
    hooks.progress?.(st.generation);
  }
  const final = last!;
  lastMetrics ??= checkFinite(metricsOf(final), seed, final.generation);
  const end: EndLine = { seed, event: 'end', generation: final.generation, collapsedAt, collapsedAtEnd: final.collapsed, final: family.final?.(final.model) ?? {}, metrics: lastMetrics };
  if (hooks.direct) hooks.direct.flush([...rows.slice(flushed), end], samples.slice(flushedSamples));
  table.addRecord(i, { seed, rows, end, samples });
}
