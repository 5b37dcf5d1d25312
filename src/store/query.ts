// Cross-run queries with DuckDB over the runs' Parquet exports: the view `metrics` holds every
// run's long-format rows with the run's directory name in `run`.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FILES } from './rundir.ts';

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * Runs `sql` against the view `metrics` over every run directory directly under `runsDir`
 * (not sweeps, whose cells are runs of their own, and not links such as `latest`, which would
 * count a run twice).
 */
export async function queryRuns(runsDir: string, sql: string): Promise<QueryResult> {
  const runs = existsSync(runsDir) ? readdirSync(runsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(resolve(runsDir), e.name)) : [];
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
