// Over a real Redis: the coordinator installs a checked result and refuses forged ones one cell
// at a time (a rogue worker without the secret, a compression bomb), and a worker refuses a job
// that was put in the queue by hand or that names a corpus it does not allow.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { nodeIo } from '../runner/io.ts';
import { prepare } from '../runner/prepare.ts';
import { runToDir } from '../runner/run.ts';
import { readIndex, readRunFiles } from '../store/sweepdir.ts';
import { has } from '../system.test-support.ts';
import { QUEUE_NAME, redisOptions } from './connection.ts';
import { startLocalRedis, type LocalRedis } from './local-redis.ts';
import { cellJob, jobIdOf, packFiles, type CellJobData } from './payload.ts';
import { QUEUE_SECRET_ENV, queueSecret, signResult } from './signing.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
process.env[QUEUE_SECRET_ENV] ??= 'a queue secret for the tests'; // shared with every process started here
const tmp = mkdtempSync(join(tmpdir(), 'ouro-trust-'));
let redis: LocalRedis | undefined;
afterAll(async () => {
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const ouro = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(repo, 'bin/ouro.js'), ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
};

describe.skipIf(!has('redis'))('results and jobs over the queue', () => {
  it('installs a checked result, refuses forged ones cell by cell, and a worker refuses a hand-made job', async () => {
    redis = await startLocalRedis();
    const cfg = join(tmp, 'trust.yaml');
    writeFileSync(cfg, 'name: trust\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 50, samples: 10 }\nseeds: 2\nsweep: { grid: { seed: [1, 2, 3] } }\n');
    const dir = join(tmp, 'sweep');
    expect(ouro('sweep', cfg, '--queue', redis.url, '--out', dir, '--no-wait').code).toBe(0);
    const cells = readIndex(dir).cells;
    const secret = queueSecret();
    // A worker that answers each cell its own way: honestly, forged without the secret, a signed bomb.
    const rogue = new Worker<CellJobData>(
      QUEUE_NAME,
      async (job) => {
        const i = cells.findIndex((c) => jobIdOf(c.runId) === job.id);
        if (i === 1) return { runId: job.data.runId, files: {}, mac: 'f'.repeat(64) };
        const prep = await prepare(parseConfig(JSON.stringify(job.data.config), 'job'), nodeIo);
        const out = join(tmp, `rogue-${i}`);
        runToDir(prep, out, true);
        const honest = packFiles(secret, prep.runId, readRunFiles(out));
        if (i === 0) return honest;
        const bomb = { ...honest.files, 'generations.jsonl': gzipSync(new Uint8Array(300 * 2 ** 20)).toString('base64') };
        return { runId: prep.runId, files: bomb, mac: signResult(secret, prep.runId, bomb) };
      },
      { connection: redisOptions(redis.url), concurrency: 1 },
    );
    const queue = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
    try {
      await expect.poll(() => queue.getCompletedCount(), { timeout: 60_000, interval: 200 }).toBe(3);
      await rogue.close();
      const collected = ouro('collect', dir, '--queue', redis.url);
      expect(collected.code).toBe(1);
      expect(collected.err).toMatch(/cell 1 \(seed=2\): its result was refused, it is not signed with this coordinator's OURO_QUEUE_SECRET/);
      expect(collected.err).toMatch(/cell 2 \(seed=3\): its result was refused, generations.jsonl decompresses to more than 100 times its size/);
      expect(existsSync(join(dir, cells[0]!.dir, 'summary.json'))).toBe(true);
      for (const c of cells.slice(1)) {
        expect(existsSync(join(dir, c.dir))).toBe(false);
        expect(await queue.getJobState(jobIdOf(c.runId))).toBe('unknown'); // removed: the sweep enqueues it again
      }
      // A job put in the queue by hand, without the secret's signature.
      const prep = await prepare(parseConfig('name: hand\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 5, samples: 4 }\nseeds: 1\n', 'hand.yaml'), nodeIo);
      await queue.add('cell', { runId: prep.runId, config: prep.config }, { jobId: jobIdOf(prep.runId), attempts: 1 });
      // A signed job (from a coordinator whose user may read anything) naming a file the worker does not allow.
      const leak = await prepare(parseConfig(`name: leak\nfamily: ngram\ncorpus: { source: file, path: ${cfg} }\nloop: { generations: 5, tokens: 20 }\nseeds: 1\n`, 'leak.yaml'), nodeIo);
      await queue.add('cell', cellJob(secret, leak.runId, leak.config), { jobId: jobIdOf(leak.runId), attempts: 1 });
      expect(ouro('worker', '--queue', redis.url, '--concurrency', '1', '--exit-when-empty').code).toBe(0);
      expect((await queue.getJob(jobIdOf(prep.runId)))!.failedReason).toMatch(/not signed with this worker's OURO_QUEUE_SECRET: it was placed in the queue by hand/);
      expect((await queue.getJob(jobIdOf(leak.runId)))!.failedReason).toMatch(/trust\.yaml is outside the corpora this server may read \(the built-in corpora\)/);
    } finally {
      await rogue.close();
      await queue.close();
    }
  }, 120_000);

  it('refuses a result computed on other arithmetic than the sweep\'s other cells, naming both', async () => {
    redis ??= await startLocalRedis();
    const cfg = join(tmp, 'kernels.yaml');
    writeFileSync(cfg, 'name: kernels\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 20, samples: 10 }\nseeds: 2\nsweep: { grid: { seed: [1, 2, 3] } }\n');
    const dir = join(tmp, 'kernels');
    expect(ouro('sweep', cfg, '--queue', redis.url, '--out', dir, '--no-wait').code).toBe(0);
    const cells = readIndex(dir).cells;
    const secret = queueSecret();
    // Workers on two kinds of machine: the last cell's OpenBLAS picked another core type.
    const mixed = new Worker<CellJobData>(
      QUEUE_NAME,
      async (job) => {
        const i = cells.findIndex((c) => jobIdOf(c.runId) === job.id);
        const prep = await prepare(parseConfig(JSON.stringify(job.data.config), 'job'), nodeIo);
        const out = join(tmp, `kernels-${i}`);
        runToDir(prep, out, true);
        const files = readRunFiles(out);
        const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as object;
        const arithmetic = { gemm: 'openblas', kernels: 'native', openblas: `OpenBLAS 0.3.21 (core ${i === 2 ? 'Prescott' : 'Haswell'})`, build: 'ab'.repeat(32) };
        return packFiles(secret, prep.runId, { ...files, 'config.json': new TextEncoder().encode(JSON.stringify({ ...config, arithmetic })) });
      },
      { connection: redisOptions(redis.url), concurrency: 1 },
    );
    const queue = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
    try {
      await expect.poll(async () => (await Promise.all(cells.map((c) => queue.getJobState(jobIdOf(c.runId))))).every((st) => st === 'completed'), { timeout: 60_000, interval: 200 }).toBe(true);
      await mixed.close();
      const collected = ouro('collect', dir, '--queue', redis.url);
      expect(collected.code).toBe(1);
      expect(collected.err).toMatch(new RegExp(`cell 2 \\(seed=3\\): its result was refused, it was computed on other arithmetic than the sweep's other cells \\(openblas OpenBLAS 0\\.3\\.21 \\(core Prescott\\) in this result, OpenBLAS 0\\.3\\.21 \\(core Haswell\\) in cell ${cells[0]!.runId}\\)`));
      expect(cells.map((c) => existsSync(join(dir, c.dir, 'summary.json')))).toEqual([true, true, false]);
    } finally {
      await mixed.close();
      await queue.close();
    }
  }, 120_000);

  it('refuses to start a coordinator or worker without the shared secret', () => {
    const env = { ...process.env, [QUEUE_SECRET_ENV]: '' };
    for (const args of [['worker', '--queue', 'redis://127.0.0.1:1'], ['sweep', join(tmp, 'trust.yaml'), '--queue', 'redis://127.0.0.1:1']]) {
      const r = spawnSync(process.execPath, [join(repo, 'bin/ouro.js'), ...args], { cwd: tmp, encoding: 'utf8', env });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/the queue needs a shared secret: set OURO_QUEUE_SECRET to the same random string on the coordinator and every worker/);
    }
  });
});
