// The predictive-policing urn (Ensign et al., "Runaway Feedback Loops in Predictive Policing",
// FAT* 2018). The model is a belief: balls per region (plain numbers, fractional once the
// corrected update weighs discoveries). One item is one round: attention goes to a region
// drawn from the belief (through the sampling transforms, so temperature < 1 concentrates
// patrols), a visit to region i discovers an incident with probability λ_i, and each region j
// may also report an incident with probability r·λ_j regardless of attention. Refitting adds
// the found incidents to the prior balls, so policy `accumulate` (the default) is the urn
// itself and `replace` keeps only the last generation's findings.
import { z } from 'zod';
import { PLAIN, type Family, type Sampling } from '../../core/family.ts';
import type { Experiment } from '../../core/loop.ts';
import { Rng, type Key } from '../../core/random.ts';
import { categorical, subsampleIndices } from '../../core/samplers.ts';
import { isPlain, transform } from '../../core/transforms.ts';
import { tv } from '../../metrics/divergence.ts';
import { support } from '../../metrics/entropy.ts';
import { limitingShare, polyaLimit, trueShares } from '../../theory/urn.ts';
import { applies } from '../../theory/applies.ts';
import { defineFamily, type LoopSupport, type Settings } from '../entry.ts';
import { urnBlock } from './block.ts';

export interface UrnModel {
  readonly counts: readonly number[];
}
/** A block of rounds: visit[i] is the region attended in round i; add[i·k + j] the balls it adds to region j. */
export interface Block {
  readonly visit: Int32Array;
  readonly add: Float64Array;
}
/**
 * Rounds as blocks plus their per-region totals, so that joining every generation's rounds
 * (the urn is policy accumulate) costs one step per block rather than one per round, and the
 * refit only reads the totals. Items are the rounds of the blocks in order.
 */
export interface Rounds {
  readonly k: number;
  readonly size: number;
  readonly total: Float64Array;
  readonly blocks: readonly Block[];
}

export interface UrnOptions {
  readonly prior: readonly number[];
  readonly rates: readonly number[];
  readonly reported: number;
  /** c: balls each incident (discovered or reported) adds; the Pólya limit is Beta(a/c, b/c). */
  readonly balls: number;
  /** weigh a discovery in region i by 1/P(attention goes to i) (Ensign et al. §5). */
  readonly corrected: boolean;
  readonly reward?: readonly number[] | undefined;
}

const shares = (counts: readonly number[]): number[] => {
  const s = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / s);
};

/** The urn family. */
export function urn(o: UrnOptions): Family<UrnModel, Rounds> {
  const k = o.rates.length;
  const truth = trueShares(o.rates);
  const select = (data: Rounds, idx: ArrayLike<number>): Rounds => {
    const all = flat(data);
    const visit = new Int32Array(idx.length);
    const add = new Float64Array(idx.length * k);
    for (let j = 0; j < idx.length; j++) {
      visit[j] = all.visit[idx[j]!]!;
      add.set(all.add.subarray(idx[j]! * k, (idx[j]! + 1) * k), j * k);
    }
    return roundsOf(k, visit, add);
  };
  return {
    name: 'urn',
    size: (data) => data.size,
    concat(parts) {
      const total = new Float64Array(k);
      const blocks: Block[] = [];
      let size = 0;
      for (const p of parts) {
        for (let j = 0; j < k; j++) total[j]! += p.total[j]!;
        for (const b of p.blocks) blocks.push(b);
        size += p.size;
      }
      return { k, size, total, blocks };
    },
    subsample: (data, n, key) => select(data, subsampleIndices(data.size, n, key)),
    select,
    fit: (data) => ({ counts: o.prior.map((c, j) => c + data.total[j]!) }),
    sample: (model, n, how, key) => rounds(o, model, n, how, key),
    logLikelihood: (model, data) => {
      const p = shares(model.counts);
      return Float64Array.from(flat(data).visit, (v) => Math.log(p[v]!));
    },
    metrics(model) {
      const p = shares(model.counts);
      const named = Object.fromEntries(p.map((q, i) => [`share${i}`, q]));
      return { ...named, shareMax: Math.max(...p), gap: tv(p, truth), ...(o.reward ? { reward: p.reduce((s, q, i) => s + q * o.reward![i]!, 0) } : {}) };
    },
    collapsed: (model) => support(model.counts) === 1,
    absorbing: o.reported === 0, // reports add balls to regions attention never visits
    final: (model) => ({ attendsOnly: support(model.counts) === 1 ? model.counts.findIndex((c) => c > 0) : null }),
    ...(o.reward ? { reward: (data: Rounds) => Float64Array.from(flat(data).visit, (v) => o.reward![v]!) } : {}),
  };
}

/** Rounds of one block, with its totals. */
function roundsOf(k: number, visit: Int32Array, add: Float64Array): Rounds {
  const total = new Float64Array(k);
  for (let i = 0; i < add.length; i++) total[i % k]! += add[i]!;
  return { k, size: visit.length, total, blocks: [{ visit, add }] };
}

/** Every round in one block (the data's own block when it has just one). */
export function flat(data: Rounds): Block {
  if (data.blocks.length === 1) return data.blocks[0]!;
  const visit = new Int32Array(data.size);
  const add = new Float64Array(data.size * data.k);
  let at = 0;
  for (const b of data.blocks) {
    visit.set(b.visit, at);
    add.set(b.add, at * data.k);
    at += b.visit.length;
  }
  return { visit, add };
}

