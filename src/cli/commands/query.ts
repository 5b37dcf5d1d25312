// `ouro query SQL`: DuckDB over every run's metrics (view `metrics`: run, seed, generation, metric, value).
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { UsageError } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('query')
    .description(COMMANDS.query.description)
    .argument('<sql>', "e.g. \"select run, avg(value) from metrics where metric = 'entropy' group by run\"")
    .option('--runs <dir>', 'the directory holding run directories, or a sweep directory (its cells)', 'runs')
    .option('--json', 'print rows as JSON objects')
    .action(async (sql: string, flags: { runs: string; json?: boolean }) => {
      const { queryRuns } = await import('../../store/query.ts');
      const r = await queryRuns(flags.runs, sql).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])))) + '\n');
        return;
      }
      const cells = [r.columns, ...r.rows.map((row) => row.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(6) : String(v))))];
      const widths = r.columns.map((_, i) => Math.max(...cells.map((row) => String(row[i]).length)));
      process.stdout.write(cells.map((row) => row.map((v, i) => String(v).padEnd(widths[i]!)).join('  ')).join('\n') + '\n');
    });
}
