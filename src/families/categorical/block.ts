// Many seeds of the categorical loop at once, over typed arrays (one row of k shares per
// seed), instead of one generator per seed. Each seed keeps its own keys and every step does
// the arithmetic of loop() with this family in the same order, so every record is
// bit-identical to the per-seed path (src/runner/block.test.ts compares them).
import type { LoopOptions } from '../../core/loop.ts';
import type { Key } from '../../core/random.ts';
import { multinomial } from '../../core/samplers.ts';
import { isPlain, transform } from '../../core/transforms.ts';
import { BlockStepper } from '../block-stepper.ts';
import type { SeedBlock } from '../entry.ts';
import { categorical, type CategoricalModel, type CategoricalOptions } from './index.ts';

/** The block stepper for these options, or undefined where only the generic loop applies (filters, windows). */
export function categoricalBlock(init: readonly number[], opts: CategoricalOptions, loop: LoopOptions, setupReal: (setupKey: Key) => readonly number[]): SeedBlock | undefined {
  if (loop.filter.kind !== 'none' || (loop.policy === 'accumulate' && loop.accumulateWindow !== undefined)) return undefined;
  const family = categorical(opts);
  const initial: CategoricalModel = { probs: [...init] };
  return (seedKeys, setupKeys, recorded, sink) => new Block(family, initial, opts, loop, seedKeys, loop.policy === 'augment' ? setupKeys.map(setupReal) : []).run(recorded, sink);
}

class Block extends BlockStepper<CategoricalModel> {
  private readonly k: number;
  private readonly probs: Float64Array; // seed i's model: probs[i·k … i·k + k)
  private readonly history: Float64Array; // accumulate: the counts of every generation so far
  private readonly real: Float64Array; // augment: each seed's fixed real data
  private readonly p: Float64Array;
  private readonly syn: number[];
  private readonly fresh: number[];
  private readonly drawn: number[];
  private readonly suffix: Float64Array; // multinomial's scratch
  private readonly shown: number[];

  constructor(
    family: ReturnType<typeof categorical>,
    initial: CategoricalModel,
    private readonly opts: CategoricalOptions,
    loop: LoopOptions,
    seedKeys: readonly Key[],
    realData: readonly (readonly number[])[],
  ) {
    super(family, initial, loop, seedKeys);
    const k = (this.k = initial.probs.length);
    const b = seedKeys.length;
    this.probs = new Float64Array(b * k);
    for (let i = 0; i < b; i++) this.probs.set(initial.probs, i * k);
    this.history = new Float64Array(loop.policy === 'accumulate' ? b * k : 0);
    this.real = new Float64Array(loop.policy === 'augment' ? b * k : 0);
    if (loop.policy === 'augment') realData.forEach((r, i) => this.real.set(r, i * k));
    this.p = new Float64Array(k);
    this.syn = new Array<number>(k).fill(0);
    this.fresh = new Array<number>(k).fill(0);
    this.drawn = new Array<number>(k).fill(0);
    this.suffix = new Float64Array(k);
    this.shown = new Array<number>(k).fill(0);
  }

  protected step(i: number, j: number, nSyn: number, nReal: number): boolean {
    const { k, loop, probs } = this;
    const at = i * k;
    let parts = 0;
    if (nSyn > 0) {
      for (let o = 0; o < k; o++) this.p[o] = probs[at + o]!;
      const p = isPlain(loop.sampling) ? this.p : transform(this.p, loop.sampling);
      multinomial(this.syntheticRng(j), nSyn, p, this.syn, this.suffix);
      parts++;
    }
    if (nReal > 0) {
      multinomial(this.realRng(j), nReal, this.initial.probs, this.drawn, this.suffix);
      parts++;
    }
    const fresh = this.fresh;
    for (let j = 0; j < k; j++) fresh[j] = parts === 2 ? this.syn[j]! + this.drawn[j]! : nSyn > 0 ? this.syn[j]! : this.drawn[j]!;
    if (loop.policy === 'augment') for (let j = 0; j < k; j++) fresh[j] = this.real[at + j]! + fresh[j]!;
    else if (loop.policy === 'accumulate') for (let j = 0; j < k; j++) fresh[j] = this.history[at + j] = this.history[at + j]! + fresh[j]!;
    return this.fit(at, fresh);
  }

  /** The family's fit (categorical/index.ts) into row `at`; counts are integers, so their sums are exact in any order. */
  private fit(at: number, data: readonly number[]): boolean {
    const { k, probs } = this;
    const { smoothing: alpha, finetuneKeep: m } = this.opts;
    let n = 0;
    for (let j = 0; j < k; j++) n += data[j]!;
    const denom = n + k * alpha;
    if (denom <= 0) throw new RangeError('categorical fit: no data and no smoothing; train on at least one item');
    const finetune = this.loop.training === 'finetune' && m > 0;
    let support = 0;
    for (let j = 0; j < k; j++) {
      const fitted = (data[j]! + alpha) / denom;
      const p = finetune ? m * probs[at + j]! + (1 - m) * fitted : fitted;
      probs[at + j] = p;
      if (p > 0) support++;
    }
    return support === 1;
  }

  protected model(i: number): CategoricalModel {
    for (let o = 0; o < this.k; o++) this.shown[o] = this.probs[i * this.k + o]!;
    return { probs: this.shown };
  }
}
