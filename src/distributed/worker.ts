// `ouro worker`: consumes sweep cells from the queue on this machine. Each job runs sandboxed
// in a child process (processor.ts) while this process renews its lock; a worker killed
// mid-job leaves the lock to expire, and any live worker's stalled-job check puts the job
// back to wait, so it is retried, never lost. close() finishes the running jobs first.
import { Queue, Worker } from 'bullmq';
import { childExecArgv, entryFile } from '../runner/entry-points.ts';
import { CORPUS_POLICY_ENV, type CorpusPolicy } from '../runner/confined-io.ts';
import { QUEUE_NAME, checkRedis, redisOptions } from './connection.ts';
import { queueSecret } from './signing.ts';

export interface WorkerSettings {
  readonly url: string;
  /** Where jobs may read corpora (a job is someone else's config). */
  readonly corpus: CorpusPolicy;
  /** Jobs run at once (one child process each). */
  readonly concurrency: number;
  /** How long a job's lock lasts without renewal (ms); renewed every half of it. */
  readonly lockDuration?: number;
  /** How often this worker looks for stalled jobs (ms). */
  readonly stalledInterval?: number;
  /** How many times a job may be recovered from a dead worker before it fails. */
  readonly maxStalledCount?: number;
  readonly name?: string;
  /** Close once the queue has no waiting, delayed or active jobs left. */
  readonly exitWhenEmpty?: boolean;
}

export interface WorkerHandle {
  /** Finishes the running jobs, then disconnects. */
  close(): Promise<void>;
  /** Resolves once the worker has closed (after close(), or when the queue ran empty). */
  readonly closed: Promise<void>;
}

export type WorkerEvent = { kind: 'completed' | 'failed' | 'stalled' | 'error'; id?: string; message?: string };

/** Starts consuming; throws QueueError if Redis cannot be reached. */
export async function startWorker(s: WorkerSettings, onEvent: (e: WorkerEvent) => void): Promise<WorkerHandle> {
  queueSecret(); // the children verify every job with it: refuse to start without one
  await checkRedis(s.url);
  const connection = redisOptions(s.url);
  const worker = new Worker(QUEUE_NAME, entryFile(new URL('./processor.ts', import.meta.url)), {
    connection,
    concurrency: s.concurrency,
    // Child processes, not threads: from the sources, Node 20 applies `--import tsx` to a
    // forked process but not to a worker thread's dynamic import of the processor.
    useWorkerThreads: false,
    workerForkOptions: { execArgv: childExecArgv(), env: { ...process.env, [CORPUS_POLICY_ENV]: JSON.stringify(s.corpus) } },
    maxStalledCount: s.maxStalledCount ?? 3,
    ...(s.lockDuration !== undefined ? { lockDuration: s.lockDuration } : {}),
    ...(s.stalledInterval !== undefined ? { stalledInterval: s.stalledInterval } : {}),
    ...(s.name !== undefined ? { name: s.name } : {}),
  });
  worker.on('completed', (job) => onEvent({ kind: 'completed', id: String(job.id) }));
  worker.on('failed', (job, err) => onEvent({ kind: 'failed', ...(job ? { id: String(job.id) } : {}), message: err.message }));
  worker.on('stalled', (id) => onEvent({ kind: 'stalled', id }));
  worker.on('error', (err) => onEvent({ kind: 'error', message: err.message }));
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= worker.close());
  const closed = new Promise<void>((resolve) => worker.on('closed', () => resolve()));
  if (s.exitWhenEmpty) {
    const queue = new Queue(QUEUE_NAME, { connection });
    const check = async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).every((n) => n === 0)) await close();
    };
    // 'drained' alone is not enough: a worker that was idle while others took the last jobs never sees it.
    worker.on('drained', () => void check().catch(() => {}));
    const poll = setInterval(() => void check().catch(() => {}), 2000);
    void closed.then(() => (clearInterval(poll), queue.close()));
    await check();
  }
  return { close, closed };
}
