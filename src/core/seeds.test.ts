import { describe, expect, it } from 'vitest';
import { foldIn, key } from './random.ts';
import { seedKey, setupKey, standingAt, stoppedForGood } from './seeds.ts';

describe('seed keys', () => {
  it('seed s of root r draws from foldIn(key(r), s); its setup from foldIn(that, 0)', () => {
    expect(seedKey(7, 3)).toEqual(foldIn(key(7), 3));
    expect(setupKey(7, 3)).toEqual(foldIn(foldIn(key(7), 3), 0));
    expect(seedKey(7, 3)).not.toEqual(seedKey(3, 7)); // never seed + root
  });
});

describe('what stands for a seed after it stopped', () => {
  const end = (generation: number, collapsedAt: number | null) => ({ generation, collapsedAt, values: { p0: 1 } });

  it('a seed that ended before the horizon with a collapse stopped for good; any other end did not', () => {
    expect(stoppedForGood(end(12, 12), 100)).toBe(true);
    expect(stoppedForGood(end(100, 40), 100)).toBe(false); // collapsed, but ran to the horizon
    expect(stoppedForGood(end(12, null), 100)).toBe(false); // ended early without a collapse: a damaged log
  });

  it('its own values while it ran, its end values past a stop for good, nothing otherwise', () => {
    expect(standingAt(5, { p0: 0.4 }, end(12, 12), 100)).toEqual({ p0: 0.4 });
    expect(standingAt(50, undefined, end(12, 12), 100)).toEqual({ p0: 1 });
    expect(standingAt(12, undefined, end(12, 12), 100)).toBeUndefined(); // at its end it has its own line
    expect(standingAt(50, undefined, end(12, null), 100)).toBeUndefined();
    expect(standingAt(50, undefined, undefined, 100)).toBeUndefined(); // still running
  });
});
