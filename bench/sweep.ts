// `npm run bench -- sweep [--cells N] [--seeds N] [--samples N] [--repeats N] [--json]`: cells
// per second for a sweep of small coin runs (one cell per root seed) on 1 and 2 local worker
// threads, as whole `ouro sweep` processes (what a user waits for: the compiled build, thread
// start-up and the sweep's files included), alternating (medians of `repeats` each, so both see
// the same machine load), and through the BullMQ queue with 2 `ouro worker` processes on a
// redis-server started here.
// ours = 2 threads, peer = 1 thread, ratio = the speed-up; scaling efficiency = speed-up / 2.
// For the queue, workers are started and connected before the clock starts (long-lived in
// practice) and the time runs from enqueue to the last result written into the sweep
// directory. All three must give the same bytes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planSweep } from '../src/config/sweep.ts';
import { startLocalRedis } from '../src/distributed/local-redis.ts';
import { enqueue, gather, gatherProblems, openQueue } from '../src/distributed/coordinator.ts';
import { QUEUE_SECRET_ENV } from '../src/distributed/signing.ts';
import { nodeIo } from '../src/runner/io.ts';
import { prepare, type Prepared } from '../src/runner/prepare.ts';
import { cellDirName, openSweepDir, writeIndex, type SweepIndex } from '../src/store/sweepdir.ts';
import type { BenchResult } from './run.ts';

interface Settings {
  cells: number;
  seeds: number;
  samples: number;
  repeats: number;
}

function parse(args: string[]): Settings {
  const s: Settings = { cells: 200, seeds: 10, samples: 50, repeats: 3 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!.replace(/^--/, '');
    const v = Number(args[i + 1]);
    if (!(flag in s) || !Number.isInteger(v) || v < 1) throw new Error(`sweep bench: unknown option or bad value '${args[i]} ${args[i + 1]}'; use --cells N --seeds N --samples N --repeats N (whole numbers ≥ 1)`);
    s[flag as keyof Settings] = v;
  }
  return s;
}

const repo = fileURLToPath(new URL('..', import.meta.url));

const configText = (s: Settings) => `name: bench-sweep\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 1000, samples: ${s.samples} }\nseeds: ${s.seeds}\nrecord: log\n`;

/** The cells as the queue's coordinator prepares them (the same run ids as `ouro sweep` of the same text). */
async function cellsOf(s: Settings): Promise<Prepared[]> {
  const text = configText(s);
  const plan = planSweep(text, 'bench-sweep.yaml', [`seed=${Array.from({ length: s.cells }, (_, i) => i).join(',')}`], { yes: true });
  const preps: Prepared[] = [];
  for (const c of plan.cells) preps.push(await prepare(c.config, nodeIo));
  return preps;
}

const TIME = '/usr/bin/time';

/**
 * `ouro sweep` of the cells on `workers` threads, as a user runs it: the whole process (the
 * compiled build, its threads' start-up, planning, every cell, the sweep's index and Parquet),
 * wall and CPU seconds (every thread) from GNU time.
 */
