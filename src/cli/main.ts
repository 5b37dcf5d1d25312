// The `ouro` command line: each command lives in commands/<name>.ts and registers itself.
import { Command } from 'commander';
import { exitOnError } from './errors.ts';
import * as collect from './commands/collect.ts';
import * as exportCmd from './commands/export.ts';
import * as plot from './commands/plot.ts';
import * as report from './commands/report.ts';
import * as run from './commands/run.ts';
import * as serve from './commands/serve.ts';
import * as schema from './commands/schema.ts';
import * as sweep from './commands/sweep.ts';
import * as theory from './commands/theory.ts';
import * as worker from './commands/worker.ts';

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
  ouro schema > ouro.schema.json                 JSON Schema for editor autocompletion`,
  );

const commands: { register(program: Command): void }[] = [run, theory, exportCmd, schema, plot, report, serve, sweep, worker, collect];
for (const c of commands) c.register(program);

await program.parseAsync(process.argv).catch(exitOnError);
