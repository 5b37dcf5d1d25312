// `ouro collect SWEEP_DIR --queue redis://…`: gather the cells workers have finished into a
// sweep directory made by `ouro sweep --queue … --no-wait` (or one that was interrupted).
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { RunDirError } from '../../store/rundir.ts';
import { lockSweepDir, readIndex, writeIndex, writeSweepParquet } from '../../store/sweepdir.ts';
import { UsageError } from '../errors.ts';
import { label, queueInput, queueReady, reportSweep } from './sweep.ts';

export function register(program: Command): void {
  program
    .command('collect')
    .description(COMMANDS.collect.description)
    .argument('<sweepDir>', 'the sweep directory (holding sweep.json)')
    .requiredOption('--queue <url>', 'the Redis holding the queue, e.g. redis://10.0.0.5:6379')
    .option('--wait', 'keep gathering until every cell is complete or failed')
    .option('--json', 'print one JSON document on stdout')
    .action(async (dir: string, flags: { queue: string; wait?: boolean; json?: boolean }) => {
      let index;
      let lock;
      try {
        index = readIndex(dir);
        lock = lockSweepDir(dir);
      } catch (e) {
        throw e instanceof RunDirError ? new UsageError(e.message) : e;
      }
      try {
        writeIndex(dir, index);
        const secret = await queueReady(flags.queue);
        const { gather, gatherProblems, openQueue } = await import('../../distributed/coordinator.ts'); // bullmq loads only when used
        const queue = await openQueue(flags.queue).catch(queueInput);
        let got;
        try {
          got = await gather(queue, secret, dir, index, { wait: flags.wait ?? false });
        } finally {
          await queue.close();
        }
        writeIndex(dir, index);
        await writeSweepParquet(dir, index);
        reportSweep(dir, index, { ran: got.installed, json: flags.json ?? false });
        const problems = gatherProblems(got, label);
        process.stderr.write(problems.map((p) => `ouro: ${p}\n`).join(''));
        if (got.pending.length) process.stderr.write(`ouro: ${got.pending.length} cell(s) not finished yet; run collect again later, or with --wait\n`);
        if (problems.length) process.exitCode = 1;
      } finally {
        lock.release();
      }
    });
}
