// Many seeds of the categorical loop at once, over typed arrays (one row of k shares per
// seed), instead of one generator per seed. Each seed keeps its own keys and every step does
// the arithmetic of loop() with this family in the same order, so every record is
// bit-identical to the per-seed path (src/runner/block.test.ts compares them).
import { collapseIsAbsorbing, type LoopOptions } from '../../core/loop.ts';
import { Rng, rngSeedInto, threefryInto, type Key } from '../../core/random.ts';
import { multinomial } from '../../core/samplers.ts';
import { isPlain, transform } from '../../core/transforms.ts';
import type { BlockSink, SeedBlock } from '../entry.ts';
import { categorical, type CategoricalModel, type CategoricalOptions } from './index.ts';

/** The block stepper for these options, or undefined where only the generic loop applies (filters, windows). */
export function categoricalBlock(init: readonly number[], opts: CategoricalOptions, loop: LoopOptions, setupReal: (setupKey: Key) => readonly number[]): SeedBlock | undefined {
  if (loop.filter.kind !== 'none' || (loop.policy === 'accumulate' && loop.accumulateWindow !== undefined)) return undefined;
  const family = categorical(opts);
  const initial: CategoricalModel = { probs: [...init] };
  return (seedKeys, setupKeys, recorded, sink) => new Block(family, initial, opts, loop, seedKeys, loop.policy === 'augment' ? setupKeys.map(setupReal) : []).run(recorded, sink);
}

// The high counter word of splitAt (2^32 − 1), as the int32 threefryInto takes.
const SPLIT = 0xffffffff | 0;

class Block {
  private readonly k: number;
  private readonly probs: Float64Array; // seed i's model: probs[i·k … i·k + k)
  private readonly history: Float64Array; // accumulate: the counts of every generation so far
  private readonly real: Float64Array; // augment: each seed's fixed real data
  private readonly seedKeys: Int32Array; // seed i's key: words 2i, 2i + 1
  // Per live seed j (words 2j, 2j + 1): its generation key, then the Threefry blocks its Rngs
  // start from. Each is derived for every live seed in one pass: the passes are independent
  // across seeds, so the CPU overlaps them instead of waiting on one seed's chain of hashes.
  private readonly kGen: Int32Array;
  private readonly kSyn: Int32Array;
  private readonly kReal: Int32Array;
  private readonly rng = new Rng([0, 0]);
  private readonly p: Float64Array;
  private readonly syn: number[];
  private readonly fresh: number[];
  private readonly drawn: number[];
  private readonly suffix: Float64Array; // multinomial's scratch

