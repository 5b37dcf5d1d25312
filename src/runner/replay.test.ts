import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { FILES, readJsonl, type LogLine } from '../store/rundir.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';
import { replay } from './replay.ts';
import { runToDir } from './run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('replays any seed and generation to the model the run recorded', async () => {
  const prep = await prepare(parseConfig('family: categorical\ninit: { probs: [0.2, 0.3, 0.5] }\nloop: { generations: 60, samples: 15 }\nseeds: 5\nrecord: every\n', 'r.yaml'), nodeIo);
  runToDir(prep, tmp, true);
  const { lines } = readJsonl<LogLine>(join(tmp, FILES.log));
  for (const [seed, g] of [[0, 0], [2, 7], [4, 30]] as const) {
    const { state } = await replay(tmp, seed, nodeIo, g);
    const line = lines.find((l) => l.seed === seed && l.generation === Math.min(g, state.generation))!;
    expect((state.model as { probs: number[] }).probs[0]).toBe(line.metrics.p0);
  }
  await expect(replay(tmp, 99, nodeIo)).rejects.toThrow(/seed 99 is not in this run/);
});
