// A block of seeds run to their ends: through the family's block stepper (many seeds at once
// over typed arrays) where it has one for these options, else seed by seed through the loop.
// Either way each seed yields the same records, and the block's log text is those records in
// seed order, so the log does not depend on how the block was computed.
import { loop, type LoopState } from '../core/loop.ts';
import { metricLineJson, toJson } from '../store/json.ts';
import type { EndLine, GenerationLine, LogLine, SampleLine, SeedRecord } from '../store/rundir.ts';
import { experimentOf, type Prepared } from './prepare.ts';
import { seedKey, setupKey } from '../core/seeds.ts';

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

export interface BlockResult {
  /** Every seed of the block, in order. */
  readonly records: SeedRecord[];
  /** The log lines still to append, in seed order. */
  readonly logText: string;
  readonly samplesText: string;
}

/** Runs `seeds` (each from its `starts` entry if it has one) and returns their records and text. */
export function runBlock(prep: Prepared, seeds: readonly number[], starts: ReadonlyMap<number, Start> = new Map(), hooks: BlockHooks = {}): BlockResult {
  const stepper = hooks.direct || hooks.perSeed || starts.size > 0 ? undefined : prep.entry.block?.(prep.settings, prep.resources);
  const records = stepper ? runStepper(prep, seeds, stepper, hooks) : seeds.map((s) => runSeed(prep, s, starts.get(s), hooks));
  const fresh = hooks.direct ? [] : records;
  return {
    records,
    logText: fresh.map((r) => seedText(r)).join(''),
    samplesText: fresh.flatMap((r) => r.samples.map((l) => toJson(l) + '\n')).join(''),
  };
}

/** The log lines of a seed as the log holds them: its rows, then its end line. */
export function seedText(r: SeedRecord): string {
  let s = '';
  for (const l of r.rows) s += metricLineJson(l.seed, l.generation, l.metrics as Record<string, number>) + '\n';
  return s + toJson(r.end) + '\n';
}

function runStepper(prep: Prepared, seeds: readonly number[], stepper: NonNullable<ReturnType<NonNullable<Prepared['entry']['block']>>>, hooks: BlockHooks): SeedRecord[] {
  const rows: GenerationLine[][] = seeds.map(() => []);
  const ends: (EndLine | undefined)[] = seeds.map(() => undefined);
  const keys = seeds.map((s) => seedKey(prep.config.seed, s));
  stepper(keys, seeds.map((s) => setupKey(prep.config.seed, s)), prep.recorded, {
    record: (i, generation, metrics) => void rows[i]!.push({ seed: seeds[i]!, generation, metrics: checkFinite(metrics, seeds[i]!, generation) }),
    end: (i, generation, collapsedAt, collapsedAtEnd, final, metrics) =>
      void (ends[i] = { seed: seeds[i]!, event: 'end', generation, collapsedAt, collapsedAtEnd, final, metrics: checkFinite(metrics, seeds[i]!, generation) }),
    ...(hooks.progress && { progress: hooks.progress }),
  });
  return seeds.map((seed, i) => {
    const end = ends[i];
    if (!end) throw new Error(`the ${prep.entry.name} block stepper gave seed ${seed} no end`);
    return { seed, rows: rows[i]!, end, samples: [] };
  });
}

function runSeed(prep: Prepared, seed: number, start: Start | undefined, hooks: BlockHooks): SeedRecord {
  const exp = experimentOf(prep, seed);
  const { family } = exp;
  const recorded = new Set(prep.recorded);
  const metricsOf = (s: LoopState<unknown, unknown>) => family.metrics(s.model, { initial: exp.initial, ...(exp.heldOut !== undefined ? { heldOut: exp.heldOut } : {}) });
  const rows: GenerationLine[] = (start?.lines ?? []).filter((l): l is GenerationLine => !('event' in l));
  const samples: SampleLine[] = [];
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
  return { seed, rows, end, samples };
}

function checkFinite(m: Record<string, number>, seed: number, generation: number): Record<string, number> {
  for (const [k, v] of Object.entries(m)) if (Number.isNaN(v)) throw new Error(`metric '${k}' is NaN at seed ${seed}, generation ${generation}: the model reached an invalid state`);
  return m;
}
