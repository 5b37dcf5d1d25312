import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { nodeIo } from '../runner/io.ts';
import { prepare } from '../runner/prepare.ts';
import { runToDir } from '../runner/run.ts';
import { gridOf } from '../runner/encode.ts';
import { denseRows } from './dense.ts';
import { finishedRecords, tableOf } from './export.ts';
import { queryRuns } from './query.ts';
import { SWEEP_FILES } from './sweepdir.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-query-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('queries across runs with DuckDB and agrees with the logs', async () => {
  let grid;
  for (const [name, t] of [['cold', 0.7], ['warm', 1.3]] as const) {
    const prep = await prepare(parseConfig(`family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 50, samples: 10, temperature: ${t} }\nseeds: 8\n`, `${name}.yaml`), nodeIo);
    runToDir(prep, join(tmp, name), true);
    grid = gridOf(prep);
  }
  const r = await queryRuns(tmp, "select run, count(*) as n, sum(value) as s from metrics where metric = 'entropy' group by run order by run");
  expect(r.columns).toEqual(['run', 'n', 's']);
  for (const [run, n, s] of r.rows as [string, number, number][]) {
    const rows = denseRows(tableOf(finishedRecords(join(tmp, run))), grid!);
    const mine = [...rows.value].filter((_, i) => rows.metric[i] === 'entropy');
    expect(n).toBe(mine.length);
    expect(s).toBeCloseTo(mine.reduce((a, b) => a + b, 0), 9);
  }
  await expect(queryRuns(join(tmp, 'none'), 'select 1')).rejects.toThrow(/no metrics\.parquet/);
});

it('queries a sweep directory’s cells, the runs it holds', async () => {
  const sweep = join(tmp, 'sweep');
  const prep = await prepare(parseConfig('family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 20, samples: 10 }\nseeds: 3\n', 'cell.yaml'), nodeIo);
  runToDir(prep, join(sweep, SWEEP_FILES.cells, prep.runId), true);
  writeFileSync(join(sweep, SWEEP_FILES.index), '{}');
  const r = await queryRuns(sweep, 'select distinct run, count(distinct seed) from metrics group by run');
  expect(r.rows).toEqual([[prep.runId, 3]]);
});
