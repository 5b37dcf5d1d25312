// From a validated config to everything a seed needs: the family entry, its resources, the
// loop options and the record schedule. All input errors surface here, before anything is written.
import { createHash } from 'node:crypto';
import { PLAIN } from '../core/family.ts';
import { scheduleOf, type Experiment, type LoopOptions, type SampleSpec } from '../core/loop.ts';
import type { Filter } from '../core/filters.ts';
import { foldIn, key, type Key } from '../core/random.ts';
import { ConfigError } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { FamilyEntry, Io } from '../families/entry.ts';
import { FAMILIES } from '../families/index.ts';
import { recordedGenerations, type RecordSpec } from './record.ts';

export interface Prepared {
  readonly config: Config;
  readonly entry: FamilyEntry<any, any>;
  readonly resources: unknown;
  readonly options: LoopOptions;
  readonly seeds: readonly number[];
  readonly recorded: readonly number[];
  readonly runId: string;
}

/** Resolves resources and checks that seed 0 sets up; input errors become a ConfigError. */
export async function prepare(config: Config, io: Io): Promise<Prepared> {
  const entry = FAMILIES[config.family]!;
  const loop = config.loop as Record<string, unknown>;
  const seeds = typeof config.seeds === 'number' ? Array.from({ length: config.seeds }, (_, i) => i) : [...config.seeds];
  const options: LoopOptions = {
    generations: loop.generations as number,
    samples: entry.samples?.(config) ?? scheduleOf(loop.samples as SampleSpec),
    sampling: { ...PLAIN, temperature: loop.temperature as number, topK: loop.topK as number, topP: loop.topP as number, minP: loop.minP as number },
    policy: loop.policy as LoopOptions['policy'],
    accumulateWindow: loop.accumulateWindow as number | undefined,
    realFraction: loop.realFraction as number,
    training: loop.training as LoopOptions['training'],
    filter: loop.filter as Filter,
    stopWhenCollapsed: loop.stopWhenCollapsed as boolean,
  };
  let resources: unknown;
  try {
    resources = entry.resolve ? await entry.resolve(config, io) : undefined;
    entry.setup(config, resources, setupKey(config, seeds[0]!));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ where: config.name, path: '', message: (e as Error).message }]);
  }
  const resolved = { ...config, seeds };
  const runId = createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 12);
  return { config: resolved, entry, resources, options, seeds, recorded: recordedGenerations(config.record as RecordSpec, options.generations), runId };
}

/** The key of seed s: foldIn(root, s); generation t of that seed uses foldIn(seedKey, t). */
export function seedKeyOf(config: Config, seed: number): Key {
  return foldIn(key(config.seed), seed);
}

/** Generation 0's key (setup: initial model, fixed real data), which the loop never uses. */
export function setupKey(config: Config, seed: number): Key {
  return foldIn(seedKeyOf(config, seed), 0);
}

export function experimentOf(prep: Prepared, seed: number): Experiment<unknown, unknown> {
  return prep.entry.setup(prep.config, prep.resources, setupKey(prep.config, seed));
}
