// From a validated config to everything a seed needs: the family entry, its resources, the
// loop options and the record schedule. All input errors surface here, before anything is written.
import { createHash } from 'node:crypto';
import type { Experiment, LoopOptions } from '../core/loop.ts';
import { foldIn, key, type Key } from '../core/random.ts';
import { ConfigError } from '../config/load.ts';
import { seedList, settingsOf } from '../config/options.ts';
import type { Config } from '../config/schema.ts';
import type { FamilyEntry, Io, Settings } from '../families/entry.ts';
import { FAMILIES } from '../families/index.ts';
import { installNativeGemm } from './native-gemm.ts';
import { recordedGenerations } from './record.ts';

export interface Prepared {
  readonly config: Config;
  readonly entry: FamilyEntry;
  /** What the family's hooks receive: its sections and the loop options (settings.loop). */
  readonly settings: Settings;
  readonly resources: unknown;
  readonly options: LoopOptions;
  readonly seeds: readonly number[];
  readonly recorded: readonly number[];
  readonly runId: string;
}

/** Resolves resources and checks that seed 0 sets up; input errors become a ConfigError. */
export async function prepare(config: Config, io: Io): Promise<Prepared> {
  installNativeGemm(); // every way a run starts comes through here: CLI, worker thread, queue job
  const entry = FAMILIES[config.family]!;
  const seeds = seedList(config);
  const settings = settingsOf(config, entry);
  let resources: unknown;
  try {
    resources = entry.resolve ? await entry.resolve(settings, io) : undefined;
    entry.setup(settings, resources, setupKey(config, seeds[0]!));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ where: config.name, path: '', message: (e as Error).message }]);
  }
  const resolved = { ...config, seeds };
  const runId = createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 12);
  return { config: resolved, entry, settings, resources, options: settings.loop, seeds, recorded: recordedGenerations(config.record, settings.loop.generations), runId };
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
  return prep.entry.setup(prep.settings, prep.resources, setupKey(prep.config, seed));
}
