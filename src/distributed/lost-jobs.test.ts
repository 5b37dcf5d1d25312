// A Redis that restarts without its data loses every queued job: `ouro sweep --queue` must say
// so and exit non-zero, never wait forever for results that cannot come.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { has } from '../system.test-support.ts';
import { QUEUE_NAME, redisOptions } from './connection.ts';
import { QUEUE_SECRET_ENV } from './signing.ts';
import { startLocalRedis, type LocalRedis } from './local-redis.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env[QUEUE_SECRET_ENV] ??= 'a queue secret for the tests'; // shared with every process started here
const tmp = mkdtempSync(join(tmpdir(), 'ouro-lost-'));
let redis: LocalRedis | undefined;
afterAll(async () => {
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!has('redis'))('ouro sweep --queue when Redis restarts empty', () => {
  it('names the lost cells and exits non-zero', async () => {
    redis = await startLocalRedis();
    const cfg = join(tmp, 'lost.yaml');
    writeFileSync(cfg, 'name: lost\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 100, samples: 10 }\nseeds: 2\nsweep: { grid: { seed: [1, 2, 3] } }\n');
    const child = spawn(process.execPath, [join(repo, 'bin/ouro.js'), 'sweep', cfg, '--queue', redis.url, '--out', join(tmp, 'sweep')], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const queue = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
    try {
      for (let t0 = Date.now(); (await queue.getWaitingCount()) < 3; ) {
        if (Date.now() - t0 > 30_000) throw new Error(`the sweep never enqueued its cells: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await queue.close();
    }
    const port = redis.port;
    await redis.stop();
    redis = await startLocalRedis(port); // same address, no data: every job is gone
    const code = await Promise.race([exited, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 30_000))]);
    if (code === 'waiting') child.kill('SIGKILL');
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/cell 0 \(seed=1\) is lost: the job is no longer in Redis \(Redis restarted without its data/);
    expect(stderr).toMatch(/cell 2 \(seed=3\) is lost/);
  }, 90_000);
});
