// `ouro worker --queue redis://HOST:PORT`: run sweep cells from the queue on this machine until
// stopped. SIGTERM or SIGINT finishes the running jobs and exits 0; a second signal exits at
// once (the unfinished jobs are retried elsewhere after their locks expire).
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import type { WorkerEvent } from '../../distributed/worker.ts';
import { defaultWorkers } from '../../runner/sweep.ts';
import { UsageError } from '../errors.ts';
import { queueInput } from './sweep.ts';
import { corpusPolicy, DEFAULT_MAX_CORPUS_MB } from '../../runner/confined-io.ts';
import { QUEUE_SECRET_ENV } from '../../distributed/signing.ts';

interface WorkerFlags {
  queue?: string;
  concurrency?: string;
  name?: string;
  exitWhenEmpty?: boolean;
  lockDuration?: string;
  stalledInterval?: string;
  maxStalled?: string;
  allowCorpus: string[];
  maxCorpusMb: string;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description(COMMANDS.worker.description)
    .requiredOption('--queue <url>', 'the Redis holding the queue, e.g. redis://10.0.0.5:6379')
    .option('--concurrency <n>', `cells at once, one child process each (default: the number of cores, ${defaultWorkers()} here)`)
    .option('--name <name>', 'name recorded on the jobs this worker runs (default: host-pid)')
    .option('--exit-when-empty', 'exit once no cell is waiting or running (batch jobs, e.g. a Kubernetes Job)')
    .option('--lock-duration <ms>', 'job lock lifetime; renewed every half of it while a cell runs', '30000')
    .option('--stalled-interval <ms>', 'how often to look for jobs of dead workers', '30000')
    .option('--max-stalled <n>', 'recoveries from dead workers allowed per job before it fails', '3')
    .option('--allow-corpus <dir>', 'a directory whose files jobs may read as corpora (repeatable; the built-in corpora are always allowed)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--max-corpus-mb <n>', 'corpus megabytes one job may read', String(DEFAULT_MAX_CORPUS_MB))
    .addHelpText('after', `\nEvery worker and its coordinator share a secret: export ${QUEUE_SECRET_ENV}=… (docs/security.md).`)
    .action(async (flags: WorkerFlags) => {
      const maxMb = Number(flags.maxCorpusMb);
      if (!/^\d+$/.test(flags.maxCorpusMb)) throw new UsageError(`--max-corpus-mb: expected a whole number ≥ 0, got '${flags.maxCorpusMb}'`);
      let corpus;
      try {
        corpus = corpusPolicy(flags.allowCorpus, maxMb);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const settings = {
        url: flags.queue!,
        corpus,
        concurrency: positive('--concurrency', flags.concurrency ?? String(defaultWorkers())),
        lockDuration: positive('--lock-duration', flags.lockDuration!),
        stalledInterval: positive('--stalled-interval', flags.stalledInterval!),
        maxStalledCount: positive('--max-stalled', flags.maxStalled!),
        name: flags.name ?? `${process.env.HOSTNAME ?? 'worker'}-${process.pid}`,
        exitWhenEmpty: flags.exitWhenEmpty ?? false,
      };
      const say = (line: string) => process.stderr.write(`worker ${settings.name}: ${line}\n`);
      const { startWorker } = await import('../../distributed/worker.ts'); // bullmq loads only when used
      const handle = await startWorker(settings, (e) => say(describe(e))).catch(queueInput);
      say(`consuming ${settings.url} with ${settings.concurrency} process(es)`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          say(`${signal} again: exiting now; unfinished cells will be retried by other workers`);
          process.exit(1);
        }
        stopping = true;
        say(`${signal}: finishing the running cells, then exiting (send it again to exit now)`);
        void handle.close();
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      await handle.closed;
      say('stopped');
      process.exit(0);
    });
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a whole number ≥ 1, got '${v}'`);
  return n;
}

function describe(e: WorkerEvent): string {
  if (e.kind === 'completed') return `cell ${e.id} done`;
  if (e.kind === 'failed') return `cell ${e.id ?? '?'} failed: ${e.message}`;
  if (e.kind === 'stalled') return `cell ${e.id} was stalled (its worker died) and is queued again`;
  return `queue error: ${e.message}`;
}
