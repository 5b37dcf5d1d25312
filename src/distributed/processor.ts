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
import { nodeIo } from '../runner/io.ts';
import { prepare } from '../runner/prepare.ts';
import { runToDir } from '../runner/run.ts';
import { readRunFiles } from '../store/sweepdir.ts';
import { jobIdOf, packFiles, type CellJobData, type CellResult } from './payload.ts';

// A child whose worker died (kill -9) has no one to report to: stop rather than finish a cell
// that another worker will redo.
process.on('disconnect', () => process.exit(1));

let made: ReturnType<typeof provenance> | undefined; // this worker's version and commit, read once

export default async function processCell(job: SandboxedJob<CellJobData, CellResult>): Promise<CellResult> {
  const prep = await validate(job);
  const dir = mkdtempSync(join(tmpdir(), `ouro-cell-${prep.runId}-`));
  try {
    runToDir(prep, join(dir, 'run'), true, { provenance: (made ??= provenance()) });
    return packFiles(prep.runId, readRunFiles(join(dir, 'run')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function validate(job: SandboxedJob<CellJobData, CellResult>) {
  const where = `job ${job.id}`;
  try {
    const data = job.data as Partial<CellJobData> | null;
    if (!data || typeof data.config !== 'object' || data.config === null) throw new ConfigError([{ where, path: 'config', message: 'the job carries no config object' }]);
    const prep = await prepare(parseConfig(JSON.stringify(data.config), where), nodeIo);
    if (jobIdOf(prep.runId) !== job.id) throw new ConfigError([{ where, path: '', message: `the config prepares to run id ${prep.runId}, not the job id; the payload was altered or made by another version` }]);
    return prep;
  } catch (e) {
    if (e instanceof ConfigError) throw new UnrecoverableError(`invalid cell payload: ${e.message}`);
    throw e;
  }
}
