// `ouro theory ecosystem CONFIG`: what exact theory predicts for the agents and people of an
// ecosystem config (docs/ecosystems.md): the moments of every agent and the people through the
// pool, and for two coins the joint chain's absorption; the numbers a run's summary overlays.
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/file.ts';
import { ConfigError } from '../../config/load.ts';
import { ecosystemTheory } from '../../runner/ecosystem.ts';
import { nodeIo } from '../../runner/io.ts';
import { prepare } from '../../runner/prepare.ts';
import { UsageError } from '../errors.ts';
import { curveGenerations } from './curve.ts';
import { emit, parseNumber, type Row } from './output.ts';

export function register(theory: Command): void {
  theory
    .command('ecosystem')
    .description('exact moments of coin, categorical and 1-D Gaussian agents and people sharing a pool; the two-coin chain')
    .argument('<config>', 'a config with an ecosystem: section')
    .option('--set <key=value>', 'override a config field (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--generations <G>', "last generation of the curve (default: the config's loop.generations)")
    .option('--json', 'print one JSON document')
    .action(async (path: string, raw: { set: string[]; generations?: string; json?: boolean }) => {
      let prep;
      try {
        prep = await prepare(loadConfigFile(path, raw.set), nodeIo);
      } catch (e) {
        if (e instanceof ConfigError) throw new UsageError(e.message);
        throw e;
      }
      if (!prep.ecosystem) throw new UsageError(`${path}: no ecosystem section; \`ouro theory ecosystem\` reads agents and people from one (see docs/ecosystems.md)`);
      const last = raw.generations === undefined ? prep.options.generations : parseNumber('--generations', raw.generations, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give the last generation of the curve, e.g. --generations 100.');
      const generations = curveGenerations(last);
      const prediction = ecosystemTheory(prep, prep.ecosystem, generations);
      const curves = Object.entries(prediction).filter((e): e is [string, readonly number[]] => Array.isArray(e[1]));
      const scalars = Object.entries(prediction).filter((e): e is [string, number | null] => !Array.isArray(e[1]));
      const title = `ecosystem ${prep.config.name}: ${prep.ecosystem.plan.agents.map((a) => a.name).join(', ')}${prep.ecosystem.plan.people ? ` and ${prep.ecosystem.plan.people.name}` : ''}`;
      const none = prep.entry.ecosystem?.theory
        ? 'no exact theory applies: it needs agents that post plain draws (T = 1 for categorical agents, no filter, no truncation) under policy replace'
        : `no exact theory applies: the ${prep.entry.name} family has none for ecosystems (categorical and gaussian agents have one)`;
      const rows: Row[] = curves.length === 0 && scalars.length === 0 ? [[none]] : [];
      for (const [k, v] of scalars) rows.push([k, v]);
      if (curves.length > 0) {
        rows.push([''], ['generation', ...generations.map(String)]);
        for (const [k, v] of curves) rows.push([k, ...v]);
      }
      emit(raw.json === true, { generations, ...prediction }, title, rows);
    });
}
