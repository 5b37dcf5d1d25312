// The queue against a real Redis (Debian's redis-server, started here on a free port on
// 127.0.0.1 and stopped after): 200 cells through `ouro sweep --queue` and two `ouro worker`
// processes, one killed with SIGKILL mid-job; every result must arrive exactly once and match a
// local run byte for byte. Lock and stalled-check times are lowered so recovery takes seconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSweep } from '../config/sweep.ts';
import { nodeIo } from '../runner/io.ts';
import { prepare } from '../runner/prepare.ts';
import { runCells } from '../runner/sweep.ts';
import type { Config } from '../config/schema.ts';
import { QUEUE_NAME, checkRedis, redisOptions } from './connection.ts';
import { cellJob } from './payload.ts';
import { QUEUE_SECRET_ENV, queueSecret } from './signing.ts';
import { has } from '../system.test-support.ts';
import { freePort, startLocalRedis, type LocalRedis } from './local-redis.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env[QUEUE_SECRET_ENV] ??= 'a queue secret for the tests'; // shared with every process started here
const tmp = mkdtempSync(join(tmpdir(), 'ouro-queue-test-'));
let redis: LocalRedis | undefined;
let url = '';

beforeAll(async () => {
  if (!has('redis')) return;
  redis = await startLocalRedis();
  url = redis.url;
}, 30_000);

