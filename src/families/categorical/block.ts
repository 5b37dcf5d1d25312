// Many seeds of the categorical loop at once, over typed arrays (one row of k shares per
// seed), instead of one generator per seed. Each seed keeps its own keys and every step does
// the arithmetic of loop() with this family in the same order, so every record is
// bit-identical to the per-seed path (src/runner/block.test.ts compares them).
import { collapseIsAbsorbing, type LoopOptions } from '../../core/loop.ts';
import { Rng, threefryInto, type Key } from '../../core/random.ts';
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

class Block {
  private readonly k: number;
  private readonly probs: Float64Array; // seed i's model: probs[i·k … i·k + k)
  private readonly history: Float64Array; // accumulate: the counts of every generation so far
  private readonly real: Float64Array; // augment: each seed's fixed real data
  private readonly keys = new Int32Array(6); // kGen, kSyn, kDraw of the seed being stepped
  private readonly rng = new Rng([0, 0]);
  private readonly p: Float64Array;
  private readonly syn: number[];
  private readonly fresh: number[];
  private readonly drawn: number[];

  constructor(
    private readonly family: ReturnType<typeof categorical>,
    private readonly initial: CategoricalModel,
    private readonly opts: CategoricalOptions,
    private readonly loop: LoopOptions,
    private readonly seedKeys: readonly Key[],
    realData: readonly (readonly number[])[],
  ) {
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
  }

  run(recorded: readonly number[], sink: BlockSink): void {
    const { loop } = this;
    const b = this.seedKeys.length;
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
      for (const i of live) {
        const collapsed = this.step(i, t, n - nReal, nReal);
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

  /** Generation t of seed i, as loop() does it: returns whether the new model is collapsed. */
  private step(i: number, t: number, nSyn: number, nReal: number): boolean {
    const { k, keys, rng, loop, probs } = this;
    const at = i * k;
    const key = this.seedKeys[i]!;
    threefryInto(key[0], key[1], t >>> 0, Math.floor(t / 0x100000000), keys, 0); // kGen = foldIn(seedKey, t)
    let parts = 0;
    if (nSyn > 0) {
      threefryInto(keys[0]!, keys[1]!, 0, 0xffffffff, keys, 2); // splitAt(kGen, 0): the synthetic stream
      threefryInto(keys[2]!, keys[3]!, 0, 0xffffffff, keys, 4); // splitAt(·, 0): drawFiltered's draw key
      for (let j = 0; j < k; j++) this.p[j] = probs[at + j]!;
      const p = isPlain(loop.sampling) ? this.p : transform(this.p, loop.sampling);
      multinomial(rng.reseed(keys[4]!, keys[5]!), nSyn, p, this.syn);
      parts++;
    }
    if (nReal > 0) {
      threefryInto(keys[0]!, keys[1]!, 1, 0xffffffff, keys, 2); // splitAt(kGen, 1): the real stream
      multinomial(rng.reseed(keys[2]!, keys[3]!), nReal, this.initial.probs, this.drawn);
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

  private model(i: number): CategoricalModel {
    return { probs: Array.from(this.probs.subarray(i * this.k, (i + 1) * this.k)) };
  }

  private metrics(i: number): Record<string, number> {
    return this.family.metrics(this.model(i), { initial: this.initial });
  }

  private end(sink: BlockSink, i: number, generation: number, collapsedAt: number | null, collapsedAtEnd: boolean, metrics: Record<string, number>): void {
    sink.end(i, generation, collapsedAt, collapsedAtEnd, this.family.final?.(this.model(i)) ?? {}, metrics);
  }
}
