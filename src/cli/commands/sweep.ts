// `ouro sweep CONFIG`: expand the config's grid × cases (and --set comma lists) into cells,
// run the unfinished ones on local worker threads or through the queue, and keep the sweep
// directory (index, one run directory per cell, combined Parquet) up to date.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { ConfigError } from '../../config/load.ts';
import { readConfigText } from '../../config/file.ts';
import { planSweep } from '../../config/sweep.ts';
import { nodeIo } from '../../runner/io.ts';
import { announcingIo } from '../setup-progress.ts';
import { arithmeticDifference, sweepArithmetic } from '../../store/arithmetic.ts';
import { prepare, type Prepared } from '../../runner/prepare.ts';
import { defaultWorkers, runCells, type CellTask } from '../../runner/sweep.ts';
import type { Summary } from '../../runner/summary.ts';
import { FILES, RunDirError, readJson } from '../../store/rundir.ts';
import type { Lock } from '../../store/lock.ts';
import { linkLatest } from '../../store/listing.ts';
import { SWEEP_FILES, cellDirName, openSweepDir, readIndex, writeIndex, writeSweepParquet, type IndexCell, type SweepIndex } from '../../store/sweepdir.ts';
import { COLLAPSE_COLUMNS, COLLAPSE_LEGEND, collapseColumns } from '../../report/wording.ts';
import { UsageError } from '../errors.ts';
import { provenance } from '../../runner/provenance.ts';
import { announce, resumeHelp, SEEDS_HELP, seedsSet, shellWord, throughLink } from '../resume.ts';

