// The summary built block by block as seeds finish, against the reference that reads the whole
// log back (summary.test-support.ts): the same document, byte for byte.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { toJson } from '../store/json.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';
import { runToDir } from './run.ts';
import { summarizeLog } from './summary.test-support.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-summary-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the streamed summary', () => {
  it.each([
    ['coins to fixation, one column for the tail', 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 100000, samples: 12 }\nseeds: 300\nrecord: log\n'],
    ['grounded (no stop), every 5', 'family: categorical\ninit: { probs: [0.3, 0.7] }\nloop: { generations: 200, samples: 20, realFraction: 0.2 }\nseeds: 40\nrecord: { every: 5 }\n'],
    ['a list that misses the last generation', 'family: categorical\ninit: { probs: [0.2, 0.3, 0.5] }\nloop: { generations: 300, samples: 9 }\nseeds: 50\nrecord: [0, 2, 10, 40]\n'],
    ['some seeds never collapse', 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 60, samples: 40 }\nseeds: 70\nrecord: every\n'],
    ['a Gaussian (the loop, seed by seed)', 'family: gaussian\ninit: { mean: [0], cov: [[1]] }\nloop: { generations: 40, samples: 10 }\nseeds: 30\nrecord: every\n'],
  ])('%s: equals the summary read back from the log', async (_, yaml) => {
    const prep = await prepare(parseConfig('name: s\n' + yaml, 's.yaml'), nodeIo);
    const dir = join(tmp, String(Math.random()).slice(2));
    runToDir(prep, dir, true);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(toJson(summarizeLog(prep, dir), 2) + '\n');
  });
});

describe('theory shared among runs that differ only in seeds', () => {
  it('is evaluated once, and every summary holds its own copy of the same numbers', async () => {
    const yaml = (seed: number) => `name: t${seed}\nfamily: categorical\ninit: { probs: [0.4, 0.6] }\nloop: { generations: 300, samples: 15 }\nseeds: 5\nseed: ${seed}\nrecord: log\n`;
    const preps = await Promise.all([11, 12].map((s) => prepare(parseConfig(yaml(s), 't.yaml'), nodeIo)));
    const theory = preps[0]!.entry.theory!;
    let calls = 0;
    const counting = { ...preps[0]!.entry, theory: (...a: Parameters<typeof theory>) => (calls++, theory(...a)) };
    const summaries = preps.map((p, i) => runToDir({ ...p, entry: counting }, join(tmp, `shared-${i}`), true));
    expect(calls).toBe(1);
    const direct = JSON.parse(toJson(theory(preps[1]!.settings, preps[1]!.recorded))) as unknown;
    for (const s of summaries) expect(JSON.parse(toJson(s.theory))).toEqual(direct);
    expect(summaries[0]!.theory).not.toBe(summaries[1]!.theory);
    (summaries[0]!.theory!.giniSimpson as number[])[0] = -1; // a reader that scribbles on its summary
    expect((summaries[1]!.theory!.giniSimpson as number[])[0]).not.toBe(-1);
  });
});
