// What every block stepper shares (many seeds of one family stepped together over typed
// arrays, docs/architecture.md): the keys loop() derives for each seed and generation, and
// the walk over generations that records, stops and ends seeds exactly as loop() and the
// runner do per seed. A family's stepper supplies one seed's step and its model.
import { collapseIsAbsorbing, type LoopOptions } from '../core/loop.ts';
import { Rng, rngSeedInto, threefryInto, type Key } from '../core/random.ts';
import type { Family } from '../core/family.ts';
import type { BlockSink } from './entry.ts';

// The high counter word of splitAt (2^32 − 1), as the int32 threefryInto takes.
const SPLIT = 0xffffffff | 0;

export abstract class BlockStepper<M> {
  protected readonly seeds: number;
  private readonly seedKeys: Int32Array; // seed i's key: words 2i, 2i + 1
  // Per live seed j (words 2j, 2j + 1): its generation key, then the Threefry blocks its Rngs
  // start from. Each is derived for every live seed in one pass: the passes are independent
  // across seeds, so the CPU overlaps them instead of waiting on one seed's chain of hashes.
  private readonly kGen: Int32Array;
  private readonly kSyn: Int32Array;
  private readonly kReal: Int32Array;
  private readonly rng = new Rng([0, 0]);

  constructor(
    protected readonly family: Family<M, unknown>,
    protected readonly initial: M,
    protected readonly loop: LoopOptions,
    seedKeys: readonly Key[],
  ) {
    const b = (this.seeds = seedKeys.length);
    this.seedKeys = new Int32Array(2 * b);
    seedKeys.forEach((key, i) => this.seedKeys.set([key[0] | 0, key[1] | 0], 2 * i));
    this.kGen = new Int32Array(2 * b);
    this.kSyn = new Int32Array(2 * b);
    this.kReal = new Int32Array(2 * b);
  }

  /** Generation t of seed i (live seed j) from nSyn synthetic and nReal real items, as loop() does it: returns whether the new model is collapsed. */
  protected abstract step(i: number, j: number, nSyn: number, nReal: number): boolean;
  /** Seed i's model, for the family's metrics and final descriptors (which keep nothing of it). */
  protected abstract model(i: number): M;

  /** The generator loop() samples live seed j's synthetic items with (the stream drawFiltered's draw uses). */
  protected syntheticRng(j: number): Rng {
    return this.rng.start(this.kSyn[2 * j]!, this.kSyn[2 * j + 1]!);
  }

  /** The generator loop() draws live seed j's real items with (exp.drawReal's stream). */
  protected realRng(j: number): Rng {
    return this.rng.start(this.kReal[2 * j]!, this.kReal[2 * j + 1]!);
  }

  run(recorded: readonly number[], sink: BlockSink): void {
    const { loop } = this;
    const b = this.seeds;
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

  private metrics(i: number): Record<string, number> {
    return this.family.metrics(this.model(i), { initial: this.initial });
  }

  private end(sink: BlockSink, i: number, generation: number, collapsedAt: number | null, collapsedAtEnd: boolean, metrics: Record<string, number>): void {
    sink.end(i, generation, collapsedAt, collapsedAtEnd, this.family.final?.(this.model(i)) ?? {}, metrics);
  }
}
