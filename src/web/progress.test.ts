// The dashboard's progress: seeds done counted from end lines as the log grows (a torn last
// line waits for its end), generations summed, and the time left from the pace.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { progressText, runProgress, secondsLeft } from './progress.ts';

const dir = mkdtempSync(join(tmpdir(), 'ouro-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const end = (seed: number, generation: number) => JSON.stringify({ seed, event: 'end', generation, collapsedAt: generation, collapsedAtEnd: true, final: {}, metrics: {} }) + '\n';
const line = (seed: number, generation: number) => JSON.stringify({ seed, generation, metrics: { entropy: 0.5 } }) + '\n';

describe('runProgress', () => {
  it('counts finished seeds and their generations as the log grows, and starts over when a resume cuts it back', () => {
    expect(runProgress(dir)).toBeNull();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ seeds: [0, 1, 2, 3], loop: { generations: 100 } }));
    writeFileSync(join(dir, 'generations.jsonl'), line(0, 0) + line(0, 10) + end(0, 17) + line(1, 0));
    expect(runProgress(dir)).toMatchObject({ seeds: 4, seedsDone: 1, generations: 100, generationsDone: 17 });
    const half = end(1, 100);
    appendFileSync(join(dir, 'generations.jsonl'), half.slice(0, 20)); // a writer caught mid-line
    expect(runProgress(dir)).toMatchObject({ seedsDone: 1 });
    appendFileSync(join(dir, 'generations.jsonl'), half.slice(20) + end(2, 5));
    expect(runProgress(dir)).toMatchObject({ seedsDone: 3, generationsDone: 122 });
    writeFileSync(join(dir, 'generations.jsonl'), end(0, 17));
    expect(runProgress(dir)).toMatchObject({ seedsDone: 1, generationsDone: 17 });
  });

  it('estimates the time left from the pace, and says so while it cannot', () => {
    const p = { seeds: 200, seedsDone: 50, generations: 1000, generationsDone: 12345, started: 0 };
    expect(secondsLeft(p, 60_000)).toBe(180); // 50 seeds a minute, 150 to go
    expect(secondsLeft(p, 60_000, 30_000, 50)).toBeNull(); // none finished since we started watching
    expect(secondsLeft(p, 60_000, 30_000, 40)).toBe(450); // 10 in 30 s
    expect(progressText(p, 180, true)).toBe('50 of 200 seeds done (12,345 generations of at most 1000 each) · about 3 min left');
    expect(progressText(p, null, true)).toMatch(/estimating the time left/);
    expect(progressText({ ...p, seedsDone: 200 }, null, false)).toBe('200 of 200 seeds done (12,345 generations of at most 1000 each)');
  });
});
