// `ouro export RUN_DIR --format parquet|csv|jsonl`: long-format metrics for pandas, polars,
// DuckDB, every seed at every recorded generation with a `stopped` flag (docs/run-directory.md).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { exportMetrics, type ExportFormat } from '../../store/export.ts';
import { ConfigError } from '../../config/load.ts';
import { gridOf, seedsPerBlock } from '../../runner/encode.ts';
import { nodeIo } from '../../runner/io.ts';
import { preparedOf } from '../../runner/replay.ts';
import { completeRunProblems } from '../../store/log-check.ts';
import { FILES, RunDirError, runStatus } from '../../store/rundir.ts';
import { UsageError } from '../errors.ts';

const FORMATS: readonly ExportFormat[] = ['parquet', 'csv', 'jsonl'];

export function register(program: Command): void {
  program
    .command('export')
    .description(COMMANDS.export.description)
    .argument('<run-dir>', 'a run directory')
    .option('--format <format>', 'parquet | csv | jsonl', 'parquet')
    .option('--out <file>', 'output file, - for stdout (default: metrics.<format> in the run directory)')
    .action(async (dir: string, flags: { format: string; out?: string }) => {
      if (!FORMATS.includes(flags.format as ExportFormat)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got '${flags.format}'`);
      if (!existsSync(join(dir, FILES.log))) throw new UsageError(`${dir} is not a run directory (no ${FILES.log}); give the directory \`ouro run\` printed`);
      const prep = await preparedOf(dir, nodeIo).catch((e: unknown) => {
        throw e instanceof ConfigError || e instanceof RunDirError ? new UsageError(e.message) : e;
      });
      if (runStatus(dir) === 'complete') {
        const problems = completeRunProblems(dir, prep.seeds, prep.recorded);
        if (problems.length > 0) throw new UsageError(`${dir} is marked complete but its log is damaged: ${problems.join('; ')}. Nothing was exported; \`ouro run --resume ${dir}\` recomputes what is missing`);
      }
      if (flags.out !== '-') return void process.stdout.write(exportMetrics(dir, flags.format as ExportFormat, gridOf(prep), seedsPerBlock(prep), flags.out) + '\n');
      // stdout: written whole to a private temporary file first (a Parquet file ends with its index), then copied out
      const tmp = mkdtempSync(join(tmpdir(), 'ouro-export-'));
      try {
        process.stdout.write(readFileSync(exportMetrics(dir, flags.format as ExportFormat, gridOf(prep), seedsPerBlock(prep), join(tmp, `metrics.${flags.format}`))));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
}
