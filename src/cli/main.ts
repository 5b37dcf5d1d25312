// The `ouro` command line: each command lives in commands/<name>.ts and registers itself;
// add a command with one line in commands/index.ts.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../runner/entry-points.ts';
import { COMMANDS } from './commands/index.ts';
import { exitOnError } from './errors.ts';

// `ouro … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

const program = new Command('ouro')
  .version(version, '-V, --version', 'print the version of ouroboros-lab')
  .description('Ouroboros: a lab for generative feedback loops (models trained on their own outputs)')
  .showHelpAfterError()
  .exitOverride() // usage errors come back here, to exit 2 like every input error (below)
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

// Only the command asked for is loaded (`ouro run` imports no plotting, server or queue
// library); the list in `ouro --help` comes from the descriptions alone.
const [first, second] = process.argv.slice(2);
const wanted = first === 'help' ? second : first;
if (wanted !== undefined && Object.hasOwn(COMMANDS, wanted)) (await COMMANDS[wanted as keyof typeof COMMANDS].load()).register(program);
else for (const [name, c] of Object.entries(COMMANDS)) program.command(name).description(c.description);

await program.parseAsync(process.argv).catch((e: unknown) => {
  // Commander has printed its message (and the help); --help and --version end with code 0.
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  exitOnError(e);
});
