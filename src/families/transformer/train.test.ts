import { describe, expect, it } from 'vitest';
import { key } from '../../core/random.ts';
import { learningRate } from './adamw.ts';
import { patternCorpus, quickTrain, tiny } from './fixture.test-support.ts';
import { itemLogProbs } from './score.ts';
import { train } from './train.ts';
import { TYPESCRIPT } from './backend.ts';

describe('train', () => {
  const data = patternCorpus(50, 1);

  it('the loss falls far below the uniform ln V on a learnable corpus', () => {
    const { params, loss } = train(TYPESCRIPT, tiny, data, quickTrain, key(1));
    const { logp, counted } = itemLogProbs(TYPESCRIPT, tiny, params, data, 'sentences');
    const perToken = -logp.reduce((s, x) => s + x, 0) / counted.reduce((s, x) => s + x, 0);
    // The corpus is a fixed 3-cycle with a length drawn from 8 values: its entropy per token is
    // about ln 8 / 7.5 ≈ 0.28 nats, against ln 6 ≈ 1.79 for a uniform guess.
    expect(loss).toBeLessThan(0.8);
    expect(perToken).toBeLessThan(0.8);
  });

  it('the same key gives bit-identical weights; another key different ones', () => {
    const a = train(TYPESCRIPT, tiny, data, { ...quickTrain, steps: 5 }, key(2));
    const b = train(TYPESCRIPT, tiny, data, { ...quickTrain, steps: 5 }, key(2));
    const c = train(TYPESCRIPT, tiny, data, { ...quickTrain, steps: 5 }, key(3));
    expect(b.params).toEqual(a.params);
    expect(c.params).not.toEqual(a.params);
  });

  it('fine-tuning starts from the given weights', () => {
    const a = train(TYPESCRIPT, tiny, data, { ...quickTrain, steps: 5 }, key(2));
    const b = train(TYPESCRIPT, tiny, data, { ...quickTrain, steps: 1, lr: 1e-12, warmup: 0 }, key(4), a.params);
    let worst = 0;
    for (let i = 0; i < a.params.length; i++) worst = Math.max(worst, Math.abs(a.params[i]! - b.params[i]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it('the schedule warms up linearly and decays by a cosine to the floor', () => {
    const o = { ...quickTrain, lr: 1, warmup: 10, minLrFraction: 0.1 };
    expect(learningRate(o, 0, 110)).toBeCloseTo(0.1, 12);
    expect(learningRate(o, 9, 110)).toBeCloseTo(1, 12);
    expect(learningRate(o, 60, 110)).toBeCloseTo(0.55, 12);
    expect(learningRate(o, 110, 110)).toBeCloseTo(0.1, 12);
  });
});
