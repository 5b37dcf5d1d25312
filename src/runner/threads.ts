// `ouro run --workers N`: a run's blocks of seeds shared among N threads (this one and N − 1
// worker threads), written in seed order as they complete. Which thread computed a block
// changes nothing in it (keys are values), so the bytes are those of one thread.
import type { Worker } from 'node:worker_threads';
import { blocksOfRun, type BlockOutput } from './encode.ts';
import type { Prepared } from './prepare.ts';
import type { Lock } from '../store/lock.ts';
import { lockRunDir } from '../store/rundir.ts';
import { computeBlock, continueRun, createRun, progressOf, writeRun, type Restart, type RunOptions } from './run.ts';
import type { RunSink } from './sink.ts';
import type { Summary } from './summary.ts';
import { startWorker } from './entry-points.ts';
import { defaultWorkers } from './sweep.ts';

export interface ThreadOptions extends RunOptions {
  /** Threads computing blocks, this one included (default: one per core). */
  readonly workers?: number;
}

/** One block for a worker thread to compute and encode. */
export interface BlockTask {
  readonly type: 'block';
  readonly config: Prepared['config'];
  readonly runId: string;
  readonly index: number;
  readonly seeds: readonly number[];
}

export type FromBlockWorker =
  | { type: 'progress'; index: number; generation: number }
  | { type: 'encoded'; index: number; output: BlockOutput }
  | { type: 'failed'; index: number; message: string };

/** runToDir on `workers` threads. */
export async function runToDirOnThreads(prep: Prepared, dir: string, force: boolean, opts: ThreadOptions = {}): Promise<Summary> {
  return continueOnThreads(prep, dir, opts, createRun(prep, dir, force, opts));
}

/**
 * continueRun on `workers` threads (`lock` as for continueRun). Checkpointing families write
 * their lines before each checkpoint, in seed order, so they stay on this thread (their GEMM
 * has threads of its own).
 */
export async function continueOnThreads(prep: Prepared, dir: string, opts: ThreadOptions = {}, lock: Lock = lockRunDir(dir)): Promise<Summary> {
  const blocks = blocksOfRun(prep);
  const threads = Math.min(opts.workers ?? defaultWorkers(), blocks.length);
  if (threads <= 1 || prep.entry.checkpoint) return continueRun(prep, dir, opts, lock);
  return writeRun(prep, dir, lock, (sink, restart) => share(prep, blocks, restart, sink, threads, opts));
}

/** Hands blocks to whichever thread is free, at most WINDOW blocks ahead of the last one written. */
async function share(prep: Prepared, blocks: readonly number[][], restart: Restart, sink: RunSink, threads: number, opts: ThreadOptions): Promise<void> {
  const window = 4 * threads;
  const done = new Map<number, BlockOutput>();
  let next = 0;
  let written = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const progress = progressOf(prep, sink, opts);
  const take = (): number | undefined => (failure === undefined && next < blocks.length && next < written + window ? next++ : undefined);
  const finish = (index: number, output: BlockOutput): void => {
    done.set(index, output);
    for (let o = done.get(written); o; o = done.get(written)) {
      sink.add(o);
      done.delete(written++);
    }
  };
  const fromWorker = (m: FromBlockWorker): void => {
    if (m.type === 'progress') progress?.(m.generation);
    else if (m.type === 'failed') failure ??= new Error(m.message);
    else finish(m.index, m.output);
    wake?.();
  };
  const workers = Array.from({ length: threads - 1 }, () => startWorker(new URL('./worker-thread.ts', import.meta.url)));
  const idle: Worker[] = [];
  const feed = (w: Worker): void => {
    const index = take();
    if (index === undefined) return void idle.push(w);
    const seeds = blocks[index]!;
    // A block of which a resume kept some seeds is finished here, where the kept records are.
    if (seeds.some((s) => restart.done.has(s))) return finish(index, computeBlock(prep, index, seeds, restart)), feed(w);
    const task: BlockTask = { type: 'block', config: prep.config, runId: prep.runId, index, seeds };
    w.postMessage(task);
  };
  try {
    for (const w of workers) {
      w.on('message', (m: FromBlockWorker) => {
        fromWorker(m);
        if (m.type === 'encoded') feed(w);
      });
      w.on('error', (e) => ((failure ??= e), wake?.()));
      feed(w);
    }
    sink.theoryNow(); // while the workers start and take their first blocks
    while (written < blocks.length) {
      if (failure) throw failure;
      const index = take();
      if (index !== undefined) {
        finish(index, computeBlock(prep, index, blocks[index]!, restart, progress ? { progress } : {}));
        while (idle.length > 0 && next < Math.min(blocks.length, written + window)) feed(idle.pop()!);
        await new Promise<void>((r) => setImmediate(r)); // let finished workers' messages in
      } else {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        while (idle.length > 0 && next < Math.min(blocks.length, written + window)) feed(idle.pop()!);
      }
    }
    if (failure) throw failure;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
