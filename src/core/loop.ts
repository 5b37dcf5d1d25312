// The feedback loop (docs/architecture.md, "The loop"), one generator for every family:
//   model_t = fit(train_t),  train_t = policy(filter(sample(model_{t-1})), real data).
import type { Family, Sampling } from './family.ts';
import type { Filter } from './filters.ts';
import { drawFiltered } from './filters.ts';
import { splitAt, type Key } from './random.ts';
import { generationKey } from './seeds.ts';

export type Policy = 'replace' | 'augment' | 'accumulate';

/** n per generation: a number, or steps `{ from: generation, n }` (n holds from `from` on). */
export type SampleSpec = number | readonly { readonly from: number; readonly n: number }[];

/** The schedule t ↦ n of a SampleSpec (steps sorted by `from`; before the first, its n). */
export function scheduleOf(spec: SampleSpec): (generation: number) => number {
  if (typeof spec === 'number') return () => spec;
  const steps = [...spec].sort((a, b) => a.from - b.from);
  return (t) => {
    let n = steps[0]!.n;
    for (const s of steps) if (s.from <= t) n = s.n;
    return n;
  };
}

/** The knobs of the loop, already validated (config/ turns raw input into this). */
export interface LoopOptions {
  readonly generations: number;
  /** n: training items per generation at generation t ≥ 1 (a number or a schedule). */
  readonly samples: (generation: number) => number;
  /** n when the config gave one number for every generation (closed forms need it), else undefined. */
  readonly constantSamples: number | undefined;
  readonly sampling: Sampling;
  readonly policy: Policy;
  /** accumulate: keep only the last W generations' data (undefined = all). */
  readonly accumulateWindow?: number | undefined;
  /** λ: share of each generation's n that is fresh real data (grounding). */
  readonly realFraction: number;
  readonly training: 'scratch' | 'finetune';
  /** Fine-tuning keeps this share of the previous model (families that mix models; 0 = refit). */
  readonly finetuneKeep: number;
  readonly filter: Filter;
  readonly stopWhenCollapsed: boolean;
}

/** What a family's setup supplies for one seed: the family, generation 0 and the real data. */
export interface Experiment<M, D> {
  readonly family: Family<M, D>;
  readonly initial: M;
  /** The fixed real data set `augment` trains on beside each synthetic sample. */
  readonly realData: D;
  /** n fresh real items (grounding); uses `key` for the draw. */
  drawReal(n: number, key: Key): D;
  readonly heldOut?: D;
}

/** Everything needed to continue a loop exactly: model, generation and accumulated data. */
export interface LoopState<M, D> {
  readonly generation: number;
  readonly model: M;
  readonly history: readonly D[];
  readonly collapsed: boolean;
  /** The data this generation was trained on (absent for generation 0 and after a resume). */
  readonly train?: D;
}

/**
 * Whether a collapsed model of `family` can never leave collapse under these options, so that
 * stopping a seed at collapse and carrying its values forward is exact: the family's collapse
 * is absorbing (support-based) and no real data enters the training data.
 */
export function collapseIsAbsorbing(family: Pick<Family<unknown, unknown>, 'absorbing'>, opts: LoopOptions): boolean {
  return family.absorbing && opts.realFraction === 0 && opts.policy !== 'augment';
}

/**
 * Runs the loop for one seed, yielding generation 0 (the initial model) and then each
 * generation's state. Generation t uses the key foldIn(seedKey, t), split into independent
 * streams for the synthetic draw, the real draw and the fit, so resuming from any yielded
 * state with the same seedKey continues bit-identically.
 */
export function* loop<M, D>(exp: Experiment<M, D>, opts: LoopOptions, seedKey: Key, start?: LoopState<M, D>): Generator<LoopState<M, D>> {
  const { family } = exp;
  let state: LoopState<M, D> = start ?? { generation: 0, model: exp.initial, history: [], collapsed: family.collapsed(exp.initial) };
  if (!start) yield state;
  const stop = opts.stopWhenCollapsed && collapseIsAbsorbing(family, opts);
  while (state.generation < opts.generations && !(stop && state.collapsed)) {
    const t = state.generation + 1;
    // Streams split(kGen, 3) = [synthetic, real, fit], each derived only when used (splitAt).
    const kGen = generationKey(seedKey, t);
    const n = opts.samples(t);
    const nReal = Math.round(opts.realFraction * n);
    const parts: D[] = [];
    if (n - nReal > 0) parts.push(drawFiltered(family, state.model, n - nReal, opts.sampling, opts.filter, splitAt(kGen, 0)));
    if (nReal > 0) parts.push(exp.drawReal(nReal, splitAt(kGen, 1)));
    const fresh = family.concat(parts);
    let history = state.history;
    let train: D;
    if (opts.policy === 'accumulate') {
      history = [...history, fresh];
      if (opts.accumulateWindow !== undefined) history = history.slice(-opts.accumulateWindow);
      train = family.concat(history);
    } else {
      train = opts.policy === 'augment' ? family.concat([exp.realData, fresh]) : fresh;
    }
    const from = opts.training === 'finetune' ? { from: state.model } : {};
    const model = family.fit(train, { key: splitAt(kGen, 2), ...from });
    state = { generation: t, model, history, collapsed: family.collapsed(model), train };
    yield state;
  }
}
