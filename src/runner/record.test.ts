import { describe, expect, it } from 'vitest';
import { recordedAtLeast } from '../config/budget.ts';
import { recordedGenerations, type RecordSpec } from './record.ts';

describe('recordedGenerations', () => {
  it('every: all generations', () => expect(recordedGenerations('every', 5)).toEqual([0, 1, 2, 3, 4, 5]));
  it('{ every: K }: multiples of K, 0 and the last', () => expect(recordedGenerations({ every: 4 }, 10)).toEqual([0, 4, 8, 10]));
  it('a list: those (within range) and 0', () => expect(recordedGenerations([7, 3, 50], 10)).toEqual([0, 3, 7]));
  it('log: 0..10, then about 20 per decade, ending at the last', () => {
    const g = recordedGenerations('log', 10_000);
    expect(g.slice(0, 11)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(g.at(-1)).toBe(10_000);
    expect(g.length).toBeLessThan(11 + 3 * 20 + 1);
    for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]!);
  });
  it('{ every: K } ending on a multiple of K lists it once', () => expect(recordedGenerations({ every: 5 }, 10)).toEqual([0, 5, 10]));
  it('more generations than a Set holds (2^24) are listed, not a RangeError', () => {
    const g = recordedGenerations('every', 2 ** 24 + 1);
    expect([g.length, g[2 ** 24 + 1]]).toEqual([2 ** 24 + 2, 2 ** 24 + 1]);
    expect(recordedGenerations({ every: 1 }, 2 ** 24 + 1).length).toBe(2 ** 24 + 2);
  });
  it('config/budget.ts counts at most what is listed (its refusals are certain)', () => {
    for (const spec of ['every', 'log', { every: 1 }, { every: 3 }, { every: 7 }, [5, 2, 40]] satisfies RecordSpec[]) {
      for (const n of [0, 1, 9, 10, 11, 21, 100, 12_345]) {
        const listed = recordedGenerations(spec, n).length;
        expect(recordedAtLeast(spec, n)).toBeLessThanOrEqual(listed);
        if (spec === 'every' || (typeof spec === 'object' && !Array.isArray(spec) && n % (spec as { every: number }).every === 0)) expect(recordedAtLeast(spec, n)).toBe(listed);
      }
    }
  });
});