function local(config: string, s: Settings, dir: string, workers: number, again = false): { wall: number; cpu: number } {
  if (!existsSync(TIME)) throw new Error(`sweep bench: ${TIME} (GNU time) is needed to measure whole processes; Debian: apt-get install time`);
  const seeds = `seed=${Array.from({ length: s.cells }, (_, i) => i).join(',')}`;
  const r = spawnSync(TIME, ['-f', 'OURO-TIME %e %U %S', process.execPath, join(repo, 'bin/ouro.js'), 'sweep', config, '--set', seeds, '--workers', String(workers), ...(again ? ['--resume', dir] : ['--out', dir]), '--yes'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /OURO-TIME (\S+) (\S+) (\S+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`sweep bench: ouro sweep with ${workers} worker(s) failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) };
}

async function viaQueue(preps: readonly Prepared[], dir: string): Promise<number> {
  const redis = await startLocalRedis();
  const url = redis.url;
  const workers: ChildProcess[] = [];
  const secret = randomBytes(24).toString('hex'); // the queue secret this bench's coordinator and workers share
  try {
    for (const name of ['b1', 'b2']) {
      const w = spawn(process.execPath, [join(repo, 'bin/ouro.js'), 'worker', '--queue', url, '--concurrency', '1', '--name', name], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, [QUEUE_SECRET_ENV]: secret } });
      workers.push(w);
      await new Promise<void>((resolve) => w.stderr!.on('data', (d: Buffer) => String(d).includes('consuming') && resolve()));
    }
    const sweepId = 'bench';
    openSweepDir(dir, sweepId, true).release();
    const index: SweepIndex = { name: 'bench-sweep', source: 'bench', sweepId, keys: ['seed'], cells: preps.map((p, i) => ({ cell: i, values: { seed: i }, runId: p.runId, dir: cellDirName(p.runId), status: 'pending' })) };
    writeIndex(dir, index);
    const queue = await openQueue(url);
    const t0 = performance.now();
    await enqueue(queue, Buffer.from(secret), preps.map((p) => ({ runId: p.runId, config: p.config })));
    const got = await gather(queue, Buffer.from(secret), dir, index, { wait: true, pollMs: 50 });
    const seconds = (performance.now() - t0) / 1000;
    await queue.close();
    const problems = gatherProblems(got, (c) => `seed=${c.values.seed}`);
    if (problems.length) throw new Error(`sweep bench: ${problems.length} cell(s) did not complete on the queue: ${problems[0]}`);
    return seconds;
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on('exit', r)))));
    redis.stop();
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function sameBytes(preps: readonly Prepared[], dirs: readonly string[]): boolean {
  return preps.every((p) =>
    ['generations.jsonl', 'summary.json', 'metrics.parquet'].every((f) => {
      const [first, ...rest] = dirs.map((d) => readFileSync(join(d, cellDirName(p.runId), f)));
      return rest.every((b) => b.equals(first!));
    }),
  );
}

export async function run(args: string[]): Promise<BenchResult> {
  const s = parse(args);
  const tmp = mkdtempSync(join(tmpdir(), 'ouro-bench-sweep-'));
  try {
    const preps = await cellsOf(s);
    const config = join(tmp, 'bench-sweep.yaml');
    writeFileSync(config, configText(s));
    const ones: { wall: number; cpu: number }[] = [];
    const twos: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < s.repeats; i++) {
      const last = i === s.repeats - 1; // the last round's directories are compared below
      ones.push(local(config, s, join(tmp, last ? 'one' : `one-${i}`), 1));
      twos.push(local(config, s, join(tmp, last ? 'two' : `two-${i}`), 2));
    }
    // The same sweep again over its finished directory: every cell is skipped, so this is the
    // work no thread shares (start-up, planning, the index, the sweep's Parquet, the report).
    const serial = median(Array.from({ length: s.repeats }, () => local(config, s, join(tmp, 'one'), 1, true).cpu));
    const one = median(ones.map((x) => x.wall));
    const two = median(twos.map((x) => x.wall));
    const cpu = { oneThread: median(ones.map((x) => x.cpu)), twoThreads: median(twos.map((x) => x.cpu)) };
    const queued = await viaQueue(preps, join(tmp, 'queue'));
    const rate = (sec: number) => s.cells / sec;
    return {
      name: 'sweep',
      unit: 'cells/s',
      ours: rate(two),
      peer: rate(one),
      ratio: one / two,
      settings: { ...s, cores: availableParallelism(), ours: '2 worker threads', peer: '1 worker thread', queue: 'BullMQ, 2 ouro worker processes × concurrency 1, local redis-server' },
      seconds: { oneThread: one, twoThreads: two, queueTwoWorkers: queued },
      runs: { oneThread: ones.map((x) => x.wall), twoThreads: twos.map((x) => x.wall) },
      cpuSeconds: { ...cpu, serial },
      // What 2 free cores would give, from CPU times, where other work holds the cores and the
      // wall-clock speed-up cannot show it: the serial part runs alone, the rest of the 2-thread
      // CPU time is shared by the threads (they balance: a queued cell per thread). An upper
      // bound: 2 × CPU₁ / CPU₂, as if nothing ran serially.
      cpuSpeedup: cpu.oneThread / (serial + (cpu.twoThreads - serial) / 2),
      cpuSpeedupBound: (2 * cpu.oneThread) / cpu.twoThreads,
      scalingEfficiency: one / two / 2,
      queueCellsPerSecond: rate(queued),
      queueEfficiency: one / queued / 2,
      identicalBytes: sameBytes(preps, [join(tmp, 'one'), join(tmp, 'two'), join(tmp, 'queue')]),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function table(r: BenchResult): [string, string][] {
  const st = r.settings as unknown as Settings & { cores: number };
  const sec = r.seconds as { oneThread: number; twoThreads: number; queueTwoWorkers: number };
  const runs = r.runs as { oneThread: number[]; twoThreads: number[] };
  const cpu = r.cpuSeconds as { oneThread: number; twoThreads: number; serial: number };
  const all = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  return [
    ['setting', `${st.cells} cells, each ${st.seeds} coins of ${st.samples} flips/generation until fixation; ${st.cores} cores; 1 and 2 threads alternating`],
    ['1 worker thread (peer)', `${r.peer.toFixed(1)} cells/s (${sec.oneThread.toFixed(2)} s, median of ${all(runs.oneThread)})`],
    ['2 worker threads (ours)', `${r.ours.toFixed(1)} cells/s (${sec.twoThreads.toFixed(2)} s, median of ${all(runs.twoThreads)})`],
    ['speed-up 2 / 1 threads', `${r.ratio.toFixed(2)}× (scaling efficiency ${(100 * (r.scalingEfficiency as number)).toFixed(0)}%)`],
    ['CPU time, 1 / 2 threads', `${cpu.oneThread.toFixed(2)} s / ${cpu.twoThreads.toFixed(2)} s, of which serial ${cpu.serial.toFixed(2)} s (the sweep run again, every cell done)`],
    ['speed-up 2 free cores would give', `${(r.cpuSpeedup as number).toFixed(2)}× = CPU₁ / (serial + (CPU₂ − serial) / 2); at most ${(r.cpuSpeedupBound as number).toFixed(2)}× (2 × CPU₁ / CPU₂)`],
    ['queue, 2 ouro workers', `${(r.queueCellsPerSecond as number).toFixed(1)} cells/s (${sec.queueTwoWorkers.toFixed(2)} s; efficiency vs 2 × 1 thread ${(100 * (r.queueEfficiency as number)).toFixed(0)}%)`],
    ['identical bytes (1, 2 threads, queue)', String(r.identicalBytes)],
  ];
}
