// What the dashboard must never do, whatever is planted in its runs directory or sent to it:
// follow a link out of a run, or a sweep index out of its sweep.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCoinRun } from '../report/test-runs.ts';
import { createApp, LOOPBACK_HOSTS } from './app.ts';
import { Launcher } from './launch.ts';

const SECRET = 'SECRET-d41d8cd98f00';
let root: string;
let runs: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ouro-web-security-'));
  runs = join(root, 'runs');
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), `${SECRET}\n`);
  writeFileSync(join(outside, 'secret.jsonl'), JSON.stringify({ seed: 0, generation: 0, samples: [SECRET] }) + '\n');
  await writeCoinRun(join(runs, 'coin'), { samples: 10, temperature: 1, seeds: 3, generations: 20 });
  await writeCoinRun(join(outside, 'run'), { samples: 10, temperature: 1, seeds: 3, generations: 20, name: SECRET });
  // A run whose failure note and samples are links to files outside the runs directory.
  cpSync(join(runs, 'coin'), join(runs, 'linked'), { recursive: true });
  symlinkSync(join(outside, 'secret.txt'), join(runs, 'linked', 'FAILED.txt'));
  symlinkSync(join(outside, 'secret.jsonl'), join(runs, 'linked', 'samples.jsonl'));
  // Sweeps whose cells lead outside: by a '..' path in the index, and by a link.
  const sweep = (name: string, dir: string) => {
    mkdirSync(join(runs, name, 'cells'), { recursive: true });
    writeFileSync(join(runs, name, 'sweep.json'), JSON.stringify({ name, source: 'x.yaml', sweepId: 'abc', keys: [], cells: [{ cell: 0, values: {}, runId: '0123456789ab', dir, status: 'complete' }] }));
  };
  sweep('dotdot', '../../outside/run');
  sweep('linkcell', 'cells/0123456789ab');
  symlinkSync(join(outside, 'run'), join(runs, 'linkcell', 'cells', '0123456789ab'));
  app = createApp({ runsDir: runs, examplesDir: join(root, 'none'), launcher: new Launcher(runs), hosts: LOOPBACK_HOSTS });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = async (path: string): Promise<{ status: number; text: string }> => {
  const r = await app.request(path);
  return { status: r.status, text: await r.text() };
};

describe('dashboard confinement', () => {
  it('never follows a link planted inside a run directory', async () => {
    for (const path of ['/run?dir=linked', '/report?dir=linked']) {
      const r = await get(path);
      expect(r.text, path).not.toContain(SECRET);
      expect(r.status, path).toBe(404);
      expect(r.text, path).toMatch(/is a symbolic link; a run directory holds only regular files/);
    }
  });

  it('never renders a sweep cell outside its sweep', async () => {
    const dotdot = await get('/sweep?dir=dotdot');
    expect(dotdot.status).toBe(404);
    expect(dotdot.text).toMatch(/cell 0 has directory "..\/..\/outside\/run"; a cell's directory is cells\/<its runId>/);
    const linked = await get('/sweep?dir=linkcell');
    expect(linked.status).toBe(404);
    expect(linked.text).toMatch(/links outside the sweep directory/);
    for (const r of [dotdot, linked, await get('/report?dir=dotdot'), await get('/report?dir=linkcell')]) expect(r.text).not.toContain(SECRET);
  });
});
