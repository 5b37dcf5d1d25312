// A categorical distribution over k outcomes (a coin is k = 2): the model is a probability
// vector, the data are counts. Unsmoothed by default on purpose: an outcome that draws zero
// counts goes extinct and stays extinct; that extinction is the collapse we measure.
import { z } from 'zod';
import type { Family } from '../../core/family.ts';
import { PLAIN } from '../../core/family.ts';
import type { Experiment } from '../../core/loop.ts';
import { Rng, split, type Key } from '../../core/random.ts';
import { multinomial, subsampleCounts } from '../../core/samplers.ts';
import { isPlain, transform } from '../../core/transforms.ts';
import { kl, tv } from '../../metrics/divergence.ts';
import { entropy, entropyBits, giniSimpson, support } from '../../metrics/entropy.ts';
import { defineFamily, type LoopSupport, type Settings } from '../entry.ts';
import { categoricalTheory } from '../../theory/categorical.ts';
import { categoricalBlock } from './block.ts';
import { categoricalEcosystemTheory, categoricalHooks, categoricalMismatch } from './ecosystem.ts';

export interface CategoricalModel {
  readonly probs: readonly number[];
}
/** counts[i] = how many items are outcome i; items are ordered by outcome. */
export type Counts = readonly number[];

export interface CategoricalOptions {
  /** add-α smoothing of the refit (0 = maximum likelihood). */
  readonly smoothing: number;
  /** fine-tuning keeps this share of the previous model: p′ = m·p_prev + (1 − m)·p̂. */
  readonly finetuneKeep: number;
  /** per-outcome reward for curation (filter by: reward). */
  readonly reward?: readonly number[] | undefined;
  /** outcomes the `reject` filter drops. */
  readonly reject?: readonly number[] | undefined;
}

/** The categorical family with these options. */
export function categorical(opts: CategoricalOptions): Family<CategoricalModel, Counts> {
  const { smoothing: alpha, finetuneKeep: m } = opts;
  const perItem = (data: Counts, value: (outcome: number) => number): Float64Array => {
    const out = new Float64Array(total(data));
    let j = 0;
    data.forEach((c, i) => out.fill(value(i), j, (j += c)));
    return out;
  };
  return {
    name: 'categorical',
    size: total,
    concat(parts) {
      if (parts.length === 1) return parts[0]!; // data are readonly, so sharing is safe
      const out = new Array<number>(parts[0]?.length ?? 0).fill(0);
      for (const p of parts) p.forEach((c, i) => (out[i]! += c));
      return out;
    },
    subsample: (data, n, key) => subsampleCounts(data, n, key), // items are ordered by outcome
    fit(data, { from }) {
      const n = total(data);
      const k = data.length;
      const denom = n + k * alpha;
      if (denom <= 0) throw new RangeError('categorical fit: no data and no smoothing; train on at least one item');
      // Plain loops, not map: fit runs once per generation per seed (see bench/coin.ts).
      const probs = new Array<number>(k); // sized up front: cheaper than growing [] (V8)
      for (let i = 0; i < k; i++) probs[i] = (data[i]! + alpha) / denom;
      if (from && m > 0) for (let i = 0; i < k; i++) probs[i] = m * from.probs[i]! + (1 - m) * probs[i]!;
      return { probs };
    },
    sample(model, n, how, key) {
      const p = isPlain(how) ? model.probs : transform(Float64Array.from(model.probs), how);
      return multinomial(new Rng(key), n, p, new Array<number>(p.length)); // multinomial writes every entry
    },
    logLikelihood: (model, data) => perItem(data, (i) => Math.log(model.probs[i]!)),
    metrics(model, { initial }) {
      const p = model.probs;
      let mode = 0;
      p.forEach((q, i) => q > p[mode]! && (mode = i));
      return {
        entropy: entropy(p),
        entropyBits: entropyBits(p),
        giniSimpson: giniSimpson(p),
        support: support(p),
        kl: kl(p, initial.probs),
        tv: tv(p, initial.probs),
        p0: p[0]!,
        pmax: p[mode]!,
        ...(opts.reward ? { reward: p.reduce((s, q, i) => s + q * opts.reward![i]!, 0) } : {}),
      };
    },
    collapsed: (model) => support(model.probs) === 1,
    absorbing: true, // an outcome of probability 0 is never drawn again
    final: (model) => ({ fixedOn: support(model.probs) === 1 ? model.probs.findIndex((q) => q > 0) : null }),
    ...(opts.reward ? { reward: (data: Counts) => perItem(data, (i) => opts.reward![i]!) } : {}),
    ...(opts.reject ? { accept: (data: Counts) => Uint8Array.from(perItem(data, (i) => (opts.reject!.includes(i) ? 0 : 1))) } : {}),
    select(data, indices) {
      const out = new Array<number>(data.length).fill(0);
      const ends: number[] = [];
      data.reduce((acc, c) => (ends.push(acc + c), acc + c), 0);
      for (let j = 0; j < indices.length; j++) {
        const idx = indices[j]!;
        let i = 0;
        while (ends[i]! <= idx) i++;
        out[i]!++;
      }
      return out;
    },
  };
}

