// The self-labelling classifier against the random-walk theory in src/theory/classifier.ts
// (first order in 1/n; at n = 100 the neglected terms are O(d/n) of the step variance, well
// under the 4-standard-error tolerance of these seed means).
import { describe, expect, it } from 'vitest';
import { expectedAngle2d, expectedAngleSquared, expectedCosAngle } from '../../theory/classifier.ts';
import { meanSe, prepared, runSeeds } from '../../runner/harness.test-support.ts';
import { classifier } from './index.ts';

const cfg = (weights: number[], realFraction: number, generations: number) => ({ family: 'classifier', init: { weights }, loop: { generations, samples: 100, realFraction }, seeds: 1 });

async function metricsAt(raw: object, seeds: number, ts: number[]): Promise<Map<number, { cos: number[]; angle: number[]; norm: number[] }>> {
  const out = new Map(ts.map((t) => [t, { cos: [] as number[], angle: [] as number[], norm: [] as number[] }]));
  let w0: number[] = [];
  await runSeeds(raw, seeds, (_, st) => {
    if (st.generation === 0) w0 = st.model.weights;
    const slot = out.get(st.generation);
    if (!slot) return;
    const w = st.model.weights as number[];
    const nw = Math.hypot(...w);
    const c = w.reduce((s, x, j) => s + x * w0[j]!, 0) / (nw * Math.hypot(...w0));
    slot.cos.push(c);
    slot.angle.push(Math.acos(Math.max(-1, Math.min(1, c))));
    slot.norm.push(nw);
  });
  return out;
}

describe('classifier labelling its own data', () => {
  it('d = 2, r = 0: a random walk in angle (E cos θ_t, E|θ_t|), with no collapse of the weights', async () => {
    const m = await metricsAt(cfg([1, 0], 0, 60), 200, [10, 60]);
    for (const t of [10, 60]) {
      const c = meanSe(m.get(t)!.cos);
      expect(Math.abs(c.mean - expectedCosAngle(t, 2, 100)), `cos at ${t}`).toBeLessThan(4 * c.se);
      const a = meanSe(m.get(t)!.angle);
      expect(Math.abs(a.mean - expectedAngle2d(t, 100)), `angle at ${t}`).toBeLessThan(4 * a.se);
    }
    // No collapse: by rotational invariance the law of ‖ŵ_t‖ is the same at every generation
    // (near √(2/π), the least-squares length for ±1 labels), so its mean cannot drift.
    const [early, late] = [meanSe(m.get(10)!.norm), meanSe(m.get(60)!.norm)];
    expect(Math.abs(early.mean - late.mean)).toBeLessThan(4 * Math.hypot(early.se, late.se));
  });
  it('d = 4, r = 0: E cos θ_t = (1 − 3s²/2)^t', async () => {
    const m = await metricsAt(cfg([1, 0, 0, 0], 0, 30), 200, [30]);
    const c = meanSe(m.get(30)!.cos);
    expect(Math.abs(c.mean - expectedCosAngle(30, 4, 100))).toBeLessThan(4 * c.se);
  });
  it('r = 0.2 of original labels bounds the walk: E θ² near (d − 1)s²/(r(2 − r)), far below the free walk', async () => {
    const m = await metricsAt(cfg([1, 0], 0.2, 30), 200, [30]);
    const sq = meanSe(m.get(30)!.angle.map((a) => a * a));
    expect(Math.abs(sq.mean - expectedAngleSquared(30, 2, 100, 0.2))).toBeLessThan(4 * sq.se);
    expect(sq.mean).toBeLessThan(expectedAngleSquared(30, 2, 100, 0) / 3);
  });
  it('ridge solves (XᵀX + λI) w = Xᵀy', () => {
    const fam = classifier({ dims: 2, ridge: 3 });
    const x = Float64Array.of(1, 2, -1, 0.5, 0.3, -2);
    const y = Float64Array.of(1, -1, 1);
    const w = fam.fit({ points: { dim: 2, x }, y }, { key: [0, 0] }).weights;
    // XᵀX + 3I = [[5.09, 0.9], [0.9, 11.25]], Xᵀy = [2.3, −0.5]
    const [a, b, c, d] = [1 + 1 + 0.09 + 3, 2 - 0.5 - 0.6, 2 - 0.5 - 0.6, 4 + 0.25 + 4 + 3];
    const [r0, r1] = [1 + 1 + 0.3, 2 - 0.5 - 2];
    const det = a * d - b * c;
    expect(w[0]).toBeCloseTo((d * r0 - b * r1) / det, 12);
    expect(w[1]).toBeCloseTo((a * r1 - c * r0) / det, 12);
  });
  it('bad input names the field and the fix', async () => {
    const bad = async (raw: object): Promise<string> => prepared(raw).then(() => 'accepted', (e: Error) => e.message);
    expect(await bad({ family: 'classifier', init: { weights: [0, 0] }, loop: {} })).toMatch(/init\.weights.*nonzero/);
    expect(await bad({ family: 'classifier', loop: { temperature: 0.5 } })).toMatch(/loop\.temperature/);
    expect(await bad({ family: 'classifier', reward: { weights: [1] }, loop: {} })).toMatch(/reward\.weights.*2 weights/);
    expect(await bad({ family: 'classifier', model: { ridge: -1 }, loop: {} })).toMatch(/model\.ridge/);
  });
});
