// A worker thread of the local sweep pool (src/runner/sweep.ts): runs one cell at a time
// into its run directory and reports progress, completion or the error to the pool.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { ConfigError } from '../config/load.ts';
import { FILES } from '../store/rundir.ts';
import { nodeIo } from './io.ts';
import { prepare } from './prepare.ts';
import { continueRun, runToDir } from './run.ts';
import type { CellTask, FromWorker } from './sweep.ts';

const port = parentPort!;
port.on('message', (task: CellTask) => {
  void runCell(task).then(
    () => post({ type: 'done', id: task.id }),
    (e: unknown) => post({ type: 'failed', id: task.id, message: (e as Error).message ?? String(e), input: e instanceof ConfigError }),
  );
});

function post(m: FromWorker): void {
  port.postMessage(m);
}

/** Runs (or, with `resume` and a started directory, continues) one cell. */
export async function runCell(task: CellTask): Promise<void> {
  const prep = await prepare(task.config, nodeIo);
  if (prep.runId !== task.runId) throw new Error(`cell ${task.runId}: the config prepared to run id ${prep.runId}; the sweep and this worker disagree on the config`);
  const onProgress = (p: { seedsDone: number }) => post({ type: 'progress', id: task.id, seedsDone: p.seedsDone });
  if (task.resume && existsSync(join(task.dir, FILES.config))) continueRun(prep, task.dir, { onProgress });
  else runToDir(prep, task.dir, true, { onProgress, ...(task.provenance ? { provenance: task.provenance } : {}) });
}
