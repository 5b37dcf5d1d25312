// `ouro run CONFIG`: validate, prepare, run into a run directory, print the summary.
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { loadConfigFile } from '../../config/file.ts';
import { ConfigError } from '../../config/load.ts';
import { processIo } from '../../runner/confined-io.ts';
import { prepare } from '../../runner/prepare.ts';
import { preparedOf } from '../../runner/replay.ts';
import type { Summary } from '../../runner/summary.ts';
import { defaultWorkers } from '../../runner/sweep.ts';
import { continueOnThreads, runToDirOnThreads } from '../../runner/threads.ts';
import { RunDirError } from '../../store/rundir.ts';
import { progressReporter, summaryTable } from '../display.ts';
import { UsageError } from '../errors.ts';
import { provenance } from '../provenance.ts';

interface RunFlags {
  set: string[];
  seeds?: string;
  out?: string;
  json?: boolean;
  resume?: string;
  force?: boolean;
  workers?: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description(COMMANDS.run.description)
    .argument('[config]', 'the config file (omit with --resume)')
    .option('--set <key=value>', 'override a config field, e.g. --set loop.temperature=0.8 (repeatable)', collect, [])
    .option('--seeds <n>', 'number of seeds (overrides the config)')
    .option('--out <dir>', 'run directory (default runs/<name>-<id>)')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .option('--resume <dir>', 'continue a killed run in DIR, bit-identically')
    .option('--force', 'overwrite an existing run directory')
    .option('--workers <n>', `threads sharing the seeds (default: the number of cores, ${defaultWorkers()} here); the files are the same for any number`)
    .action(async (configPath: string | undefined, flags: RunFlags) => {
      const summary = flags.resume ? await resume(flags) : await fresh(configPath, flags);
      report(summary.summary, summary.dir, flags.json ?? false);
    });
}

function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

async function fresh(configPath: string | undefined, flags: RunFlags): Promise<{ summary: Summary; dir: string }> {
  if (!configPath) throw new UsageError('ouro run needs a config file (e.g. ouro run examples/coin-20.yaml) or --resume DIR');
  const sets = [...flags.set];
  if (flags.seeds !== undefined) {
    if (!/^[1-9]\d*$/.test(flags.seeds)) throw new UsageError(`--seeds: expected a whole number ≥ 1, got '${flags.seeds}'`);
    sets.push(`seeds=${flags.seeds}`);
  }
  const prep = await prepare(inputErrors(() => loadConfigFile(configPath, sets)), ioOf()).catch(rethrowInput);
  const dir = flags.out ?? join('runs', `${prep.config.name}-${prep.runId.slice(0, 6)}`);
  const bar = progressReporter(prep.config.name);
  try {
    return { summary: await runToDirOnThreads(prep, dir, flags.force ?? false, { onProgress: bar.update, provenance: provenance(), workers: workersOf(flags) }), dir };
  } catch (e) {
    throw e instanceof RunDirError ? new UsageError(e.message) : e;
  } finally {
    bar.stop();
  }
}

async function resume(flags: RunFlags): Promise<{ summary: Summary; dir: string }> {
  const dir = flags.resume!;
  const prep = await preparedOf(dir, ioOf()).catch(rethrowInput);
  const bar = progressReporter(prep.config.name);
  try {
    return { summary: await continueOnThreads(prep, dir, { onProgress: bar.update, workers: workersOf(flags) }), dir };
  } catch (e) {
    throw e instanceof RunDirError ? new UsageError(e.message) : e;
  } finally {
    bar.stop();
  }
}

function workersOf(flags: RunFlags): number {
  if (flags.workers === undefined) return defaultWorkers();
  if (!/^[1-9]\d*$/.test(flags.workers)) throw new UsageError(`--workers: expected a whole number ≥ 1, got '${flags.workers}'`);
  return Number(flags.workers);
}

/** The corpus access of this run: confined when the dashboard started it (OURO_CORPUS_POLICY), else whatever the user names. */
function ioOf() {
  return processIo();
}

function inputErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    return rethrowInput(e);
  }
}

function rethrowInput(e: unknown): never {
  if (e instanceof ConfigError || e instanceof RunDirError) throw new UsageError(e.message);
  throw e;
}

function report(summary: Summary, dir: string, json: boolean): void {
  if (!json) {
    process.stdout.write(summaryTable(summary, dir));
    return;
  }
  const { perSeed, ...rest } = summary;
  process.stdout.write(JSON.stringify({ runDir: dir, summary: rest, seeds: perSeed }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) + '\n');
}
