// The loop options a validated config implies: one mapping for the runner, the queue worker
// and the in-browser playground (browser-safe: no Node modules).
import { PLAIN } from '../core/family.ts';
import type { Filter } from '../core/filters.ts';
import { scheduleOf, type LoopOptions, type SampleSpec } from '../core/loop.ts';
import type { FamilyEntry } from '../families/entry.ts';
import type { Config } from './schema.ts';

export function loopOptions(config: Config, entry: FamilyEntry<any, any>): LoopOptions {
  const l = config.loop as Record<string, unknown>;
  return {
    generations: l.generations as number,
    samples: entry.samples?.(config) ?? scheduleOf(l.samples as SampleSpec),
    sampling: { ...PLAIN, temperature: l.temperature as number, topK: l.topK as number, topP: l.topP as number, minP: l.minP as number },
    policy: l.policy as LoopOptions['policy'],
    accumulateWindow: l.accumulateWindow as number | undefined,
    realFraction: l.realFraction as number,
    training: l.training as LoopOptions['training'],
    filter: l.filter as Filter,
    stopWhenCollapsed: l.stopWhenCollapsed as boolean,
  };
}

/** The explicit seed list: `seeds: N` means 0..N−1. */
export function seedList(config: Config): number[] {
  return typeof config.seeds === 'number' ? Array.from({ length: config.seeds }, (_, i) => i) : [...config.seeds];
}
