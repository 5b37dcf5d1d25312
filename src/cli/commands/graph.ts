// `ouro graph RUN_DIR [--seed S] [--generation G] [--format dot|json]`: one model of a run drawn
// as a graph by its family's graph hook (the n-gram's reachable contexts, with edge
// probabilities). Run directories hold no models, so the model is replayed bit-identically
// from config.json (src/runner/replay.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { FAMILIES } from '../../families/index.ts';
import { nodeIo } from '../../runner/io.ts';
import { replay } from '../../runner/replay.ts';
import { FILES } from '../../store/rundir.ts';
import { UsageError } from '../errors.ts';

const FORMATS = ['dot', 'json'] as const;

function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag}: expected a whole number ≥ 0, got '${v}'`);
  return n;
}

export function register(program: Command): void {
  program
    .command('graph')
    .description(COMMANDS.graph.description)
    .argument('<run-dir>', 'a run directory of a family that draws graphs (ngram)')
    .option('--seed <s>', 'which seed (default: the first of the run)')
    .option('--generation <g>', 'which generation (default: where the seed stopped)')
    .option('--format <format>', 'dot | json', 'dot')
    .addHelpText('after', '\nExample:\n  ouro graph runs/ngram-toy-1a2b3c --generation 0 | dot -Tsvg > toy.svg')
    .action(async (dir: string, flags: { seed?: string; generation?: string; format: string }) => {
      if (!FORMATS.includes(flags.format as (typeof FORMATS)[number])) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got '${flags.format}'`);
      if (!existsSync(join(dir, FILES.config))) throw new UsageError(`${dir} is not a run directory (no ${FILES.config}); give the directory \`ouro run\` printed`);
      const seedFlag = wholeNumber('--seed', flags.seed);
      const generation = wholeNumber('--generation', flags.generation) ?? Infinity;
      const config = JSON.parse(readFileSync(join(dir, FILES.config), 'utf8')) as { seeds: number[]; family: string; loop: { generations: number } };
      const seed = seedFlag ?? config.seeds[0]!;
      const horizon = config.loop.generations;
      if (generation !== Infinity && generation > horizon) throw new UsageError(`--generation ${generation}: the run has generations 0…${horizon}; give one of them, or leave it out for where the seed stopped`);
      if (!config.seeds.includes(seed)) throw new UsageError(`--seed ${seed}: not a seed of this run (it has ${config.seeds.length} seeds, ${config.seeds[0]}…${config.seeds.at(-1)})`);
      const { prep, experiment, state } = await replay(dir, seed, nodeIo, generation);
      const drawn = Object.values(FAMILIES).filter((e) => e.graph).map((e) => e.name);
      if (!prep.entry.graph) throw new UsageError(`${dir} is a ${config.family} run; ouro graph draws the models of ${drawn.join(', ')} runs`);
      const graph = prep.entry.graph(state.model, experiment);
      const title = `seed ${seed}, generation ${state.generation}`;
      process.stdout.write(flags.format === 'json' ? JSON.stringify({ seed, generation: state.generation, collapsed: state.collapsed, ...graph.data }) + '\n' : graph.dot(title));
    });
}
