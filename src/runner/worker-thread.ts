// A worker thread of the local sweep pool (src/runner/sweep.ts), running one cell at a time
// into its run directory, and of a run shared among threads (src/runner/threads.ts), running
// one block of seeds at a time and sending it back encoded.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { ConfigError } from '../config/load.ts';
import { FILES } from '../store/rundir.ts';
import { processIo } from './confined-io.ts';
import { prepare, type Prepared } from './prepare.ts';
import { FRESH, computeBlock, continueRun, runToDir } from './run.ts';
import type { CellTask, FromWorker } from './sweep.ts';
import type { BlockTask, FromBlockWorker } from './threads.ts';

const port = parentPort!;
port.on('message', (task: CellTask | BlockTask) => {
  if ('type' in task) {
    void runBlockTask(task).then(
      (m) => port.postMessage(m, transfers(m)),
      (e: unknown) => port.postMessage({ type: 'failed', index: task.index, message: (e as Error).stack ?? String(e) } satisfies FromBlockWorker),
    );
    return;
  }
  cells.push(task);
  if (cells.length === 1) void nextCell();
});

// Cells waiting here, run one at a time: the pool sends the next before this one ends, so a
// thread never idles while its result travels to the pool and a new cell travels back.
const cells: CellTask[] = [];

async function nextCell(): Promise<void> {
  const task = cells[0];
  if (!task) return;
  post({ type: 'started', id: task.id });
  await runCell(task).then(
    () => post({ type: 'done', id: task.id }),
    (e: unknown) => post({ type: 'failed', id: task.id, message: (e as Error).message ?? String(e), input: e instanceof ConfigError }),
  );
  cells.shift();
  return nextCell();
}

function post(m: FromWorker): void {
  port.postMessage(m);
}

// The run this thread computes blocks of, prepared once (resources such as a corpus load once).
let prepared: Promise<Prepared> | undefined;
let preparedId = '';

async function runBlockTask(task: BlockTask): Promise<FromBlockWorker> {
  if (preparedId !== task.runId) (prepared = prepare(task.config, processIo())), (preparedId = task.runId);
  const prep = await prepared!;
  if (prep.runId !== task.runId) throw new Error(`block ${task.index}: the config prepared to run id ${prep.runId}, not ${task.runId}`);
  let at = 0;
  const progress = (generation: number): void => {
    const now = Date.now();
    if (now - at < 100) return;
    at = now;
    port.postMessage({ type: 'progress', index: task.index, generation } satisfies FromBlockWorker);
  };
  return { type: 'encoded', index: task.index, output: computeBlock(prep, task.index, task.seeds, FRESH, { progress }) };
}

/** The buffers a block's output hands over instead of copying. */
function transfers(m: FromBlockWorker): ArrayBuffer[] {
  if (m.type !== 'encoded') return [];
  const { group, feed } = m.output;
  return [m.output.logBytes.buffer as ArrayBuffer, group.bytes.buffer as ArrayBuffer, feed.gi.buffer as ArrayBuffer, feed.values.buffer as ArrayBuffer];
}

/** Runs (or, with `resume` and a started directory, continues) one cell. */
export async function runCell(task: CellTask): Promise<void> {
  const prep = await prepare(task.config, processIo());
  if (prep.runId !== task.runId) throw new Error(`cell ${task.runId}: the config prepared to run id ${prep.runId}; the sweep and this worker disagree on the config`);
  const onProgress = (p: { seedsDone: number }) => post({ type: 'progress', id: task.id, seedsDone: p.seedsDone });
  if (task.resume && existsSync(join(task.dir, FILES.config))) continueRun(prep, task.dir, { onProgress });
  else runToDir(prep, task.dir, true, { onProgress, ...(task.provenance ? { provenance: task.provenance } : {}) });
}
