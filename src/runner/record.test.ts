import { describe, expect, it } from 'vitest';
import { recordedGenerations } from './record.ts';

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
});
