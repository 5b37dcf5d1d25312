// A run shared among threads writes the bytes of a run on one thread, fresh and resumed after
// its log was cut (a kill) in the middle of a block, for a family that steps blocks of seeds
// together and for one that steps seed by seed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { FILES } from '../store/rundir.ts';
import { blocksOfRun } from './encode.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';
import { runToDir } from './run.ts';
import { continueOnThreads, runToDirOnThreads } from './threads.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-threads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FILES_OF_A_RUN = [FILES.log, FILES.summary, FILES.parquet];
const bytes = (dir: string, f: string) => readFileSync(join(dir, f));

describe.each([
  ['coins, stepped in blocks', 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 3000, samples: 40 }\nseeds: 1500\nrecord: log\n'],
  ['Gaussians, seed by seed', 'family: gaussian\ninit: { mean: [0], cov: [[1]] }\nloop: { generations: 30, samples: 10 }\nseeds: 40\nrecord: every\n'],
])('%s', (_, yaml) => {
  it('gives the bytes of one thread with 2 and 3 threads, fresh and after a cut mid-block', async () => {
    const prep = await prepare(parseConfig('name: th\n' + yaml, 'th.yaml'), nodeIo);
    expect(blocksOfRun(prep).length).toBeGreaterThan(4);
    const ref = join(tmp, `${prep.runId}-ref`);
    runToDir(prep, ref, true);
    for (const workers of [2, 3]) {
      const dir = join(tmp, `${prep.runId}-${workers}`);
      await runToDirOnThreads(prep, dir, true, { workers });
      for (const f of FILES_OF_A_RUN) expect(bytes(dir, f).equals(bytes(ref, f)), `${f}, ${workers} threads`).toBe(true);
      const log = bytes(dir, FILES.log);
      writeFileSync(join(dir, FILES.log), log.subarray(0, Math.floor(log.length * 0.43))); // torn mid-line, inside a block
      rmSync(join(dir, FILES.summary));
      rmSync(join(dir, FILES.parquet));
      await continueOnThreads(prep, dir, { workers });
      for (const f of FILES_OF_A_RUN) expect(bytes(dir, f).equals(bytes(ref, f)), `${f}, resumed on ${workers} threads`).toBe(true);
    }
  }, 120_000);
});
