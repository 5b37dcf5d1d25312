// The categorical family: the shared contract, then what neutral Wright–Fisher theory
// promises (docs/theory.md), through the real loop and setup.
// Seeds are foldIn(key(root), s) with setup keyed foldIn(seedKey, 0), as the runner does.
// Tolerances are 4 standard errors of the simulated estimate unless a comment says otherwise
// (two-sided, a correct loop fails by chance with probability 6e-5; keys are fixed).
import { describe, expect, it } from 'vitest';
import { describeFamilyContract } from '../../core/family-contract.test-support.ts';
import type { Sampling } from '../../core/family.ts';
import { PLAIN } from '../../core/family.ts';
import { loop, type Experiment, type LoopOptions, type LoopState } from '../../core/loop.ts';
import { foldIn, key, Rng } from '../../core/random.ts';
import { multinomial } from '../../core/samplers.ts';
import { temperature } from '../../core/transforms.ts';
import { tv } from '../../metrics/divergence.ts';
import { giniSimpson, support } from '../../metrics/entropy.ts';
import { settingsFor } from '../../config/schema.ts';
import { categorical, entry, type CategoricalModel, type Counts } from './index.ts';

interface Setup {
  readonly smoothing?: number;
  readonly finetuneKeep?: number;
  readonly samples: number;
}

function settingsOf(probs: readonly number[], s: Setup) {
  const keep = s.finetuneKeep ? { training: 'finetune', finetuneKeep: s.finetuneKeep } : {};
  return settingsFor(entry, { init: { probs }, model: { smoothing: s.smoothing ?? 0 }, loop: { samples: s.samples, ...keep } });
}

function experiment(probs: readonly number[], s: Setup, k = key(0), settings = settingsOf(probs, s)): Experiment<CategoricalModel, Counts> {
  return entry.setup(settings, undefined, k) as Experiment<CategoricalModel, Counts>;
}

function options(n: number, over: Partial<LoopOptions> = {}): LoopOptions {
  return { generations: 1, samples: () => n, constantSamples: n, sampling: PLAIN, policy: 'replace', realFraction: 0, training: 'scratch', finetuneKeep: 0, filter: { kind: 'none' }, stopWhenCollapsed: false, ...over };
}

/** Every yielded state of `seeds` seeds of the loop, one seed at a time. */
function* seedsOf(root: number, seeds: number, probs: readonly number[], s: Setup, opts: LoopOptions): Generator<LoopState<CategoricalModel, Counts>[]> {
  // Validated once: parsing the settings again for every seed cost most of these tests' time.
  const settings = settingsOf(probs, s);
  for (let i = 0; i < seeds; i++) {
    const seedKey = foldIn(key(root), i);
    yield [...loop(experiment(probs, s, foldIn(seedKey, 0), settings), opts, seedKey)];
  }
}

function meanSd(xs: readonly number[]): { mean: number; sd: number; se: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd, se: sd / Math.sqrt(xs.length) };
}

describeFamilyContract('categorical', () => experiment([0.5, 0.3, 0.2], { samples: 50, finetuneKeep: 0.5 }), {
  distance: (a, b) => tv(a.probs, b.probs),
  largeN: 1e6,
  // TV = ½ Σ|p̂_i − p_i| with sd(p̂_i) = sqrt(p_i(1 − p_i)/N) ≤ 5e-4: 5 sd on each of 3 outcomes.
  tolerance: 0.5 * 3 * 5 * 5e-4,
  models: () => [{ probs: [0.98, 0.01, 0.01] }, { probs: [0, 1, 0] }],
});

describe('categorical: fast paths match the obvious versions', () => {
  const fam = categorical({ smoothing: 0, finetuneKeep: 0 });
  it('sample equals a multinomial into a fresh Int32Array, copied out', () => {
    for (const probs of [[0.5, 0.5], [0.1, 0, 0.6, 0.3], [0, 1]]) {
      const k = foldIn(key(5), probs.length);
      expect(fam.sample({ probs }, 1000, PLAIN, k)).toEqual(Array.from(multinomial(new Rng(k), 1000, Float64Array.from(probs))));
    }
  });
  it('concat sums counts; a single part comes back as is', () => {
    expect(fam.concat([[1, 2, 0], [3, 0, 4]])).toEqual([4, 2, 4]);
    expect(fam.concat([[1, 2, 0]])).toEqual([1, 2, 0]);
  });
  it('fit on no data is an error, not NaN', () => expect(() => fam.fit([0, 0], { key: key(0) })).toThrow(/no data/));
});

