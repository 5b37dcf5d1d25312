// Ecosystem runs through the one runner: a lone agent's run is the plain run's, metric for
// metric; the same bytes with 1 and 2 worker threads and after kill -9 and --resume.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { FILES, readJsonl, type EndLine, type LogLine } from '../store/rundir.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';
import { runToDir } from './run.ts';

const BIN = new URL('../../bin/ouro.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ouro-eco-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(name: string, text: string) {
  const dir = join(tmp, name);
  runToDir(await prepare(parseConfig(text, `${name}.yaml`), nodeIo), dir, true);
  return readJsonl<LogLine>(join(dir, FILES.log)).lines;
}

describe('ecosystem runs', () => {
  it('an ecosystem of one agent records what the plain run records, under its name', async () => {
    const plain = 'family: categorical\ninit: { probs: [0.3, 0.3, 0.4] }\nloop: { generations: 300, samples: 15, temperature: 0.9 }\nseeds: 6\nrecord: { every: 3 }\n';
    const a = await run('plain', plain);
    const b = await run('lone', plain + 'ecosystem: { agents: [{ name: solo }] }\n');
    expect(b.length).toBe(a.length);
    a.forEach((l, i) => {
      const e = b[i]!;
      expect([e.seed, e.generation]).toEqual([l.seed, l.generation]);
      for (const [k, v] of Object.entries(l.metrics)) expect(e.metrics[`solo.${k}`]).toBe(v);
      if ('event' in l) {
        expect((e as EndLine).collapsedAt).toBe(l.collapsedAt);
        expect((e as EndLine).final).toEqual({ 'solo.fixedOn': l.final.fixedOn });
      }
    });
  });

  it('gives the same bytes with 1 and 2 worker threads, and after kill -9 and --resume', async () => {
    const body = `family: categorical
init: { probs: [0.5, 0.5] }
ecosystem:
  agents: [{ name: a, samples: 30 }, { name: b, samples: 20, posts: 40, temperature: 0.9 }]
  humans: { posts: 10, reads: { a: 1, b: 1 }, stubbornness: 0.5 }
  reads: { a: { a: 2, b: 1, people: 1 }, b: { a: 1, b: 2, people: 1 } }
loop: { generations: 2000 }
seeds: 45
record: log
`;
    // 45 seeds make blocks of 3 (encode.ts): odd, so state leaking from one seed to the next
    // shows with any split of blocks between threads, even a leak that only flips a parity.
    const path = join(tmp, 'eco.yaml');
    writeFileSync(path, body);
    const ouro = (...args: string[]) => spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd: tmp });
    const [one, two] = [join(tmp, 'w1'), join(tmp, 'w2')];
    expect(ouro('run', path, '--out', one, '--workers', '1').status).toBe(0);
    expect(ouro('run', path, '--out', two, '--workers', '2').status).toBe(0);
    const files = [FILES.log, FILES.summary, FILES.parquet, FILES.samples].filter((f) => existsSync(join(one, f)));
    const same = (a: string, b: string) => files.every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
    expect(same(one, two)).toBe(true);
    const dir = join(tmp, 'killed');
    const child = spawn('node', [BIN, 'run', path, '--out', dir, '--workers', '1'], { stdio: 'ignore' });
    const log = join(dir, FILES.log);
    const total = statSync(join(one, FILES.log)).size;
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (existsSync(log) && statSync(log).size > total / 3) clearInterval(t), child.kill('SIGKILL'), resolve();
      }, 5);
    });
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(join(dir, FILES.summary))).toBe(false);
    expect(ouro('run', '--resume', dir, '--workers', '2').status).toBe(0);
    expect(same(one, dir)).toBe(true);
  });
});
