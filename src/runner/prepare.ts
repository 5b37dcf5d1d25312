// From a validated config to everything a seed needs: the family entry, its resources, the
// loop options and the record schedule. All input errors surface here, before anything is written.
import { createHash } from 'node:crypto';
import { collapseIsAbsorbing, type Experiment, type LoopOptions } from '../core/loop.ts';
import { setupKey } from '../core/seeds.ts';
import { ConfigError, issueIn } from '../config/load.ts';
import { buildEcosystem, ecosystemPlan } from '../config/ecosystem.ts';
import { seedList, settingsOf } from '../config/options.ts';
import type { Config } from '../config/schema.ts';
import { SettingError, type FamilyEntry, type Io, type Settings } from '../families/entry.ts';
import { FAMILIES } from '../families/index.ts';
import { cachedInitial, cacheDir, checkWritable, readSlot, slotOf } from './base-cache.ts';
import type { PreparedEcosystem } from './ecosystem.ts';
import { recordedGenerations } from './record.ts';

export interface Prepared {
  readonly config: Config;
  readonly entry: FamilyEntry;
  /** What the family's hooks receive: its sections and the loop options (settings.loop). */
  readonly settings: Settings;
  readonly resources: unknown;
  readonly options: LoopOptions;
  /** Collapse is absorbing for this family under these options (core/loop.ts collapseIsAbsorbing): a collapsed seed stays collapsed. */
  readonly absorbing: boolean;
  readonly seeds: readonly number[];
  readonly recorded: readonly number[];
  readonly runId: string;
  /** Where generation 0 is cached, for families with a costly one (FamilyEntry.base). */
  readonly cache?: string;
  /** What besides the config decides the bytes here (FamilyEntry.arithmetic), for config.json. */
  readonly arithmetic?: Readonly<Record<string, string | null>>;
  /** Agents and people sharing a pool, when the config has an `ecosystem:` section. */
  readonly ecosystem?: PreparedEcosystem;
}

/**
 * Resolves resources and checks that seed 0 sets up, and that generation 0's cache (when the
 * family has one) can be written and holds nothing foreign for these seeds; input errors
 * become a ConfigError.
 */
export async function prepare(config: Config, io: Io, env: NodeJS.ProcessEnv = process.env): Promise<Prepared> {
  const entry = FAMILIES[config.family]!;
  const seeds = seedList(config);
  const settings = settingsOf(config, entry);
  let resources: unknown;
  let absorbing = false;
  let ecosystem: PreparedEcosystem | undefined;
  const cache = entry.base && entry.checkpoint ? cacheDir(env) : undefined;
  try {
    resources = entry.resolve ? await entry.resolve(settings, io) : undefined;
    absorbing = collapseIsAbsorbing(entry.setup(settings, resources, setupKey(config.seed, seeds[0]!)).family, settings.loop);
    if (config.ecosystem !== undefined) {
      const plan = ecosystemPlan(config, entry);
      const { eco } = buildEcosystem(plan, entry, resources, setupKey(config.seed, seeds[0]!)); // every agent sets up
      // Absorbed agents stay absorbed when every agent's collapse is absorbing (core/ecosystem.ts).
      absorbing = eco.agents.every((a) => a.family.absorbing);
      ecosystem = { plan, hooks: entry.ecosystem!.hooks(settings, resources) };
    }
    if (cache !== undefined) {
      checkWritable(cache);
      for (const s of seeds) readSlot(slotOf(cache, entry, settings, resources, setupKey(config.seed, s)));
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if (e instanceof SettingError) throw new ConfigError([issueIn(config, e.path.join('.'), e.message)]);
    throw new ConfigError([{ where: config.name, path: '', message: (e as Error).message }]);
  }
  const resolved = { ...config, seeds };
  const runId = createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 12);
  return { config: resolved, entry, settings, resources, options: settings.loop, absorbing, seeds, recorded: recordedGenerations(config.record, settings.loop.generations), runId, ...(cache !== undefined ? { cache } : {}), ...(ecosystem ? { ecosystem } : {}), ...(entry.arithmetic ? { arithmetic: entry.arithmetic(resources) } : {}) };
}

/** Seed `seed`'s experiment; with a cache, generation 0 comes from it (made and stored the first time). */
export function experimentOf(prep: Prepared, seed: number): Experiment<unknown, unknown> {
  const exp = prep.entry.setup(prep.settings, prep.resources, setupKey(prep.config.seed, seed));
  if (prep.cache === undefined) return exp;
  const slot = slotOf(prep.cache, prep.entry, prep.settings, prep.resources, setupKey(prep.config.seed, seed));
  const memo = bases.get(prep) ?? new Map<string, unknown>();
  bases.set(prep, memo);
  const initial = () => {
    if (!memo.has(slot.key)) memo.set(slot.key, cachedInitial(prep.entry, slot, exp, (line) => process.stderr.write(`ouro: ${line}\n`)));
    return memo.get(slot.key);
  };
  // The experiment as setup made it, but for where generation 0 comes from.
  return Object.create(exp, { initial: { get: initial } }) as Experiment<unknown, unknown>;
}

const bases = new WeakMap<Prepared, Map<string, unknown>>();
