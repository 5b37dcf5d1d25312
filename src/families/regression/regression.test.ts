// Regression refits against Gerstgrasser et al. 2024 / Dohmatob et al. 2024 at T = 100,
// d = 10, σ = 1: each E‖ŵ_t − w*‖², t = 1..10, within 4 standard errors of the mean over
// independent seeds (each seed draws its own design, as the theory's expectation does).
import { describe, expect, it } from 'vitest';
import { accumulateBound, expectedTestError } from '../../theory/regression.ts';
import { meanSe, prepared, runSeeds } from '../../runner/harness.test-support.ts';

const cfg = (policy: string, extra: object = {}) => ({ family: 'regression', model: { rows: 100, dims: 10, noise: 1 }, seeds: 1, loop: { generations: 10, policy, ...extra } });

async function errors(policy: string, seeds: number): Promise<number[][]> {
  const err: number[][] = Array.from({ length: 11 }, () => []);
  let truth: readonly number[] = [];
  await runSeeds(cfg(policy), seeds, (_, st) => {
    if (st.generation === 0) truth = st.model.weights; // the loop yields generation 0, the truth, first
    err[st.generation]!.push(st.model.weights.reduce((s: number, x: number, i: number) => s + (x - truth[i]!) ** 2, 0));
  });
  return err;
}

describe('regression refits against theory', () => {
  for (const policy of ['replace', 'accumulate'] as const) {
    it(`${policy}: E‖ŵ_t − w*‖² for t = 1..10`, async () => {
      const err = await errors(policy, 1000);
      for (let t = 1; t <= 10; t++) {
        const { mean, se } = meanSe(err[t]!);
        expect(Math.abs(mean - expectedTestError(t, 100, 10, 1, policy)), `t = ${t}`).toBeLessThan(4 * se);
      }
      if (policy === 'accumulate') expect(meanSe(err[10]!).mean).toBeLessThan(accumulateBound(100, 10, 1) * 1.1);
    });
  }
  it('the metric testError is ‖ŵ − w*‖², and the theory hook matches the closed form', async () => {
    const prep = await prepared(cfg('accumulate'));
    const exp = prep.entry.setup(prep.settings, undefined, [1, 2]);
    const w = (exp.initial as { weights: number[] }).weights;
    const m = exp.family.metrics({ weights: w.map((x) => x + 1) }, { initial: exp.initial });
    expect(m.testError).toBeCloseTo(10, 12);
    expect(prep.entry.theory!(prep.settings, [0, 2]).testError).toEqual([0, expectedTestError(2, 100, 10, 1, 'accumulate')]);
    const grounded = await prepared(cfg('replace', { realFraction: 0.5 }));
    expect(grounded.entry.theory!(grounded.settings, [1]).testError).toBeNull();
  });
  it('log-likelihood is the N(xᵀw, σ²) density of each label', async () => {
    const prep = await prepared({ family: 'regression', model: { rows: 20, dims: 2, noise: 2 }, loop: {} });
    const exp = prep.entry.setup(prep.settings, undefined, [1, 1]);
    const data = exp.family.sample(exp.initial, 20, { temperature: 0, topK: 0, topP: 1, minP: 0 }, [2, 2]); // T = 0: noiseless labels
    const ll = exp.family.logLikelihood!(exp.initial, data);
    ll.forEach((x) => expect(x).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 4), 12));
    const shifted = { weights: (exp.initial as { weights: number[] }).weights.map((w) => w + 1) };
    expect(Math.max(...exp.family.logLikelihood!(shifted, data))).toBeLessThanOrEqual(ll[0]!);
  });
  it('sampling n = T labels each row once in order; other n cover the rows evenly', async () => {
    const prep = await prepared(cfg('replace'));
    const exp = prep.entry.setup(prep.settings, undefined, [3, 4]);
    const plain = { temperature: 1, topK: 0, topP: 1, minP: 0 };
    const once = exp.family.sample(exp.initial, 100, plain, [5, 6]) as { rows: Int32Array };
    expect(Array.from(once.rows)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const more = exp.family.sample(exp.initial, 250, plain, [5, 6]) as { rows: Int32Array };
    const hits = new Array<number>(100).fill(0);
    more.rows.forEach((r) => hits[r]!++);
    expect(Math.min(...hits)).toBe(2);
    expect(Math.max(...hits)).toBe(3);
    expect(hits.filter((h) => h === 3)).toHaveLength(50);
  });
  it('bad input: a degenerate design or mismatched reward names the field and the fix', async () => {
    const bad = async (raw: object): Promise<string> => prepared(raw).then(() => 'accepted', (e: Error) => e.message);
    expect(await bad({ family: 'regression', model: { rows: 11, dims: 10 }, loop: {} })).toMatch(/model\.rows.*degenerate.*rows ≥ 12/);
    expect(await bad({ family: 'regression', model: { rows: 100, dims: 10, noise: -1 }, loop: {} })).toMatch(/model\.noise/);
    expect(await bad({ ...cfg('replace'), reward: { weights: [1] } })).toMatch(/reward\.weights.*10 weights/);
  });
});
