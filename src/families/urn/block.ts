// Many seeds of the urn at once, over typed arrays (one row of k ball counts per seed), instead
// of one generator per seed. Each seed keeps its own keys and every step does the arithmetic
// of loop() with this family in the same order (the rounds of urn/index.ts, their totals, the
// policy's sum, the refit), so every record is bit-identical to the per-seed path
// (src/runner/block.test.ts compares them).
import type { LoopOptions } from '../../core/loop.ts';
import type { Key, Rng } from '../../core/random.ts';
import { categorical } from '../../core/samplers.ts';
import { isPlain, transform } from '../../core/transforms.ts';
import { trueShares } from '../../theory/urn.ts';
import { BlockStepper } from '../block-stepper.ts';
import type { SeedBlock } from '../entry.ts';
import { urn, type UrnModel, type UrnOptions } from './index.ts';

/** The block stepper for these options, or undefined where only the generic loop applies (filters, windows). */
export function urnBlock(opts: UrnOptions, loop: LoopOptions, setupReal: (setupKey: Key) => Float64Array): SeedBlock | undefined {
  if (loop.filter.kind !== 'none' || (loop.policy === 'accumulate' && loop.accumulateWindow !== undefined)) return undefined;
  const family = urn(opts);
  return (seedKeys, setupKeys, recorded, sink) => new Block(family, opts, loop, seedKeys, loop.policy === 'augment' ? setupKeys.map(setupReal) : []).run(recorded, sink);
}

class Block extends BlockStepper<UrnModel> {
  private readonly k: number;
  private readonly counts: Float64Array; // seed i's belief: counts[i·k … i·k + k)
  private readonly history: Float64Array; // accumulate: the totals of every generation so far
  private readonly real: Float64Array; // augment: the totals of each seed's fixed real rounds
  private readonly truth: Float64Array; // the shares real rounds attend by (the honest urn's look)
  private readonly p: Float64Array;
  private readonly syn: Float64Array; // this generation's synthetic totals
  private readonly drawn: Float64Array; // this generation's real totals
  private readonly round: Float64Array; // one round's additions (when regions report)
  private readonly train: Float64Array;
  private readonly shown: number[];

  constructor(
    family: ReturnType<typeof urn>,
    private readonly opts: UrnOptions,
    loop: LoopOptions,
    seedKeys: readonly Key[],
    realData: readonly Float64Array[],
  ) {
    super(family, { counts: [...opts.prior] }, loop, seedKeys);
    const k = (this.k = opts.rates.length);
    const b = seedKeys.length;
    this.counts = new Float64Array(b * k);
    for (let i = 0; i < b; i++) this.counts.set(opts.prior, i * k);
    this.history = new Float64Array(loop.policy === 'accumulate' ? b * k : 0);
    this.real = new Float64Array(loop.policy === 'augment' ? b * k : 0);
    if (loop.policy === 'augment') realData.forEach((r, i) => this.real.set(r, i * k));
    this.truth = shares(Float64Array.from(trueShares(opts.rates)));
    this.p = new Float64Array(k);
    this.syn = new Float64Array(k);
    this.drawn = new Float64Array(k);
    this.round = new Float64Array(k);
    this.train = new Float64Array(k);
    this.shown = new Array<number>(k).fill(0);
  }

  protected step(i: number, j: number, nSyn: number, nReal: number): boolean {
    const { k, counts, loop, train } = this;
    const at = i * k;
    if (nSyn > 0) {
      for (let o = 0; o < k; o++) this.p[o] = counts[at + o]!;
      shares(this.p);
      const look = isPlain(loop.sampling) ? this.p : transform(this.p, loop.sampling);
      this.rounds(this.syntheticRng(j), nSyn, look, this.opts.corrected, this.syn);
    }
    if (nReal > 0) this.rounds(this.realRng(j), nReal, this.truth, false, this.drawn);
    // concat of the parts, then of the policy's data: sums from 0 in the loop's order (0 + x = x for totals ≥ 0)
    for (let o = 0; o < k; o++) {
      const fresh = nSyn > 0 && nReal > 0 ? this.syn[o]! + this.drawn[o]! : nSyn > 0 ? this.syn[o]! : this.drawn[o]!;
      if (loop.policy === 'accumulate') train[o] = this.history[at + o] = this.history[at + o]! + fresh;
      else train[o] = loop.policy === 'augment' ? this.real[at + o]! + fresh : fresh;
    }
    let support = 0;
    for (let o = 0; o < k; o++) {
      const c = (counts[at + o] = this.opts.prior[o]! + train[o]!);
      if (c > 0) support++;
    }
    return support === 1;
  }

  /** n rounds attending by `look` into `total` (per-region sums in round order), as urn/index.ts draws and totals them. */
  private rounds(rng: Rng, n: number, look: Float64Array, corrected: boolean, total: Float64Array): void {
    const { k, round } = this;
    const { rates, reported, balls } = this.opts;
    total.fill(0);
    for (let r = 0; r < n; r++) {
      const v = categorical(rng, look);
      if (reported === 0) {
        if (rng.float() < rates[v]!) total[v]! += corrected ? balls / look[v]! : balls;
        continue;
      }
      round.fill(0);
      if (rng.float() < rates[v]!) round[v]! += corrected ? balls / look[v]! : balls;
      for (let o = 0; o < k; o++) if (rng.float() < reported * rates[o]!) round[o]! += balls;
      for (let o = 0; o < k; o++) total[o]! += round[o]!;
    }
  }

  protected model(i: number): UrnModel {
    for (let o = 0; o < this.k; o++) this.shown[o] = this.counts[i * this.k + o]!;
    return { counts: this.shown };
  }
}

/** Counts to shares in place, as urn/index.ts's shares: the sum in order from 0, then each over it. */
function shares(p: Float64Array): Float64Array {
  let s = 0;
  for (let o = 0; o < p.length; o++) s += p[o]!;
  for (let o = 0; o < p.length; o++) p[o] = p[o]! / s;
  return p;
}