afterAll(() => {
  redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Starts `ouro ARGS` in its own process group (so a SIGKILL takes its children too). */
function start(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [join(repo, 'bin/ouro.js'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const worker = (name: string) => start(['worker', '--queue', url, '--concurrency', '1', '--name', name, '--lock-duration', '2000', '--stalled-interval', '1000']);

function cellBytes(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const cell of readdirSync(join(dir, 'cells'))) for (const f of ['generations.jsonl', 'summary.json', 'metrics.parquet']) out.set(`${cell}/${f}`, readFileSync(join(dir, 'cells', cell, f)));
  return out;
}

// 200 cells: coins of 20 flips (some 28 generations to fixation), 3 seeds each, one cell per root seed.
const config = `name: queue-test
family: categorical
init: { probs: [0.5, 0.5] }
loop: { generations: 1000, samples: 20 }
seeds: 3
record: log
sweep:
  grid:
    seed: [${Array.from({ length: 200 }, (_, i) => i).join(', ')}]
`;

describe.skipIf(!has('redis'))('ouro sweep --queue with ouro worker', () => {
  it('survives a worker killed mid-job: every cell once, identical to a local run; a bad payload fails alone', async () => {
    const cfg = join(tmp, 'queue-test.yaml');
    writeFileSync(cfg, config);
    const queue = new Queue(QUEUE_NAME, { connection: redisOptions(url) });
    try {
      // Signed (so it reaches validation) but not a valid config.
      await queue.add('cell', cellJob(queueSecret(), 'bad-payload', { family: 'categorical', loop: { temperature: -1 } } as unknown as Config), { jobId: 'bad-payload', attempts: 1 });
      const coordinator = start(['sweep', cfg, '--queue', url, '--out', join(tmp, 'queued'), '--json']);
      let w1 = worker('w1');
      const w2 = worker('w2');
      let killedJob: string | undefined;
      for (let tries = 0; !killedJob && tries < 5; tries++) {
        const active = await waitFor(async () => (await queue.getActive()).find((j) => j.processedBy === 'w1' && j.id !== 'bad-payload'), 60_000);
        process.kill(-w1.child.pid!, 'SIGKILL');
        await w1.done;
        if ((await queue.getJobState(active.id!)) === 'active') killedJob = active.id!; // it died holding the job
        else w1 = worker('w1'); // the job finished just before the kill: try again
      }
      expect(killedJob, 'could not kill a worker mid-job').toBeDefined();

      const result = await coordinator.done;
      expect(result.code, result.stderr).toBe(0);
      const doc = JSON.parse(result.stdout) as { cells: { status: string }[] };
      expect(doc.cells).toHaveLength(200);
      expect(doc.cells.every((c) => c.status === 'complete')).toBe(true);

      const recovered = (await queue.getJob(killedJob!))!;
      expect(recovered.stalledCounter).toBeGreaterThanOrEqual(1);
      expect(await queue.getJobState(killedJob!)).toBe('completed');
      expect(await queue.getJobCounts('completed', 'failed', 'active', 'waiting')).toEqual({ completed: 200, failed: 1, active: 0, waiting: 0 });
      const bad = (await queue.getJob('bad-payload'))!;
      expect(bad.failedReason).toMatch(/invalid cell payload: [\s\S]*temperature must be ≥ 0/);

      const cells = readdirSync(join(tmp, 'queued', 'cells'));
      expect(cells).toHaveLength(200); // no temporary directories left, one per run id
      expect(cells.every((c) => existsSync(join(tmp, 'queued', 'cells', c, 'summary.json')))).toBe(true);

      w2.child.kill('SIGTERM'); // graceful: finishes (no job left) and exits 0
      const stopped = await w2.done;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stderr).toMatch(/SIGTERM: finishing the running cells/);
    } finally {
      await queue.close();
    }
    // The same cells on local worker threads.
    const tasks = await Promise.all(
      planSweep(config, cfg, [], { yes: false }).cells.map(async (c, id) => {
        const prep = await prepare(c.config, nodeIo);
        return { id, runId: prep.runId, config: prep.config, dir: join(tmp, 'local', 'cells', prep.runId), resume: false };
      }),
    );
    expect((await runCells(tasks, { workers: 2 })).every((o) => o.ok)).toBe(true);
    const a = cellBytes(join(tmp, 'local'));
    const b = cellBytes(join(tmp, 'queued'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
  }, 150_000);

  it('runs ecosystem cells on a worker to the bytes of a local run', async () => {
    const eco = `name: queue-eco
family: categorical
init: { probs: [0.5, 0.5] }
ecosystem:
  agents: [{ name: a, samples: 20 }, { name: b, samples: 20, temperature: 0.9 }]
  humans: { posts: 10, reads: { a: 1, b: 1 }, stubbornness: 0.5 }
  reads: { a: { a: 2, b: 1, people: 1 }, b: { a: 1, b: 2, people: 1 } }
loop: { generations: 60 }
seeds: 4
sweep:
  grid:
    ecosystem.humans.stubbornness: [0, 1]
`;
    const cfg = join(tmp, 'queue-eco.yaml');
    writeFileSync(cfg, eco);
    const coordinator = start(['sweep', cfg, '--queue', url, '--out', join(tmp, 'eco-queued'), '--json']);
    const w = worker('eco');
    const result = await coordinator.done;
    w.child.kill('SIGTERM');
    expect(result.code, result.stderr).toBe(0);
    expect((await w.done).code).toBe(0);
    const tasks = await Promise.all(
      planSweep(eco, cfg, [], { yes: false }).cells.map(async (c, id) => {
        const prep = await prepare(c.config, nodeIo);
        return { id, runId: prep.runId, config: prep.config, dir: join(tmp, 'eco-local', 'cells', prep.runId), resume: false };
      }),
    );
    expect((await runCells(tasks, { workers: 1 })).every((o) => o.ok)).toBe(true);
    const a = cellBytes(join(tmp, 'eco-local'));
    const b = cellBytes(join(tmp, 'eco-queued'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
  }, 120_000);

  it('refuses an unreachable Redis within seconds', async () => {
    const closed = await freePort();
    const t0 = Date.now();
    await expect(checkRedis(`redis://127.0.0.1:${closed}`)).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(Date.now() - t0).toBeLessThan(4000);
    const cli = start(['worker', '--queue', `redis://127.0.0.1:${closed}`]);
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach Redis/);
  }, 30_000);
});

async function waitFor<T>(f: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
