import { describe, expect, it } from 'vitest';
import { PLAIN } from './family.ts';
import { isPlain, minP, softmax, temperature, topK, topP, transform } from './transforms.ts';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);
const sum = (xs: ArrayLike<number>): number => Array.from(xs).reduce((s, x) => s + x, 0);

function expectClose(got: ArrayLike<number>, want: number[], digits = 12): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
}

describe('temperature', () => {
  const p = [0.5, 0.3, 0.2, 0];

  it('T = 1 is the identity', () => expectClose(temperature(p, 1), p, 15));

  it.each([0.25, 0.5, 0.8, 1.25, 3])('T = %f is p^(1/T) renormalised', (t) => {
    const w = p.map((q) => q ** (1 / t));
    expectClose(temperature(p, t), w.map((x) => x / sum(w)));
  });

  it('is mode-seeking below 1 and flattening above (the coin: p > ½ pushed up for T < 1)', () => {
    expect(temperature([0.6, 0.4], 0.5)[0]).toBeGreaterThan(0.6);
    expect(temperature([0.6, 0.4], 2)[0]).toBeLessThan(0.6);
    expect(temperature([0.6, 0.4], 2)[0]).toBeGreaterThan(0.5);
  });

  it('T = 0 is argmax, with tied maxima sharing the mass evenly', () => {
    expectClose(temperature([0.2, 0.5, 0.3], 0), [0, 1, 0], 15);
    expectClose(temperature([0.4, 0.2, 0.4], 0), [0.5, 0, 0.5], 15);
    expectClose(temperature([0.25, 0.25, 0.25, 0.25], 0), [0.25, 0.25, 0.25, 0.25], 15);
  });

  it('zeros stay zero for every T, including tiny and huge T', () => {
    for (const t of [0, 1e-3, 0.5, 1, 2, 1e6]) {
      const q = temperature(p, t);
      expect(q[3]).toBe(0);
      expect(sum(q)).toBeCloseTo(1, 12);
    }
  });

  it('stays finite for tiny T on near-ties (log space, no overflow)', () => {
    const q = temperature([0.5 + 1e-9, 0.5 - 1e-9], 1e-12);
    expect(q.every(Number.isFinite)).toBe(true);
    expect(q[0]).toBe(1);
  });

  it('huge T tends to uniform over the support', () => expectClose(temperature(p, 1e9), [1 / 3, 1 / 3, 1 / 3, 0], 6));

  it('rejects T < 0 and NaN', () => {
    expect(() => temperature(p, -1)).toThrow(RangeError);
    expect(() => temperature(p, NaN)).toThrow(RangeError);
  });
});

describe('softmax', () => {
  it('turns logits into probabilities; −∞ logits get 0', () => {
    expectClose(softmax([0, Math.log(3), -Infinity]), [0.25, 0.75, 0]);
    expectClose(softmax([1000, 1000]), [0.5, 0.5]); // no overflow: shifted by the max
  });

  it('throws when every logit is −∞', () => expect(() => softmax([-Infinity, -Infinity])).toThrow(RangeError));
});

describe('topK', () => {
  it('keeps the k most probable and renormalises; k = 0 and k ≥ length are off', () => {
    expectClose(topK(f64([0.1, 0.5, 0.3, 0.1]), 2), [0, 0.625, 0.375, 0]);
    expectClose(topK(f64([0.1, 0.5, 0.3, 0.1]), 0), [0.1, 0.5, 0.3, 0.1], 15);
    expectClose(topK(f64([0.1, 0.5, 0.3, 0.1]), 4), [0.1, 0.5, 0.3, 0.1], 15);
  });

  it('keeps every outcome tied at the boundary', () => {
    expectClose(topK(f64([0.4, 0.2, 0.2, 0.2]), 2), [0.4, 0.2, 0.2, 0.2], 15);
  });

  it('never revives a zero when k exceeds the support', () => {
    expectClose(topK(f64([0.5, 0.5, 0, 0]), 3), [0.5, 0.5, 0, 0], 15);
  });
});

describe('topP', () => {
  const p = [0.05, 0.5, 0.15, 0.3];
  it('keeps the smallest most-probable set reaching mass p', () => {
    expectClose(topP(f64(p), 0.75), [0, 0.625, 0, 0.375]);
    expectClose(topP(f64(p), 0.5), [0, 1, 0, 0]);
    expectClose(topP(f64(p), 0.9), [0, 0.5 / 0.95, 0.15 / 0.95, 0.3 / 0.95]);
    expectClose(topP(f64(p), 1), p, 15);
  });

  it('keeps ties at the boundary and leaves zeros at zero', () => {
    expectClose(topP(f64([0.3, 0.3, 0.4, 0]), 0.5), [0.3, 0.3, 0.4, 0], 15);
  });
});

describe('minP', () => {
  it('keeps outcomes with probability ≥ m · max; m = 0 is off', () => {
    expectClose(minP(f64([0.5, 0.3, 0.15, 0.05]), 0.2), [0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0]);
    expectClose(minP(f64([0.5, 0.3, 0.15, 0.05]), 0), [0.5, 0.3, 0.15, 0.05], 15);
    expectClose(minP(f64([0.5, 0.3, 0.2, 0]), 1), [1, 0, 0, 0]);
  });
});

describe('transform', () => {
  it('applies temperature, then top-k, top-p and min-p, in that order', () => {
    const p = f64([0.4, 0.3, 0.2, 0.1]);
    const t = temperature(p, 0.5); // [16, 9, 4, 1] / 30
    const want = topP(topK(t, 3), 0.8); // top-3 keeps 16, 9, 4 of 29; top-p 0.8 then keeps 16, 9
    expectClose(transform(p, { temperature: 0.5, topK: 3, topP: 0.8, minP: 0 }), Array.from(want));
    expectClose(want, [16 / 25, 9 / 25, 0, 0]);
  });

  it('returns its input untouched when plain; isPlain says when', () => {
    const p = f64([0.7, 0.3]);
    expect(transform(p, PLAIN)).toBe(p);
    expect(isPlain(PLAIN)).toBe(true);
    for (const change of [{ temperature: 0.9 }, { topK: 1 }, { topP: 0.9 }, { minP: 0.1 }]) expect(isPlain({ ...PLAIN, ...change })).toBe(false);
  });
});
