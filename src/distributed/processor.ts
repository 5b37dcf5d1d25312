// The BullMQ processor, run sandboxed in a child process by `ouro worker`: the CPU-bound run
// never blocks the worker process, which keeps renewing the job's lock, so a long cell is not
// mistaken for a stalled one. The payload is validated afresh; a payload that does not
// validate fails its job with the validation message, once (no retry can fix it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import { provenance } from '../cli/provenance.ts';
import { ConfigError, parseConfig } from '../config/load.ts';
import { processIo } from '../runner/confined-io.ts';
import { prepare } from '../runner/prepare.ts';
import { runToDir } from '../runner/run.ts';
import { readRunFiles } from '../store/sweepdir.ts';
import { jobIdOf, jobSigned, packFiles, type CellJobData, type CellResult } from './payload.ts';
import { queueSecret } from './signing.ts';

// A child whose worker died (kill -9) has no one to report to: stop rather than finish a cell
// that another worker will redo. 'disconnect' comes only when the event loop turns, which a
// long synchronous run does not let it do, so the run's progress callback also looks for a new
// parent (and stops the run, which removes its temporary directory); and bullmq's
// uncaughtException handler, sending to the dead channel, fails and calls itself again
// forever, so an error without a parent ends the process here first.
const parent = process.ppid;
const orphaned = (): boolean => !process.connected || process.ppid !== parent;
const exitIfOrphaned = (): void => {
  if (orphaned()) process.exit(1);
};
process.on('disconnect', () => process.exit(1));
process.on('uncaughtException', exitIfOrphaned);
process.on('unhandledRejection', (reason) => {
  exitIfOrphaned();
  throw reason; // as Node does without a listener: it becomes an uncaught exception
});

class Orphaned extends Error {}

function stopIfOrphaned(): void {
  if (orphaned()) throw new Orphaned('the worker that started this cell is gone');
}

let made: ReturnType<typeof provenance> | undefined; // this worker's version and commit, read once

export default async function processCell(job: SandboxedJob<CellJobData, CellResult>): Promise<CellResult> {
  const prep = await validate(job);
  const dir = mkdtempSync(join(tmpdir(), `ouro-cell-${prep.runId}-`));
  let orphan = false;
  try {
    runToDir(prep, join(dir, 'run'), true, { provenance: (made ??= provenance()), onProgress: stopIfOrphaned });
    return packFiles(queueSecret(), prep.runId, readRunFiles(join(dir, 'run')));
  } catch (e) {
    orphan = e instanceof Orphaned;
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (orphan) process.exit(1);
  }
}

async function validate(job: SandboxedJob<CellJobData, CellResult>) {
  const where = `job ${job.id}`;
  try {
    const data = job.data as Partial<CellJobData> | null;
    if (!data || typeof data.config !== 'object' || data.config === null) throw new ConfigError([{ where, path: 'config', message: 'the job carries no config object' }]);
    if (!jobSigned(queueSecret(), data)) throw new ConfigError([{ where, path: 'mac', message: 'the job is not signed with this worker\'s OURO_QUEUE_SECRET: it was placed in the queue by hand, or by a coordinator with another secret' }]);
    const prep = await prepare(parseConfig(JSON.stringify(data.config), where), processIo());
    if (jobIdOf(prep.runId) !== job.id) throw new ConfigError([{ where, path: '', message: `the config prepares to run id ${prep.runId}, not the job id; the payload was altered or made by another version` }]);
    return prep;
  } catch (e) {
    if (e instanceof ConfigError) throw new UnrecoverableError(`invalid cell payload: ${e.message}`);
    throw e;
  }
}