function total(data: Counts): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) n += data[i]!;
  return n;
}

const probsSchema = z
  .array(z.number().nonnegative('probabilities must be ≥ 0'))
  .min(2, 'give at least two outcomes (a coin is [0.5, 0.5])')
  .refine((p) => Math.abs(p.reduce((s, q) => s + q, 0) - 1) <= 1e-9, { message: 'probabilities must sum to 1 (within 1e-9)' });

const sections = {
  init: z.strictObject({ probs: probsSchema }).describe('the true distribution; generation 0 is this model'),
  model: z.strictObject({ smoothing: z.number().nonnegative().default(0) }).default({ smoothing: 0 }),
  reward: z.array(z.number().finite('rewards must be finite numbers')).optional().describe('reward per outcome, for filter by: reward'),
  reject: z.array(z.number().int().nonnegative()).optional().describe('outcomes the reject filter drops'),
};

/** Every loop setting applies to a categorical: it is the family the loop was first written for. */
const supports: LoopSupport = {
  unit: 'outcome',
  samples: true,
  temperature: true,
  truncation: true,
  finetune: true,
  finetuneKeep: true,
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: true,
  reward: true,
  reject: true,
};

export type CategoricalSettings = Settings<typeof sections>;

function optionsOf(settings: CategoricalSettings): CategoricalOptions {
  return { smoothing: settings.model.smoothing, finetuneKeep: settings.loop.finetuneKeep, reward: settings.reward, reject: settings.reject };
}

/** One seed's experiment; the real data (n of generation 1, drawn with `key`) is what augment trains beside. */
function setup(settings: CategoricalSettings, key: Key): Experiment<CategoricalModel, Counts> {
  const family = categorical(optionsOf(settings));
  const initial: CategoricalModel = { probs: [...settings.init.probs] };
  const [kReal] = split(key, 1);
  return {
    family,
    initial,
    realData: family.sample(initial, settings.loop.samples(1), PLAIN, kReal!),
    drawReal: (n, k2) => family.sample(initial, n, PLAIN, k2),
  };
}

export const entry = defineFamily({
  name: 'categorical',
  description: 'a k-outcome categorical distribution (k = 2 is a coin); data are counts',
  collapse: 'one outcome left: the model is a point mass',
  sections,
  supports,
  theory: categoricalTheory,
  blockSeeds: 64,
  block: (settings) => categoricalBlock(settings.init.probs, optionsOf(settings), settings.loop, (key) => setup(settings, key).realData),
  check(settings, issue) {
    const k = settings.init.probs.length;
    if (settings.reward && settings.reward.length !== k) issue(['reward'], `expected ${k} values (one per outcome)`);
    if (settings.reject?.some((i) => i >= k)) issue(['reject'], `outcome indices must be < ${k}`);
  },
  setup: (settings, _resources, key) => setup(settings, key),
  ecosystem: { drift: true, hooks: () => categoricalHooks, mismatch: categoricalMismatch, theory: categoricalEcosystemTheory },
});
