// The loop options and family settings a validated config implies: one mapping for the
// runner, the queue worker and the in-browser playground (browser-safe: no Node modules).
import { PLAIN } from '../core/family.ts';
import { scheduleOf, type LoopOptions } from '../core/loop.ts';
import type { FamilyEntry, Settings } from '../families/entry.ts';
import type { Config } from './schema.ts';

/** The loop options of a validated config (a family that sizes generations itself gives the sample spec). */
export function loopOptions(config: Config, entry: FamilyEntry): LoopOptions {
  const l = config.loop;
  const spec = entry.samples?.(config) ?? l.samples;
  if (spec === undefined) throw new Error(`the ${entry.name} family gave no sample size; its samples hook must return one when loop.samples is refused`);
  return {
    generations: l.generations,
    samples: scheduleOf(spec),
    constantSamples: typeof spec === 'number' ? spec : undefined,
    sampling: { ...PLAIN, temperature: l.temperature, topK: l.topK, topP: l.topP, minP: l.minP },
    policy: l.policy,
    accumulateWindow: l.accumulateWindow,
    realFraction: l.realFraction,
    training: l.training,
    finetuneKeep: l.finetuneKeep,
    filter: l.filter,
    stopWhenCollapsed: l.stopWhenCollapsed,
  };
}

/** What a family's hooks receive: its sections as validated, and the loop options beside its own loop keys. */
export function settingsOf(config: Config, entry: FamilyEntry): Settings {
  const own = Object.fromEntries(Object.keys(entry.loop ?? {}).map((k) => [k, config.loop[k]]));
  return { ...config, loop: { ...own, ...loopOptions(config, entry) } } as Settings;
}

/** The explicit seed list: `seeds: N` means 0..N−1. */
export function seedList(config: Config): number[] {
  return typeof config.seeds === 'number' ? Array.from({ length: config.seeds }, (_, i) => i) : [...config.seeds];
}
