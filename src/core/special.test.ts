import { describe, expect, it } from 'vitest';
import { betaI, digamma, gammaP, lnGamma, normalCdf, polygamma } from './special.ts';

describe('special functions against known values', () => {
  it('lnGamma at integers and halves', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGamma(100)).toBeCloseTo(359.1342053695754, 10);
  });
  it('digamma and its derivatives against closed forms', () => {
    const euler = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-euler, 13);
    expect(digamma(0.5)).toBeCloseTo(-euler - 2 * Math.LN2, 13);
    expect(polygamma(1, 1)).toBeCloseTo(Math.PI ** 2 / 6, 13);
    expect(polygamma(1, 0.5)).toBeCloseTo(Math.PI ** 2 / 2, 12);
    expect(polygamma(2, 1)).toBeCloseTo(-2 * 1.2020569031595942, 12); // −2ζ(3)
    // finite-difference check of each derivative
    for (const x of [0.3, 2.5, 49.5]) {
      const h = 1e-5;
      expect((digamma(x + h) - digamma(x - h)) / (2 * h)).toBeCloseTo(polygamma(1, x), 6);
      expect((polygamma(1, x + h) - polygamma(1, x - h)) / (2 * h)).toBeCloseTo(polygamma(2, x), 5);
    }
  });
  it('incomplete gamma and beta against closed forms', () => {
    expect(gammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14); // exponential CDF
    expect(gammaP(3, 30)).toBeCloseTo(1 - Math.exp(-30) * (1 + 30 + 450), 14);
    expect(gammaP(2, 1.5)).toBeCloseTo(1 - Math.exp(-1.5) * 2.5, 14);
    expect(betaI(1, 1, 0.3)).toBeCloseTo(0.3, 14);
    expect(betaI(2, 1, 0.3)).toBeCloseTo(0.09, 14);
    expect(betaI(0.5, 0.5, 0.25)).toBeCloseTo((2 / Math.PI) * Math.asin(0.5), 12); // arcsine law
    expect(betaI(3, 5, 0.4) + betaI(5, 3, 0.6)).toBeCloseTo(1, 13);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 13);
    expect(normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 12); // the far tail keeps its digits
  });
});
