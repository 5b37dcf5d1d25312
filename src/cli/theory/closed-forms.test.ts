// The closed-form `ouro theory` reports (gaussian, regression, urn, classifier): their numbers
// are the theory modules' at the printed generations, and bad flags exit 2 naming the fix.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { digamma } from '../../core/special.ts';
import { classifierReport } from './classifier.ts';
import { gaussianReport } from './gaussian.ts';
import { regressionReport } from './regression.ts';
import { urnReport } from './urn.ts';

describe('closed-form theory reports', () => {
  it('gaussian: the drift is ψ((n−1)/2) − ln((n−1)/2), E[σ²] is constant (unbiased) and shrinks (ml)', () => {
    const r = gaussianReport({ samples: 100, variance: 'unbiased', temperature: 1, dims: 1, generations: 10 });
    expect(r.logVarianceDriftPerGeneration).toBeCloseTo(digamma(49.5) - Math.log(49.5), 14);
    expect(r.varianceRatio.every((v) => v === 1)).toBe(true);
    const ml = gaussianReport({ samples: 10, variance: 'ml', temperature: 1, dims: 1, generations: 10 });
    expect(ml.varianceRatio[ml.generations.indexOf(10)]).toBeCloseTo(0.9 ** 10, 14);
  });
  it('regression: replace grows by σ²d/(T − d − 1) per generation; accumulate stays under π²/6 of it', () => {
    const r = regressionReport(100, 10, 1, 10);
    expect(r.replace[10]).toBeCloseTo(100 / 89, 14);
    expect(r.accumulate[10]!).toBeLessThan(r.accumulateBound);
    expect(r.accumulateBound).toBeCloseTo(((Math.PI ** 2) / 6) * (10 / 89), 14);
  });
  it('urn: runaway without reports, an interior point with them, the truth when corrected, Beta when Pólya', () => {
    expect(urnReport({ rates: [0.3, 0.2], reported: 0, corrected: false, prior: [1, 1], balls: 1 }).limitingShare).toBe(1);
    expect(urnReport({ rates: [0.3, 0.2], reported: 0, corrected: true, prior: [1, 1], balls: 1 }).limitingShare).toBeCloseTo(0.6, 14);
    const p = urnReport({ rates: [0.5, 0.5], reported: 0, corrected: false, prior: [2, 3], balls: 2 });
    expect(p.limitingShare).toBeNull();
    expect(p.betaLimit).toMatchObject({ alpha: 1, beta: 1.5 });
    expect(p.betaLimit!.mean).toBeCloseTo(0.4, 14);
  });
  it('classifier: E|θ| at t = 0 is 0 and follows the half-normal while the angle is small', () => {
    const r = classifierReport(100, 2, 0, 1);
    expect(r.angle![0]).toBe(0);
    expect(r.angle![1]).toBeCloseTo(Math.sqrt((2 * r.stepVariance) / Math.PI), 6);
    expect(classifierReport(100, 2, 0.2, 10).angleRmsStationary).toBeCloseTo(Math.sqrt(r.stepVariance / (0.2 * 1.8)), 14);
  });
  it('bad flags exit 2 with the field and the fix', () => {
    const run = (...args: string[]): { status: number; stderr: string } => {
      try {
        execFileSync('node', ['bin/ouro.js', 'theory', ...args], { stdio: 'pipe' });
        return { status: 0, stderr: '' };
      } catch (e) {
        const err = e as { status: number; stderr: Buffer };
        return { status: err.status, stderr: err.stderr.toString() };
      }
    };
    expect(run('regression', '--rows', '10', '--dims', '10')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--rows.*≥ d \+ 2/) });
    expect(run('urn', '--rates', '-1,0.2')).toMatchObject({ status: 2, stderr: expect.stringMatching(/--rates.*\[0, 1\]/) });
  });
});
