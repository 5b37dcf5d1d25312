// The `ouro` command line: each command lives in commands/<name>.ts and registers itself;
// add a command with one line in COMMANDS below.
import { Command } from 'commander';
import { exitOnError } from './errors.ts';

// `ouro … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command('ouro')
  .description('Ouroboros: a lab for generative feedback loops (models trained on their own outputs)')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Examples:
  ouro run examples/coin-20.yaml                 run a coin of 20 flips per generation to fixation
  ouro run examples/coin-t08.yaml --seeds 500 --set loop.samples=100
  ouro theory coin --samples 20 --start 0.5      exact Markov-chain predictions for the coin
  ouro export runs/coin-20-1a2b3c --format csv   long-format metrics for pandas, polars, DuckDB
  ouro query "select run, avg(value) from metrics where metric = 'entropy' group by run"
  ouro schema > ouro.schema.json                 JSON Schema for editor autocompletion`,
  );

// Commands load lazily: `ouro run` imports only what a run needs (no plotting, server or
// queue libraries), which keeps start-up short. `ouro --help` loads them all.
const COMMANDS: Record<string, () => Promise<{ register(program: Command): void }>> = {
  run: () => import('./commands/run.ts'),
  pretrain: () => import('./commands/pretrain.ts'),
  theory: () => import('./commands/theory.ts'),
  export: () => import('./commands/export.ts'),
  query: () => import('./commands/query.ts'),
  schema: () => import('./commands/schema.ts'),
  plot: () => import('./commands/plot.ts'),
  report: () => import('./commands/report.ts'),
  serve: () => import('./commands/serve.ts'),
  sweep: () => import('./commands/sweep.ts'),
  worker: () => import('./commands/worker.ts'),
  collect: () => import('./commands/collect.ts'),
  reproduce: () => import('./commands/reproduce.ts'),
  doctor: () => import('./commands/doctor.ts'),
  graph: () => import('./commands/graph.ts'),
};
const wanted = process.argv[2];
const load = wanted !== undefined && wanted in COMMANDS ? [COMMANDS[wanted]!] : Object.values(COMMANDS);
for (const c of await Promise.all(load.map((l) => l()))) c.register(program);

await program.parseAsync(process.argv).catch(exitOnError);