  constructor(
    private readonly family: ReturnType<typeof categorical>,
    private readonly initial: CategoricalModel,
    private readonly opts: CategoricalOptions,
    private readonly loop: LoopOptions,
    seedKeys: readonly Key[],
    realData: readonly (readonly number[])[],
  ) {
    const k = (this.k = initial.probs.length);
    const b = seedKeys.length;
    this.seedKeys = new Int32Array(2 * b);
    seedKeys.forEach((key, i) => this.seedKeys.set([key[0] | 0, key[1] | 0], 2 * i));
    this.kGen = new Int32Array(2 * b);
    this.kSyn = new Int32Array(2 * b);
    this.kReal = new Int32Array(2 * b);
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

  run(recorded: readonly number[], sink: BlockSink): void {
    const { loop } = this;
    const b = this.seedKeys.length / 2;
    const stop = loop.stopWhenCollapsed && collapseIsAbsorbing(this.family, loop);
    const collapsedAt = new Array<number | null>(b).fill(null);
    let live: number[] = [];
    const collapsed0 = this.family.collapsed(this.initial);
    const m0 = this.family.metrics(this.initial, { initial: this.initial });
    for (let i = 0; i < b; i++) {
      if (collapsed0) collapsedAt[i] = 0;
      sink.record(i, 0, m0);
      if (stop && collapsed0) this.end(sink, i, 0, collapsedAt[i]!, true, m0);
      else live.push(i);
    }
    let next = recorded.findIndex((g) => g >= 1);
    for (let t = 1; t <= loop.generations && live.length > 0; t++) {
      const isRecorded = next >= 0 && recorded[next] === t;
      if (isRecorded) next = next + 1 < recorded.length ? next + 1 : -1;
      const n = loop.samples(t);
      const nReal = Math.round(loop.realFraction * n);
      const still: number[] = [];
      this.keysOf(live, t, n - nReal, nReal);
      for (let j = 0; j < live.length; j++) {
        const i = live[j]!;
        const collapsed = this.step(i, j, n - nReal, nReal);
        if (collapsed && collapsedAt[i] === null) collapsedAt[i] = t;
        const m = isRecorded ? this.metrics(i) : undefined;
        if (m) sink.record(i, t, m);
        if ((stop && collapsed) || t === loop.generations) this.end(sink, i, t, collapsedAt[i]!, collapsed, m ?? this.metrics(i));
        else still.push(i);
      }
      live = still;
      sink.progress?.(t);
    }
  }

  /** Every key generation t of the `live` seeds needs, as loop() derives them, one pass per step of the derivation. */
  private keysOf(live: readonly number[], t: number, nSyn: number, nReal: number): void {
    const { seedKeys, kGen, kSyn, kReal } = this;
    const n = live.length;
    const lo = t | 0;
    const hi = Math.floor(t / 0x100000000) | 0;
    for (let j = 0; j < n; j++) threefryInto(seedKeys[2 * live[j]!]!, seedKeys[2 * live[j]! + 1]!, lo, hi, kGen, 2 * j); // generationKey(seedKey, t) = foldIn(seedKey, t), inlined over the block
    if (nSyn > 0) {
      for (let j = 0; j < 2 * n; j += 2) threefryInto(kGen[j]!, kGen[j + 1]!, 0, SPLIT, kSyn, j); // splitAt(kGen, 0): the synthetic stream
      for (let j = 0; j < 2 * n; j += 2) threefryInto(kSyn[j]!, kSyn[j + 1]!, 0, SPLIT, kSyn, j); // splitAt(·, 0): drawFiltered's draw key
      for (let j = 0; j < 2 * n; j += 2) rngSeedInto(kSyn[j]!, kSyn[j + 1]!, kSyn, j);
    }
    if (nReal > 0) {
      for (let j = 0; j < 2 * n; j += 2) threefryInto(kGen[j]!, kGen[j + 1]!, 1, SPLIT, kReal, j); // splitAt(kGen, 1): the real stream
      for (let j = 0; j < 2 * n; j += 2) rngSeedInto(kReal[j]!, kReal[j + 1]!, kReal, j);
    }
  }

  /** Generation t of seed i (live seed j, its keys from keysOf), as loop() does it: returns whether the new model is collapsed. */
  private step(i: number, j: number, nSyn: number, nReal: number): boolean {
    const { k, rng, loop, probs } = this;
    const at = i * k;
    let parts = 0;
    if (nSyn > 0) {
      for (let o = 0; o < k; o++) this.p[o] = probs[at + o]!;
      const p = isPlain(loop.sampling) ? this.p : transform(this.p, loop.sampling);
      multinomial(rng.start(this.kSyn[2 * j]!, this.kSyn[2 * j + 1]!), nSyn, p, this.syn, this.suffix);
      parts++;
    }
    if (nReal > 0) {
      multinomial(rng.start(this.kReal[2 * j]!, this.kReal[2 * j + 1]!), nReal, this.initial.probs, this.drawn, this.suffix);
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

  // Seed i's model for the family's metrics and final descriptors, which read it and keep
  // nothing of it: one array refilled per call instead of one allocated per recorded row.
  private readonly shown: number[];
  private model(i: number): CategoricalModel {
    for (let o = 0; o < this.k; o++) this.shown[o] = this.probs[i * this.k + o]!;
    return { probs: this.shown };
  }

  private metrics(i: number): Record<string, number> {
    return this.family.metrics(this.model(i), { initial: this.initial });
  }

  private end(sink: BlockSink, i: number, generation: number, collapsedAt: number | null, collapsedAtEnd: boolean, metrics: Record<string, number>): void {
    sink.end(i, generation, collapsedAt, collapsedAtEnd, this.family.final?.(this.model(i)) ?? {}, metrics);
  }
}
