import { describe, expect, it } from 'vitest';
import { fastTanh } from './layers.ts';

describe('fastTanh', () => {
  it('is within 3e-7 of Math.tanh on a fine grid over [-12, 12] (float32 spacing near 1 is 6e-8)', () => {
    let worst = 0;
    for (let x = -12; x <= 12; x += 1e-4) worst = Math.max(worst, Math.abs(fastTanh(x) - Math.tanh(x)));
    expect(worst).toBeLessThan(3e-7);
    expect(fastTanh(0)).toBe(0);
  });
});
