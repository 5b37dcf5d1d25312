// `ouro run CONFIG`: validate, prepare, run into a run directory, print the summary.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { announce, resumeHelp, SEEDS_HELP, seedsSet, shellWord, throughLink } from '../resume.ts';
import { loadConfigFile } from '../../config/file.ts';
import { ConfigError } from '../../config/load.ts';
import { processIo } from '../../runner/confined-io.ts';
import { prepare, type Prepared } from '../../runner/prepare.ts';
import { preparedOf } from '../../runner/replay.ts';
import type { Summary } from '../../runner/summary.ts';
import { defaultWorkers } from '../../runner/sweep.ts';
import { continueOnThreads, runToDirOnThreads } from '../../runner/threads.ts';
import { linkLatest } from '../../store/listing.ts';
import { FILES, RunDirError } from '../../store/rundir.ts';
import { progressReporter, summaryTable } from '../display.ts';
import { UsageError } from '../errors.ts';
import { announcingIo } from '../setup-progress.ts';
import { provenance } from '../../runner/provenance.ts';

interface RunFlags {
  set: string[];
  seeds?: string;
  out?: string;
  json?: boolean;
  resume?: string | true;
  force?: boolean;
  workers?: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description(COMMANDS.run.description)
    .argument('[config]', 'the config file (may be omitted with --resume DIR)')
    .option('--set <key=value>', 'override a config field, e.g. --set loop.temperature=0.8 (repeatable)', collect, [])
    .option('--seeds <n>', SEEDS_HELP)
    .option('--out <dir>', 'run directory (default runs/<name>-<id>)')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .option('--resume [dir]', resumeHelp('run'))
    .option('--force', 'overwrite an existing run directory')
    .option('--workers <n>', `threads sharing the seeds (default: the number of cores, ${defaultWorkers()} here); the files are the same for any number`)
    .addHelpText('after', '\nExamples:\n  ouro run examples/coin-20.yaml --seeds 500\n  ouro run --resume runs/coin-20-2775bc           continue an interrupted run as it was started\n  ouro run examples/coin-20.yaml --resume         the same, for the run this config writes by default')
    .action(async (configPath: string | undefined, flags: RunFlags) => {
      const summary = flags.resume !== undefined ? await resume(configPath, flags) : await fresh(configPath, flags);
      report(summary.summary, summary.dir, flags.json ?? false);
    });
}

function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

/** The config file with --set and --seeds applied. */
async function prepared(configPath: string, flags: RunFlags): Promise<Prepared> {
  const sets = [...flags.set, ...seedsSet(flags.seeds)];
  const setup = announcingIo(processIo(), (line) => process.stderr.write(`ouro: ${line}\n`));
  const prep = await prepare(inputErrors(() => loadConfigFile(configPath, sets)), setup.io).catch(rethrowInput);
  setup.done();
  return prep;
}

const defaultDir = (prep: Prepared): string => join('runs', `${prep.config.name}-${prep.runId.slice(0, 6)}`);

async function fresh(configPath: string | undefined, flags: RunFlags): Promise<{ summary: Summary; dir: string }> {
  if (!configPath) throw new UsageError('ouro run needs a config file (e.g. ouro run examples/coin-20.yaml) or --resume DIR');
  const prep = await prepared(configPath, flags);
  const dir = flags.out ?? defaultDir(prep);
  announce(`ouro run --resume ${shellWord(dir)}`, dir);
  const bar = progressReporter(prep.config.name);
  try {
    // runs/latest points at the run started last there, once its directory is made (a refused one is not "started").
    let linked = flags.out !== undefined;
    const started = () => linked || ((linked = true), linkLatest(dir));
    const summary = await runToDirOnThreads(prep, dir, flags.force ?? false, { onProgress: (p) => (started(), bar.update(p)), provenance: provenance(), workers: workersOf(flags) });
    started();
    return { summary, dir };
  } catch (e) {
    throw e instanceof RunDirError ? new UsageError(e.message) : e;
  } finally {
    bar.stop();
  }
}

/**
 * --resume [DIR]: continues the run in DIR (else --out, else the directory CONFIG writes by
 * default) with the config it was started with. A CONFIG, --set or --seeds given too must
 * describe that same run: they are checked, never silently dropped.
 */
async function resume(configPath: string | undefined, flags: RunFlags): Promise<{ summary: Summary; dir: string }> {
  if (flags.force) throw new UsageError('--resume keeps what the run directory holds and --force would delete it; give one of them');
  const given = typeof flags.resume === 'string' ? flags.resume : undefined;
  if (given !== undefined && flags.out !== undefined && given !== flags.out) throw new UsageError(`--resume ${given} and --out ${flags.out} name two run directories; give the one to continue once`);
  const changes = [...flags.set.map((s) => `--set ${s}`), ...(flags.seeds !== undefined ? [`--seeds ${flags.seeds}`] : [])];
  if (!configPath && changes.length > 0) throw new UsageError(`--resume continues a run with the config it was started with; ${changes.join(', ')} would be ignored. Drop them, or start a new run from a config file`);
  const wanted = configPath === undefined ? undefined : await prepared(configPath, flags);
  const named = given ?? flags.out ?? (wanted ? defaultDir(wanted) : undefined);
  const dir = named === undefined ? undefined : throughLink(named);
  if (dir === undefined) throw new UsageError('--resume needs the run directory: ouro run --resume DIR');
  if (!existsSync(join(dir, FILES.config))) throw new UsageError(`--resume: ${dir} holds no run to continue (no ${FILES.config})${given === undefined ? `; it is where ${configPath} runs by default: give the directory of the run with --resume DIR` : ''}`);
  const prep = await preparedOf(dir, processIo()).catch(rethrowInput);
  if (wanted && wanted.runId !== prep.runId) {
    const what = [configPath, ...changes].join(' ');
    throw new UsageError(`--resume: ${dir} holds another run than ${what} describes (${differences(prep.config, wanted.config)}). Resume it as it was started with \`ouro run --resume ${shellWord(dir)}\`, or start the new config with --out`);
  }
  announce(`ouro run --resume ${shellWord(dir)}`, dir);
  const bar = progressReporter(prep.config.name);
  try {
    return { summary: await continueOnThreads(prep, dir, { onProgress: bar.update, workers: workersOf(flags) }), dir };
  } catch (e) {
    throw e instanceof RunDirError ? new UsageError(e.message) : e;
  } finally {
    bar.stop();
  }
}

/** Where fields of two resolved configs differ, as `path: a here, b in the run directory`, at most four. */
function differences(stored: unknown, wanted: unknown, path = ''): string {
  const found: string[] = [];
  const walk = (a: unknown, b: unknown, at: string): void => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
    } else found.push(`${at}: ${brief(b)} here, ${brief(a)} in the run directory`);
  };
  walk(stored, wanted, path);
  return found.length > 4 ? `${found.slice(0, 4).join('; ')}; and ${found.length - 4} more` : found.join('; ') || 'the seed list';
}

function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? 'nothing';
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

function workersOf(flags: RunFlags): number {
  if (flags.workers === undefined) return defaultWorkers();
  if (!/^[1-9]\d*$/.test(flags.workers)) throw new UsageError(`--workers: expected a whole number ≥ 1, got '${flags.workers}'`);
  return Number(flags.workers);
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