describe('categorical: neutral drift (T = 1) against Wright–Fisher theory', () => {
  it('one step is a martingale with the binomial variance: E[p′|p] = p, Var(p′|p) = p(1 − p)/n', () => {
    const p = 0.3;
    const n = 50;
    const draws = 20_000;
    const xs: number[] = [];
    for (const states of seedsOf(1, draws, [p, 1 - p], { samples: n }, options(n))) xs.push(states[1]!.model.probs[0]!);
    const { mean, sd } = meanSd(xs);
    expect(Math.abs(mean - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n / draws));
    // SE of a sample variance is sqrt((μ4 − σ⁴)/draws); μ4 of Binomial(n, p)/n is npq(1 + 3(n − 2)pq)/n⁴.
    const q = 1 - p;
    const v = (p * q) / n;
    const mu4 = (n * p * q * (1 + 3 * (n - 2) * p * q)) / n ** 4;
    expect(Math.abs(sd * sd - v)).toBeLessThan(4 * Math.sqrt((mu4 - v * v) / draws));
  });

  it('is a martingale in every coordinate for k = 4', () => {
    const p0 = [0.4, 0.3, 0.2, 0.1];
    const n = 40;
    const draws = 10_000;
    const sums = [0, 0, 0, 0];
    for (const states of seedsOf(2, draws, p0, { samples: n }, options(n))) states[1]!.model.probs.forEach((x, i) => (sums[i]! += x));
    // Four coordinates at 4 SE each: a false failure has probability < 4 × 6e-5.
    p0.forEach((p, i) => expect(Math.abs(sums[i]! / draws - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n / draws)));
  });

  it('at temperature T the step drifts to the temperature map: E[p′|p] = τ_T(p)', () => {
    const p = 0.7;
    const n = 30;
    const draws = 10_000;
    for (const t of [0.5, 2]) {
      const sampling: Sampling = { ...PLAIN, temperature: t };
      const want = temperature([p, 1 - p], t)[0]!;
      const xs: number[] = [];
      for (const states of seedsOf(3, draws, [p, 1 - p], { samples: n }, options(n, { sampling }))) xs.push(states[1]!.model.probs[0]!);
      expect(Math.abs(meanSd(xs).mean - want)).toBeLessThan(4 * Math.sqrt((want * (1 - want)) / n / draws));
    }
  });

  it('fixes on an outcome with probability equal to its starting share', () => {
    const p = 0.3;
    const seeds = 4000;
    let fixedOn0 = 0;
    const opts = options(20, { generations: 100_000, stopWhenCollapsed: true });
    let unfinished = 0;
    for (const states of seedsOf(4, seeds, [p, 1 - p], { samples: 20 }, opts)) {
      const last = states[states.length - 1]!;
      if (!last.collapsed) unfinished++;
      if (last.model.probs[0] === 1) fixedOn0++;
    }
    expect(unfinished).toBe(0);
    expect(Math.abs(fixedOn0 / seeds - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / seeds));
  });

  it('Gini–Simpson diversity decays as E[H_t] = H_0 (1 − 1/n)^t', () => {
    const p0 = [0.25, 0.25, 0.25, 0.25];
    const n = 20;
    const checkAt = [1, 5, 15];
    const hs: number[][] = checkAt.map(() => []);
    for (const states of seedsOf(5, 3000, p0, { samples: n }, options(n, { generations: 15 }))) {
      checkAt.forEach((t, j) => hs[j]!.push(giniSimpson(states[t]!.model.probs)));
    }
    checkAt.forEach((t, j) => {
      const { mean, se } = meanSd(hs[j]!);
      expect(Math.abs(mean - 0.75 * (1 - 1 / n) ** t)).toBeLessThan(4 * se);
    });
  });
});

