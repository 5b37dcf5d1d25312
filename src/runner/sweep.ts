// The local sweep pool: cells run on worker threads (src/runner/worker-thread.ts), each into
// its own run directory, in cell order as threads free up. A cell's bytes depend only on its
// config (keyed randomness), so the number of threads changes the speed, never the result.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.ts';
import { startWorker } from './entry-points.ts';

/** One cell for a worker thread; `id` is the caller's handle for it. */
export interface CellTask {
  readonly id: number;
  readonly runId: string;
  readonly config: Config;
  readonly dir: string;
  /** Continue a started run directory (finished seeds kept) instead of starting afresh. */
  readonly resume: boolean;
  readonly provenance?: { readonly version: string; readonly commit: string | null };
}

export type FromWorker =
  | { type: 'started'; id: number }
  | { type: 'progress'; id: number; seedsDone: number }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; message: string; input: boolean };

export type CellOutcome = { id: number; ok: true } | { id: number; ok: false; message: string; input: boolean };

export interface PoolOptions {
  readonly workers?: number;
  /** Seeds finished so far across all cells (cells of `tasks` only). */
  readonly onProgress?: (seedsDone: number) => void;
  readonly onCell?: (outcome: CellOutcome) => void;
  /** A thread takes task `id`. */
  readonly onStart?: (id: number) => void;
}

/** The default number of worker threads: one per core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Runs every task on up to `workers` threads; resolves with one outcome per task, in task order. */
export async function runCells(tasks: readonly CellTask[], opts: PoolOptions = {}): Promise<CellOutcome[]> {
  if (tasks.length === 0) return [];
  const n = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), tasks.length));
  const outcomes = new Map<number, CellOutcome>();
  const seeds = new Map<number, number>();
  let next = 0;
  let total = 0;
  const runOn = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      let running = 0;
      const send = (): void => {
        const task = tasks[next++];
        if (!task) return void (running === 0 && worker.terminate().then(() => resolve(), reject));
        running++;
        worker.postMessage(task);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'started') return opts.onStart?.(m.id);
        if (m.type === 'progress') {
          total += m.seedsDone - (seeds.get(m.id) ?? 0);
          seeds.set(m.id, m.seedsDone);
          opts.onProgress?.(total);
          return;
        }
        const outcome: CellOutcome = m.type === 'done' ? { id: m.id, ok: true } : { id: m.id, ok: false, message: m.message, input: m.input };
        outcomes.set(m.id, outcome);
        opts.onCell?.(outcome);
        running--;
        send();
      });
      worker.on('error', reject);
      send();
      send(); // one cell queued behind the running one (worker-thread.ts)
    });
  const url = new URL('./worker-thread.ts', import.meta.url);
  await Promise.all(Array.from({ length: n }, () => runOn(startWorker(url))));
  return tasks.map((t) => outcomes.get(t.id)!);
}
