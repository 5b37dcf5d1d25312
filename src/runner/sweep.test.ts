// Local sweeps through the real command line: the same bytes with 1 and 2 worker threads,
// after a kill -9 half-way and --resume, and a finished sweep is not recomputed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { prepare } from './prepare.ts';
import { nodeIo } from './io.ts';
import { runCells } from './sweep.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ouro-sweep-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `ouro ARGS`; `onStart` sees the child (to kill it). */
function ouro(args: string[], onStart?: (pid: number) => void): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, 'bin/ouro.js'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onStart?.(child.pid!);
  });
}

/** Every file of every cell, the index and the combined Parquet, by relative path. */
function sweepBytes(dir: string, files = ['generations.jsonl', 'summary.json', 'metrics.parquet']): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const cell of readdirSync(join(dir, 'cells'))) for (const f of files) out.set(`cells/${cell}/${f}`, readFileSync(join(dir, 'cells', cell, f)));
  out.set('metrics.parquet', readFileSync(join(dir, 'metrics.parquet')));
  return out;
}

// 6 cells of 6 coins of 100 flips each (each coin some 140 generations, at most 2000): long enough to kill half-way.
const config = `name: kill-test
family: categorical
init: { probs: [0.5, 0.5] }
loop: { generations: 2000, samples: 100 }
seeds: 6
record: log
sweep:
  grid:
    loop.temperature: [1, 0.95]
    seed: [0, 1, 2]
`;

describe('ouro sweep (local)', () => {
  it('gives the same bytes with 1 and 2 workers and after kill -9 and --resume; finished cells are skipped', async () => {
    const cfg = join(tmp, 'kill-test.yaml');
    writeFileSync(cfg, config);
    const one = join(tmp, 'one');
    const r1 = await ouro(['sweep', cfg, '--out', one, '--workers', '1', '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    const doc = JSON.parse(r1.stdout) as { ran: number; cells: { status: string; values: Record<string, unknown> }[] };
    expect(doc.ran).toBe(6);
    expect(doc.cells.map((c) => c.status)).toEqual(Array(6).fill('complete'));

    const two = join(tmp, 'two');
    let sawPartial = false;
    const killed = await ouro(['sweep', cfg, '--out', two, '--workers', '2'], (pid) => {
      const poll = setInterval(() => {
        const cells = existsSync(join(two, 'cells')) ? readdirSync(join(two, 'cells')).map((c) => join(two, 'cells', c)) : [];
        const done = cells.filter((c) => existsSync(join(c, 'summary.json'))).length;
        const partial = cells.some((c) => !existsSync(join(c, 'summary.json')) && existsSync(join(c, 'generations.jsonl')) && statSync(join(c, 'generations.jsonl')).size > 0);
        if (done >= 2 && partial) {
          sawPartial = true;
          process.kill(pid, 'SIGKILL');
          clearInterval(poll);
        }
      }, 20);
      setTimeout(() => clearInterval(poll), 60_000).unref();
    });
    expect(sawPartial, 'the sweep finished before it could be killed half-way; make the cells longer').toBe(true);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await ouro(['sweep', cfg, '--out', two, '--workers', '2', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as { ran: number }).ran).toBeLessThan(6); // finished cells are skipped

    const a = sweepBytes(one);
    const b = sweepBytes(two);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);

    const rows = await parquetReadObjects({ file: new Uint8Array(readFileSync(join(one, 'metrics.parquet'))).buffer });
    expect(Object.keys(rows[0]!)).toEqual(['cell', 'runId', 'loop.temperature', 'config.seed', 'seed', 'generation', 'metric', 'value', 'stopped']);
    expect(new Set(rows.map((r) => r['loop.temperature']))).toEqual(new Set([1, 0.95]));
    expect(new Set(rows.map((r) => r['config.seed']))).toEqual(new Set([0, 1, 2]));
    expect(new Set(rows.map((r) => r.cell))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  }, 120_000);

  it('reports a failing cell and still runs the others', async () => {
    const good = parseConfig('family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { samples: 10 }\nseeds: 2\n', 'good');
    const prep = await prepare(good, nodeIo);
    const tasks = [
      { id: 0, runId: prep.runId, config: prep.config, dir: join(tmp, 'good'), resume: false },
      { id: 1, runId: 'not-its-id', config: prep.config, dir: join(tmp, 'bad'), resume: false },
    ];
    const outcomes = await runCells(tasks, { workers: 2 });
    expect(outcomes[0]).toEqual({ id: 0, ok: true });
    expect(outcomes[1]).toMatchObject({ id: 1, ok: false, message: expect.stringMatching(/prepared to run id/) as unknown });
    expect(existsSync(join(tmp, 'good', 'summary.json'))).toBe(true);
  }, 60_000);
});
