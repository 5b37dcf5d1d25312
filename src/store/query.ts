// Cross-run queries with DuckDB over the runs' Parquet exports: the view `metrics` holds every
// run's long-format rows with the run's directory name in `run`.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FILES } from './rundir.ts';
import { SWEEP_FILES } from './sweepdir.ts';

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * Runs `sql` against the view `metrics` over every run directory directly under `runsDir`
 * (not sweeps, whose cells are runs of their own, and not links such as `latest`, which would
 * count a run twice). A sweep directory's runs are its cells: `run` is then each cell's run id
 * (its swept values are in sweep.json).
 */
export async function queryRuns(runsDir: string, sql: string): Promise<QueryResult> {
  const dir = existsSync(join(runsDir, SWEEP_FILES.index)) ? join(runsDir, SWEEP_FILES.cells) : runsDir;
  const runs = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(resolve(dir), e.name)) : [];
  const files = runs.filter((d) => existsSync(join(d, FILES.config))).map((d) => join(d, FILES.parquet)).filter(existsSync);
  if (files.length === 0) throw new Error(`no ${FILES.parquet} under ${runsDir}/*/; run \`ouro run\` (or \`ouro export DIR\`) first`);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
  await c.run(
    `create view metrics as select regexp_extract(filename, '([^/]+)/${FILES.parquet}$', 1) as run, seed, generation, metric, value, stopped from read_parquet([${list}], filename = true)`,
  );
  const reader = await c.runAndReadAll(sql);
  const rows = reader.getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  return { columns: reader.columnNames(), rows };
}