describe('categorical: extinction and smoothing', () => {
  it.each([4, 10])('with smoothing 0, an extinct outcome never returns (k = %i)', (k) => {
    const p0 = Array.from({ length: k }, () => 1 / k);
    let extinctions = 0;
    let revivals = 0;
    for (const states of seedsOf(6 + k, 40, p0, { samples: 15 }, options(15, { generations: 300 }))) {
      for (let t = 1; t < states.length; t++) {
        const before = states[t - 1]!.model.probs;
        const after = states[t]!.model.probs;
        before.forEach((q, i) => q === 0 && after[i] !== 0 && revivals++);
        extinctions += support(before) - support(after);
      }
    }
    expect(revivals).toBe(0);
    // The check above is vacuous unless outcomes did die: with n = 15 nearly all of them do.
    expect(extinctions).toBeGreaterThan(40 * (k - 2));
  });

  it('with smoothing > 0 no outcome ever reaches 0, so the model never collapses', () => {
    const alpha = 0.5;
    const n = 10;
    const k = 4;
    const floor = alpha / (n + k * alpha);
    let minSeen = 1;
    let collapsed = 0;
    for (const states of seedsOf(7, 40, [0.7, 0.1, 0.1, 0.1], { samples: n, smoothing: alpha }, options(n, { generations: 300 }))) {
      for (const s of states.slice(1)) {
        if (s.collapsed) collapsed++;
        minSeen = Math.min(minSeen, ...s.model.probs);
      }
    }
    expect(collapsed).toBe(0);
    expect(minSeen).toBeCloseTo(floor, 12); // some outcome drew no counts, and kept α/(n + kα)
  });
});

describe('categorical: training and data policies', () => {
  const p0 = [0.5, 0.3, 0.2];
  const n = 40;

  it('finetune gives p′ = m·p_prev + (1 − m)·p̂ exactly', () => {
    const m = 0.7;
    const states = [...loop(experiment(p0, { samples: n, finetuneKeep: m }), options(n, { generations: 20, training: 'finetune' }), key(8))];
    for (let t = 1; t < states.length; t++) {
      const train = states[t]!.train!;
      const size = train.reduce((a, b) => a + b, 0);
      states[t]!.model.probs.forEach((q, i) => expect(q).toBeCloseTo(m * states[t - 1]!.model.probs[i]! + (1 - m) * (train[i]! / size), 15));
    }
  });

  it('replace trains on n items, accumulate on all so far (or the window), augment on real + n', () => {
    const size = (d: Counts): number => d.reduce((a, b) => a + b, 0);
    const exp = experiment(p0, { samples: n });
    const sizes = (over: Partial<LoopOptions>): number[] => [...loop(exp, options(n, { generations: 6, ...over }), key(9))].slice(1).map((s) => size(s.train!));
    expect(sizes({ policy: 'replace' })).toEqual([n, n, n, n, n, n]);
    expect(sizes({ policy: 'accumulate' })).toEqual([1, 2, 3, 4, 5, 6].map((t) => t * n));
    expect(sizes({ policy: 'accumulate', accumulateWindow: 2 })).toEqual([1, 2, 2, 2, 2, 2].map((t) => t * n));
    expect(size(exp.realData)).toBe(n);
    expect(sizes({ policy: 'augment' })).toEqual(Array(6).fill(2 * n));
    expect(sizes({ policy: 'replace', realFraction: 0.25 })).toEqual(Array(6).fill(n));
  });

  it('realFraction λ = 1 trains on fresh real data only: the model stays near the truth', () => {
    const exp = experiment(p0, { samples: 1000 });
    const last = [...loop(exp, options(1000, { generations: 200, realFraction: 1 }), key(10))].pop()!;
    // A fresh Multinomial(1000, p0) refit each generation: TV ≤ ½ Σ 5 sd(p̂_i).
    expect(tv(last.model.probs, p0)).toBeLessThan(0.5 * p0.reduce((s, p) => s + 5 * Math.sqrt((p * (1 - p)) / 1000), 0));
  });
});

describe('categorical: curation by reward', () => {
  it('choice pairs items at random, not in outcome order (Bradley–Terry share)', async () => {
    const { drawFiltered } = await import('../../core/filters.ts');
    const fam = categorical({ smoothing: 0, finetuneKeep: 0, reward: [0, 1] });
    const n = 20_000;
    const kept = drawFiltered(fam, { probs: [0.5, 0.5] }, n, PLAIN, { kind: 'choice', by: 'reward', beta: 0.5 }, key(11));
    // Two independent fair draws: both 1 w.p. ¼; mixed w.p. ½, then 1 is kept w.p. σ(1/β) = σ(2).
    const expected = 0.25 + 0.5 / (1 + Math.exp(-2));
    const share = kept[1]! / n;
    expect(fam.size(kept)).toBe(n);
    expect(Math.abs(share - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / n)); // 4 SE
  });
});
