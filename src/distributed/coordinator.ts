// The sweep's side of the queue: enqueue signed cells (job id = run-<run id>, so a cell is queued
// at most once however often it is enqueued) and gather finished ones into the sweep directory.
// A result is checked (payload.ts) and installed by run id with write-then-rename, so gathering
// twice writes nothing twice; a result that fails its checks (payload.ts, and arithmetic other
// than the sweep's other cells: store/arithmetic.ts) is refused alone, its job removed so that
// the sweep enqueues the cell again.
import { Queue } from 'bullmq';
import type { Config } from '../config/schema.ts';
import { installCell, writeIndex, type IndexCell, type SweepIndex } from '../store/sweepdir.ts';
import { QUEUE_NAME, checkRedis, redisOptions } from './connection.ts';
import { cellJob, jobIdOf, ResultError, unpackFiles } from './payload.ts';
import { FILES, RunDirError } from '../store/rundir.ts';
import { arithmeticDifference, arithmeticIn, sweepArithmetic } from '../store/arithmetic.ts';

const BATCH = 500;

/** Opens the queue after checking that Redis answers (QueueError otherwise). */
export async function openQueue(url: string): Promise<Queue> {
  await checkRedis(url);
  return new Queue(QUEUE_NAME, { connection: redisOptions(url) });
}

/**
 * Adds a job per cell that is not queued yet; a cell whose earlier job failed is retried.
 * Returns how many jobs were added or retried.
 */
export async function enqueue(queue: Queue, secret: Buffer, cells: readonly { runId: string; config: Config }[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < cells.length; i += BATCH) {
    const batch = cells.slice(i, i + BATCH);
    const states = await Promise.all(batch.map((c) => queue.getJobState(jobIdOf(c.runId))));
    const fresh = batch.filter((_, j) => states[j] === 'unknown');
    await queue.addBulk(fresh.map((c) => ({ name: 'cell', data: cellJob(secret, c.runId, c.config), opts: { jobId: jobIdOf(c.runId), attempts: 1, removeOnComplete: false, removeOnFail: false } })));
    added += fresh.length;
    for (const [j, c] of batch.entries()) {
      if (states[j] !== 'failed') continue;
      await (await queue.getJob(jobIdOf(c.runId)))?.retry('failed');
      added++;
    }
  }
  return added;
}

export interface GatherOptions {
  /** Keep polling until every cell is complete or failed. */
  readonly wait: boolean;
  readonly pollMs?: number;
  readonly onCell?: (cell: IndexCell, outcome: 'complete' | 'failed', reason?: string) => void;
}

export interface Gathered {
  readonly installed: number;
  readonly failed: readonly { cell: IndexCell; reason: string }[];
  /** Cells neither complete nor failed (not queued, waiting or running). */
  readonly pending: readonly IndexCell[];
  /** Cells whose job Redis no longer holds (see LOST_JOB). */
  readonly lost: readonly IndexCell[];
  /** Cells whose result failed its checks (its job is removed: enqueueing the sweep again redoes it). */
  readonly rejected: readonly { cell: IndexCell; reason: string }[];
}

/** How often gathering checks that the jobs it waits for still exist (a Redis restarted without its data has none). */
const LOST_CHECK_MS = 5000;

/** Why a job is missing from Redis, and the fix. */
export const LOST_JOB = 'the job is no longer in Redis (Redis restarted without its data, or the job was deleted); run the `ouro sweep CONFIG --queue URL --out DIR` that made the sweep again to enqueue it again';

/** Installs every finished job of the sweep's unfinished cells into `dir`, updating the index. */
export async function gather(queue: Queue, secret: Buffer, dir: string, index: SweepIndex, opts: GatherOptions): Promise<Gathered> {
  const byRun = new Map<string, IndexCell[]>();
  for (const c of index.cells) if (c.status !== 'complete') byRun.set(c.runId, [...(byRun.get(c.runId) ?? []), c]);
  let installed = 0;
  const failed: { cell: IndexCell; reason: string }[] = [];
  const lost: IndexCell[] = [];
  const rejected: { cell: IndexCell; reason: string }[] = [];
  let checked = 0;
  let reference = sweepArithmetic(dir, index);
  for (;;) {
    // Two range reads per poll (ids of finished jobs), not a call per cell.
    const [completed, failedIds] = await Promise.all([queue.getRanges(['completed'], 0, -1), queue.getRanges(['failed'], 0, -1)]);
    const finished = new Set([...completed, ...failedIds]);
    const failedSet = new Set(failedIds);
    let changed = false;
    for (const id of [...byRun.keys()].filter((k) => finished.has(jobIdOf(k)))) {
      const job = await queue.getJob(jobIdOf(id));
      if (!job) continue;
      const cells = byRun.get(id)!;
      byRun.delete(id);
      changed = true;
      if (failedSet.has(jobIdOf(id))) {
        for (const c of cells) failed.push({ cell: c, reason: job.failedReason }), opts.onCell?.(c, 'failed', job.failedReason);
        continue;
      }
      try {
        const files = unpackFiles(secret, id, job.returnvalue as unknown);
        const arithmetic = arithmeticIn(new TextDecoder().decode(files[FILES.config]));
        const diff = arithmeticDifference(arithmetic, reference?.arithmetic, ['in this result', `in cell ${reference?.runId}`]);
        if (diff) throw new ResultError(`it was computed on other arithmetic than the sweep's other cells (${diff}), so its bytes would not match theirs; run the workers on one kind of machine and build (or all with OURO_GEMM=typescript), then run the sweep again to enqueue it (docs/security.md)`);
        if (installCell(dir, cells[0]!, files)) installed++;
        if (arithmetic) reference ??= { arithmetic, runId: id };
      } catch (e) {
        if (!(e instanceof ResultError || e instanceof RunDirError)) throw e;
        await job.remove();
        for (const c of cells) rejected.push({ cell: c, reason: e.message }), opts.onCell?.(c, 'failed', e.message);
        continue;
      }
      for (const c of cells) opts.onCell?.(c, 'complete');
    }
    if (Date.now() - checked > LOST_CHECK_MS) {
      checked = Date.now();
      for (const id of await missingJobs(queue, [...byRun.keys()])) {
        for (const c of byRun.get(id)!) lost.push(c), opts.onCell?.(c, 'failed', LOST_JOB);
        byRun.delete(id);
      }
    }
    if (changed) writeIndex(dir, index);
    if (!opts.wait || byRun.size === 0) break;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
  return { installed, failed, pending: [...byRun.values()].flat(), lost, rejected };
}

/** The run ids among `runIds` whose job Redis does not hold in any state. */
async function missingJobs(queue: Queue, runIds: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < runIds.length; i += BATCH) {
    const batch = runIds.slice(i, i + BATCH);
    const states = await Promise.all(batch.map((id) => queue.getJobState(jobIdOf(id))));
    missing.push(...batch.filter((_, j) => states[j] === 'unknown'));
  }
  return missing;
}

/** One line per cell gathering did not complete: failed on a worker, lost from Redis, or a result refused. */
export function gatherProblems(got: Gathered, label: (c: IndexCell) => string): string[] {
  return [
    ...got.failed.map((f) => `cell ${f.cell.cell} (${label(f.cell)}) failed on a worker: ${f.reason}`),
    ...got.lost.map((c) => `cell ${c.cell} (${label(c)}) is lost: ${LOST_JOB}`),
    ...got.rejected.map((r) => `cell ${r.cell.cell} (${label(r.cell)}): its result was refused, ${r.reason}; running the sweep command again enqueues it again`),
  ];
}
