// A worker killed with SIGKILL (alone, not its process group) leaves its sandboxed child
// without a parent: the child must exit by itself, not finish the cell, nor spin forever.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { nodeIo } from '../runner/io.ts';
import { prepare } from '../runner/prepare.ts';
import { has } from '../system.test-support.ts';
import { QUEUE_NAME, redisOptions } from './connection.ts';
import { QUEUE_SECRET_ENV, queueSecret } from './signing.ts';
import { startLocalRedis, type LocalRedis } from './local-redis.ts';
import { cellJob, jobIdOf } from './payload.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env[QUEUE_SECRET_ENV] ??= 'a queue secret for the tests'; // shared with every process started here
let redis: LocalRedis | undefined;
afterAll(async () => void (await redis?.stop()));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of `pid`'s sandboxed job child: the child process running bullmq's child main (not, e.g., tsx's esbuild service). */
function jobChild(pid: number): number | undefined {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.find((c) => /bullmq[\\/].*main\.js/.test(readFileSync(`/proc/${c}/cmdline`, 'utf8')));
}

async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T | undefined> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 100))) {
    const v = await f();
    if (v !== undefined) return v;
  }
  return undefined;
}

describe.skipIf(!has('redis'))('a killed worker', () => {
  it('takes its sandboxed child with it', async () => {
    redis = await startLocalRedis();
    // A cell of minutes: the child is deep in a synchronous run when its parent dies.
    const config = parseConfig('name: long\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 100000, samples: 100000 }\nseeds: 1000\nrecord: log\n', 'long.yaml');
    const prep = await prepare(config, nodeIo);
    const queue = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
    const worker = spawn(process.execPath, [join(repo, 'bin/ouro.js'), 'worker', '--queue', redis.url, '--concurrency', '1'], { cwd: repo, stdio: 'ignore' });
    let child: number | undefined;
    try {
      await queue.add('cell', cellJob(queueSecret(), prep.runId, prep.config), { jobId: jobIdOf(prep.runId), attempts: 1 });
      expect(await until(async () => ((await queue.getActiveCount()) > 0 ? true : undefined), 60_000)).toBe(true);
      child = await until(() => jobChild(worker.pid!), 30_000); // the job turns active a moment before its child is forked
      expect(child, 'no job child found').toBeDefined();
      // The child holds the lock of its run directory once the run has started.
      const lockOf = () => readdirSync(tmpdir()).filter((d) => d.startsWith(`ouro-cell-${prep.runId}-`)).map((d) => join(tmpdir(), d, 'run', 'run.lock')).find((l) => existsSync(l) && JSON.parse(readFileSync(l, 'utf8')).pid === child);
      const lock = await until(lockOf, 60_000);
      expect(lock, 'the cell never started').toBeDefined();
      await new Promise((r) => setTimeout(r, 500)); // inside the synchronous run
      worker.kill('SIGKILL');
      const gone = await until(() => (alive(child!) ? undefined : true), 10_000);
      expect(gone, `child ${child} still running 10 s after its worker was killed`).toBe(true);
      expect(existsSync(dirname(dirname(lock!))), 'the child left its temporary directory').toBe(false);
    } finally {
      worker.kill('SIGKILL');
      if (child !== undefined && alive(child)) process.kill(child, 'SIGKILL');
      await queue.close();
    }
  }, 120_000);
});
