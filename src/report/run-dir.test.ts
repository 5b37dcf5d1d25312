// Aggregates a report recomputes from the log (a run without summary.json) follow the runner's
// rule: the recorded seeds, and seeds that stopped for good carrying their last values.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRun } from './run-dir.ts';
import { writeRun } from './test-runs.test-support.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-run-dir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function withoutSummary(name: string, yaml: string) {
  const dir = join(tmp, name);
  await writeRun(dir, yaml);
  const full = readRun(dir);
  rmSync(join(dir, 'summary.json'));
  return { dir, full, partial: readRun(dir) };
}

describe('aggregates recomputed from the log', () => {
  it.each([
    ['coins that stop at collapse', 'family: categorical\ninit: { probs: [0.5, 0.5] }\nseeds: 12\nrecord: every\nloop: { samples: 6, generations: 60 }\n'],
    ['Gaussians that run to the horizon', 'family: gaussian\ninit: { mean: [0], cov: [[1]] }\nseeds: 5\nrecord: every\nloop: { samples: 3, generations: 30 }\n'],
  ])('%s: equal the summary’s at every generation a seed reached', async (name, yaml) => {
    const { full, partial } = await withoutSummary(name.split(' ')[0]!, yaml);
    expect(partial.summary).toBeNull();
    expect(partial.recorded).toEqual(full.recorded.slice(0, partial.recorded.length)); // the log knows the generations some seed reached
    for (const m of ['entropy', 'p0', 'variance'].filter((x) => x in full.aggregates)) {
      const [a, b] = [full.aggregates[m]!, partial.aggregates[m]!];
      expect(b.count).toEqual(a.count.slice(0, b.count.length));
      b.mean.forEach((x, i) => expect(x).toBeCloseTo(a.mean[i]!, 12));
      expect(b.q50).toEqual(a.q50.slice(0, b.q50.length));
    }
  });

  it('a seed still running counts only where it has a line; a seed that stopped for good counts at every later one', async () => {
    const { dir } = await withoutSummary('live', 'family: categorical\ninit: { probs: [0.5, 0.5] }\nseeds: 12\nrecord: every\nloop: { samples: 4, generations: 200 }\n');
    type Line = { seed: number; generation: number; event?: string };
    const log = readFileSync(join(dir, 'generations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
    const ends = log.filter((l) => l.event === 'end').sort((x, y) => x.generation - y.generation);
    const stopped = ends[0]!;
    const cut = stopped.generation + 2;
    const [b, c] = ends.filter((e) => e.generation > cut + 2);
    expect(c).toBeDefined();
    // Three seeds: one that stopped for good at `stopped`, one running with lines to `cut`, one running with lines to cut + 2.
    const running = (l: Line, to: number) => l.event !== 'end' && l.generation <= to;
    const kept = log.filter((l) => l.seed === stopped.seed || (l.seed === b!.seed && running(l, cut)) || (l.seed === c!.seed && running(l, cut + 2)));
    writeFileSync(join(dir, 'generations.jsonl'), kept.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const run = readRun(dir);
    expect(run.recorded).toEqual(Array.from({ length: cut + 3 }, (_, g) => g));
    // Past `cut` the seed cut there has no value (it is still running), the stopped one carries its last.
    expect(run.aggregates.p0!.count).toEqual(run.recorded.map((g) => (g <= cut ? 3 : 2)));
  });
});