interface SweepFlags {
  set: string[];
  workers?: string;
  out?: string;
  seeds?: string;
  resume?: string | true;
  yes?: boolean;
  force?: boolean;
  json?: boolean;
  queue?: string;
  wait: boolean;
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description(COMMANDS.sweep.description)
    .argument('<config>', 'a config with a sweep: { grid, cases } section, or any config with --set key=a,b,c')
    .option('--set <key=value>', 'override a field; a comma list (--set loop.temperature=0.8,1,1.25) adds a grid axis (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--workers <n>', `worker threads (default: the number of cores, ${defaultWorkers()} here)`)
    .option('--seeds <n>', SEEDS_HELP.replace('per run', 'per cell'))
    .option('--out <dir>', 'sweep directory (default runs/<name>-<id>, beside the runs)')
    .option('--resume [dir]', resumeHelp('sweep'))
    .option('--yes', 'run a sweep of more cells than the limit (1000)')
    .option('--force', 'overwrite a directory that holds something else')
    .option('--json', 'print one JSON document on stdout (progress goes to stderr)')
    .option('--queue <url>', 'enqueue the cells on BullMQ at redis://HOST:PORT for `ouro worker`s and gather the results')
    .option('--no-wait', 'with --queue: enqueue and return; gather later with `ouro collect`')
    .action(async (configPath: string, flags: SweepFlags) => {
      const workers = flags.workers === undefined ? defaultWorkers() : Number(flags.workers);
      if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: expected a whole number ≥ 1, got '${flags.workers}'`);
      const secret = flags.queue ? await queueReady(flags.queue) : undefined; // before any directory is made
      const { dir, index, preps, lock } = await open(configPath, flags);
      try {
        const todo = unfinished(index, preps);
        const bar = sweepBar(index.name, todo.length, flags.queue ? 0 : todo.reduce((n, c) => n + c.prep.seeds.length, 0)); // queue workers report cells only
        const problems: string[] = [];
        try {
          if (flags.queue) problems.push(...(await viaQueue(flags.queue, secret!, dir, index, todo, flags.wait, bar)));
          else problems.push(...(await local(dir, index, todo, workers, flags.resume !== undefined, bar)));
        } finally {
          bar.stop();
        }
        writeIndex(dir, index);
        await writeSweepParquet(dir, index);
        reportSweep(dir, index, { ran: todo.length, json: flags.json ?? false });
        if (!flags.queue || flags.wait) problems.push(...incomplete(index, problems));
        if (problems.length) {
          process.stderr.write(problems.map((p) => `ouro: ${p}\n`).join(''));
          process.exitCode = 1;
        }
      } finally {
        lock.release();
      }
    });
}

interface Todo {
  readonly cell: IndexCell;
  readonly prep: Prepared;
}

async function open(configPath: string, flags: SweepFlags): Promise<{ dir: string; index: SweepIndex; preps: Prepared[]; lock: Lock }> {
  try {
    const text = readConfigText(configPath);
    const plan = planSweep(text, configPath, [...flags.set, ...seedsSet(flags.seeds)], { yes: flags.yes ?? false });
    const preps: Prepared[] = [];
    const setup = announcingIo(nodeIo, (line) => process.stderr.write(`ouro: ${line}\n`));
    for (const c of plan.cells) preps.push(await prepare(c.config, setup.io));
    setup.done();
    const sweepId = createHash('sha256').update(preps.map((p) => p.runId).join('\n')).digest('hex').slice(0, 12);
    const name = plan.cells[0]!.config.name;
    const given = typeof flags.resume === 'string' ? flags.resume : undefined;
    if (given !== undefined && flags.out !== undefined && given !== flags.out) throw new UsageError(`--resume ${given} and --out ${flags.out} name two sweep directories; give the one to continue once`);
    if (flags.resume !== undefined && flags.force) throw new UsageError('--resume keeps what the sweep directory holds and --force would delete it; give one of them');
    const dir = throughLink(given ?? flags.out ?? join('runs', `${name}-${sweepId.slice(0, 6)}`));
    if (flags.resume !== undefined && !existsSync(join(dir, SWEEP_FILES.index))) throw new UsageError(`--resume: ${dir} holds no sweep to resume (no ${SWEEP_FILES.index}); give its directory (--resume DIR), or drop --resume`);
    if (flags.resume !== undefined && readIndex(dir).sweepId !== sweepId) throw new UsageError(`--resume: ${dir} holds another sweep than ${configPath}${flags.set.length || flags.seeds ? ' with these --set and --seeds' : ''} describes (other cells); give the config, --set and --seeds it was started with`);
    announce(`ouro sweep ${[configPath, ...flags.set.flatMap((v) => ['--set', v]), ...(flags.seeds ? ['--seeds', flags.seeds] : [])].map(shellWord).join(' ')} --resume ${shellWord(dir)}`, dir);
    const lock = openSweepDir(dir, sweepId, flags.force ?? false);
    if (given === undefined && flags.out === undefined) linkLatest(dir);
    try {
      const cells = plan.cells.map((c, i): IndexCell => ({ cell: c.index, values: c.values, runId: preps[i]!.runId, dir: cellDirName(preps[i]!.runId), status: 'pending' }));
      const index: SweepIndex = { name, source: configPath, sweepId, keys: plan.keys, cells };
      writeIndex(dir, index);
      const busy = cells.find((c) => c.status === 'running');
      if (busy) throw new UsageError(`cell ${busy.cell} (${join(dir, busy.dir)}) is being written by a live process; wait for it to end or stop it first`);
      return { dir, index, preps, lock };
    } catch (e) {
      lock.release();
      throw e;
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof RunDirError) throw new UsageError(e.message);
    throw e;
  }
}

/** A line for each cell left unfinished that no other problem already names (a sweep that ran must leave every cell complete). */
function incomplete(index: SweepIndex, problems: readonly string[]): string[] {
  return index.cells.flatMap((c) => (c.status === 'complete' || problems.some((p) => p.startsWith(`cell ${c.cell} `)) ? [] : [`cell ${c.cell} (${label(c)}) is ${c.status}, not complete (${c.dir}); run the same command with --resume to finish it`]));
}

/** Cells to run: not complete, one per run id (identical cells share a run). */
function unfinished(index: SweepIndex, preps: readonly Prepared[]): Todo[] {
  const seen = new Set<string>();
  return index.cells.flatMap((cell, i) => {
    if (cell.status === 'complete' || seen.has(cell.runId)) return [];
    seen.add(cell.runId);
    return [{ cell, prep: preps[i]! }];
  });
}

async function local(dir: string, index: SweepIndex, todo: readonly Todo[], workers: number, resume: boolean, bar: Bar): Promise<string[]> {
  const reference = sweepArithmetic(dir, index);
  const diff = todo.map((t) => arithmeticDifference(t.prep.arithmetic, reference?.arithmetic, ['here', `in cell ${reference?.runId}`])).find((d) => d !== undefined);
  if (diff) throw new UsageError(`${dir}: its complete cells were computed on other arithmetic than this machine's (${diff}); cells computed here would not match them. Finish the sweep where it ran, or run it again here with --force (docs/security.md)`);
  const made = provenance();
  const tasks: CellTask[] = todo.map((t, id) => ({ id, runId: t.prep.runId, config: t.prep.config, dir: join(dir, t.cell.dir), resume, provenance: made }));
  let done = 0;
  let seeds = 0;
  let written = Date.now();
  const outcomes = await runCells(tasks, {
    workers,
    onProgress: (s) => bar.update(done, (seeds = s)),
    onCell: () => {
      bar.update(++done, seeds);
      if (Date.now() - written > 2000) writeIndex(dir, index), (written = Date.now());
    },
  });
  return outcomes.flatMap((o, i) => (o.ok ? [] : [`cell ${todo[i]!.cell.cell} (${label(todo[i]!.cell)}) failed: ${o.message}`]));
}

async function viaQueue(url: string, secret: Buffer, dir: string, index: SweepIndex, todo: readonly Todo[], wait: boolean, bar: Bar): Promise<string[]> {
  const { enqueue, gather, gatherProblems, openQueue } = await import('../../distributed/coordinator.ts'); // bullmq loads only when used
  const queue = await openQueue(url).catch(queueInput);
  try {
    const added = await enqueue(queue, secret, todo.map((t) => ({ runId: t.prep.runId, config: t.prep.config })));
    process.stderr.write(`${index.name}: ${added} cell(s) enqueued on ${url} (${todo.length - added} already queued or done)\n`);
    if (!wait) return [];
    let done = 0;
    const got = await gather(queue, secret, dir, index, { wait: true, onCell: () => bar.update(++done, 0) });
    return gatherProblems(got, label);
  } finally {
    await queue.close();
  }
}

/** The queue's shared secret and a Redis that answers, or a UsageError saying what is missing. */
export async function queueReady(url: string): Promise<Buffer> {
  const { checkRedis } = await import('../../distributed/connection.ts');
  const { queueSecret } = await import('../../distributed/signing.ts');
  try {
    const secret = queueSecret();
    await checkRedis(url);
    return secret;
  } catch (e) {
    return queueInput(e);
  }
}

/** QueueError (bad URL, Redis unreachable, no secret) is an input error: exit 2 with its message. */
export function queueInput(e: unknown): never {
  throw e instanceof Error && e.name === 'QueueError' ? new UsageError(e.message) : e;
}

interface Bar {
  update(cells: number, seeds: number): void;
  stop(): void;
}

/** One progress display across all cells (and their seeds, when `seeds` > 0): a bar on a terminal, a line every 5 s otherwise. */
function sweepBar(label: string, cells: number, seeds: number): Bar {
  if (process.stderr.isTTY) {
    const format = `${label} [{bar}] {percentage}% | cells {cells}/${cells}${seeds ? ` | seeds {seeds}/${seeds}` : ''} | {duration_formatted}`;
    const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(Math.max(1, cells), 0, { cells: 0, seeds: 0 });
    return { update: (c, s) => bar.update(c, { cells: c, seeds: s }), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update(c, s) {
      if (Date.now() - last < 5000 && c < cells) return;
      last = Date.now();
      process.stderr.write(`${label}: cells ${c}/${cells}${s ? `, seeds ${s}/${seeds}` : ''}\n`);
    },
    stop() {},
  };
}

/** A cell as its swept values, for messages. */
export const label = (c: IndexCell): string => Object.entries(c.values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') || 'the base config';

/** Prints the sweep's cells (values, status, collapse) as a table, or as one JSON document. */
export function reportSweep(dir: string, index: SweepIndex, opts: { ran: number; json: boolean }): void {
  const rows = index.cells.map((c) => {
    const s = c.status === 'complete' ? readJson<Summary>(join(dir, c.dir), FILES.summary) : undefined;
    return { ...c, dir: join(dir, c.dir), collapse: s?.collapse ?? null, comparisons: s?.comparisons ?? null };
  });
  if (opts.json) {
    process.stdout.write(JSON.stringify({ sweepDir: dir, index: join(dir, SWEEP_FILES.index), parquet: join(dir, SWEEP_FILES.parquet), ran: opts.ran, cells: rows }) + '\n');
    return;
  }
  const complete = rows.filter((r) => r.status === 'complete').length;
  const head = ['cell', ...index.keys, 'status', ...COLLAPSE_COLUMNS];
  const body = rows.map((r) => [String(r.cell), ...index.keys.map((k) => (k in r.values ? JSON.stringify(r.values[k]) : '—')), r.status, ...collapseColumns(r.collapse, r.comparisons)]);
  const w = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const line = (cols: string[]) => '  ' + cols.map((c, j) => c.padEnd(w[j]!)).join('  ').trimEnd();
  process.stdout.write(`sweep ${dir}: ${complete}/${rows.length} cells complete (${opts.ran} run now), index ${SWEEP_FILES.index}, combined ${SWEEP_FILES.parquet}\n${[line(head), ...body.map(line)].join('\n')}\n${COLLAPSE_LEGEND}\n`);
}