/** n rounds under the belief `model`; uses `key` for attention, discoveries and reports. */
function rounds(o: UrnOptions, model: UrnModel, n: number, how: Sampling, key: Key): Rounds {
  const k = o.rates.length;
  const rng = new Rng(key);
  const p0 = Float64Array.from(shares(model.counts));
  const look = isPlain(how) ? p0 : transform(p0, how);
  const visit = new Int32Array(n);
  const add = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const v = categorical(rng, look);
    visit[i] = v;
    if (rng.float() < o.rates[v]!) add[i * k + v]! += o.corrected ? o.balls / look[v]! : o.balls;
    if (o.reported > 0) for (let j = 0; j < k; j++) if (rng.float() < o.reported * o.rates[j]!) add[i * k + j]! += o.balls;
  }
  return roundsOf(k, visit, add);
}

const sections = {
  init: z
    .strictObject({ counts: z.array(z.number().nonnegative('prior balls must be ≥ 0').finite()).min(2, 'give at least two regions, e.g. [1, 1]') })
    .refine((i) => i.counts.some((c) => c > 0), { message: 'at least one region needs prior balls > 0, e.g. counts: [1, 1]', path: ['counts'] })
    .describe('the initial belief: balls per region'),
  model: z
    .strictObject({
      rates: z.array(z.number().min(0, 'rates are probabilities of discovering an incident per visit: use values in [0, 1]').max(1, 'rates are probabilities per visit: use values in [0, 1]')).min(2).describe('λ_i: P(a visit to region i discovers an incident)'),
      reported: z.number().min(0, 'reported must be in [0, 1]').max(1, 'reported must be in [0, 1]').default(0).describe('r: each round region j reports an incident with probability r·λ_j'),
      corrected: z.boolean().default(false).describe('weigh each discovery by 1/P(looked there)'),
      balls: z.number({ error: 'balls must be a finite number' }).positive('balls (c, added per incident) must be > 0').default(1).describe('c: balls each incident adds'),
    })
    .refine((m) => m.rates.some((l) => l > 0), { message: 'at least one rate must be > 0, or no incident is ever found', path: ['rates'] }),
  reward: z.array(z.number({ error: 'rewards must be finite numbers' })).optional().describe('reward per region, for filter by: reward'),
};

const supports: LoopSupport = {
  unit: 'round',
  samples: true,
  temperature: true,
  truncation: true,
  finetune: 'the urn adds its findings to its belief',
  finetuneKeep: 'the urn adds its findings to its belief',
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: true,
  reward: true,
  reject: 'it has no reject predicate',
};

const loopKeys = {
  policy: z.enum(['replace', 'augment', 'accumulate']).default('accumulate'),
  samples: z.number().int().positive('samples (rounds per generation) must be ≥ 1').default(1).describe('rounds per generation; 1 is the classic urn'),
};

type UrnSettings = Settings<typeof sections, typeof loopKeys>;

function optionsOf(settings: UrnSettings): UrnOptions {
  const { rates, reported, corrected, balls } = settings.model;
  return { prior: settings.init.counts, rates, reported, corrected, balls, reward: settings.reward };
}

/** One seed's experiment; real data are rounds where attention follows the true shares, found incidents weighed 1. */
function setup(settings: UrnSettings, key: Key): Experiment<UrnModel, Rounds> {
  const o = optionsOf(settings);
  const fam = urn(o);
  const initial: UrnModel = { counts: [...o.prior] };
  const truth: UrnModel = { counts: trueShares(o.rates) };
  const honest = urn({ ...o, corrected: false, reward: undefined });
  return { family: fam, initial, realData: honest.sample(truth, settings.loop.samples(1), PLAIN, key), drawReal: (n, kk) => honest.sample(truth, n, PLAIN, kk) };
}

export const entry = defineFamily({
  name: 'urn',
  description: 'the predictive-policing urn: attention follows belief, belief grows where attention finds incidents',
  collapse: 'all attention on one region: the other regions’ counts are 0',
  sections,
  supports,
  loop: loopKeys,
  check(settings, issue) {
    const k = settings.model.rates.length;
    if (settings.init.counts.length !== k) issue(['init', 'counts'], `expected ${k} regions (one per model.rates entry)`);
    if (settings.reward && settings.reward.length !== k) issue(['reward'], `expected ${k} values (one per region)`);
  },
  setup: (settings, _resources, key) => setup(settings, key),
  block: (settings) => urnBlock(optionsOf(settings), settings.loop, (key) => setup(settings, key).realData.total),
  theory(settings) {
    const { rates, reported, corrected, balls } = settings.model;
    const plainLoop = applies({ policies: ['accumulate'] }, settings.loop);
    const two = rates.length === 2;
    const polya = two && !corrected && reported === 0 && rates[0] === rates[1] && rates[0]! > 0;
    const c = settings.init.counts;
    // Pólya: each round adds c balls with probability λ to the drawn colour, which rescales
    // time and leaves the Beta(a/c, b/c) limit unchanged; E[share0] stays a/(a + b) (a martingale).
    const beta = plainLoop && polya && c[0]! > 0 && c[1]! > 0 ? polyaLimit(c[0]!, c[1]!, balls) : null;
    return {
      trueShare0: trueShares(rates)[0]!,
      share0Limit: plainLoop && two ? limitingShare([rates[0]!, rates[1]!], reported, corrected) : null,
      share0BetaAlpha: beta?.alpha ?? null,
      share0BetaBeta: beta?.beta ?? null,
    };
  },
});
