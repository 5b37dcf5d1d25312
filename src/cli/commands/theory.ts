// `ouro theory <name>`: what exact theory predicts for a loop (Markov chains, closed forms),
// beside its large-n approximations. Each subcommand is src/cli/theory/<name>.ts exporting
// register(theory); adding one is one import and one entry in `subcommands`.
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import * as classifier from '../theory/classifier.ts';
import * as coin from '../theory/coin.ts';
import * as ecosystem from '../theory/ecosystem.ts';
import * as gaussian from '../theory/gaussian.ts';
import * as regression from '../theory/regression.ts';
import * as urn from '../theory/urn.ts';

const subcommands: { register(theory: Command): void }[] = [coin, gaussian, regression, urn, classifier, ecosystem];

export function register(program: Command): void {
  const theory = program
    .command('theory')
    .description(COMMANDS.theory.description)
    .addHelpText('after', '\nExample:\n  ouro theory coin --samples 20 --temperature 0.8 --start 0.5 --generations 100');
  for (const s of subcommands) s.register(theory);
}
