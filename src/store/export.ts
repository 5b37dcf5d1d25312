// A run's metrics for pandas, polars and DuckDB, in long format (seed, generation, metric,
// value, stopped) with every seed at every generation of the grid (dense.ts): metrics.parquet
// (the run writes it as it goes; this rebuilds it byte for byte from the log), CSV and JSONL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { denseRows, type DenseRows, type Grid } from './dense.ts';
import { ParquetStream, blocksOf, encodeGroup } from './metrics-parquet.ts';
import { RecordTable } from './record-table.ts';
import { FILES, readJsonl, seedRecords, type LogLine, type SeedRecord } from './rundir.ts';

export type ExportFormat = 'parquet' | 'csv' | 'jsonl';

/** The finished seeds of the run in `dir`, in log order (a killed run's unfinished seeds are left out). */
export function finishedRecords(dir: string): SeedRecord[] {
  return [...seedRecords(readJsonl<LogLine>(join(dir, FILES.log)).lines).values()];
}

/** `records` in a RecordTable, in this order. */
export function tableOf(records: readonly SeedRecord[]): RecordTable {
  const table = new RecordTable(records.map((r) => r.seed));
  records.forEach((r, i) => table.addRecord(i, r));
  return table;
}

/** Writes the run's metrics in `format` to `out` (default: metrics.<ext> in the run directory); Parquet in row groups of `blockSize` seeds, as the run writes it. */
export function exportMetrics(dir: string, format: ExportFormat, grid: Grid, blockSize: number, out?: string): string {
  const records = finishedRecords(dir);
  const path = out ?? join(dir, format === 'parquet' ? FILES.parquet : `metrics.${format}`);
  if (format === 'parquet') {
    const file = new ParquetStream(path);
    for (const block of blocksOf(records, blockSize)) file.add(encodeGroup(denseRows(tableOf(block), grid)));
    file.finish();
    return path;
  }
  const rows = denseRows(tableOf(records), grid);
  writeFileSync(path, format === 'csv' ? csv(rows) : jsonl(rows));
  return path;
}

function csv(rows: DenseRows): string {
  const lines = ['seed,generation,metric,value,stopped'];
  for (let i = 0; i < rows.value.length; i++) lines.push(`${rows.seed[i]},${rows.generation[i]},${rows.metric[i]},${fmt(rows.value[i]!)},${rows.stopped[i]}`);
  return lines.join('\n') + '\n';
}

function jsonl(rows: DenseRows): string {
  const lines: string[] = [];
  for (let i = 0; i < rows.value.length; i++) {
    const v = rows.value[i]!;
    lines.push(JSON.stringify({ seed: rows.seed[i], generation: rows.generation[i], metric: rows.metric[i], value: Number.isFinite(v) ? v : fmt(v), stopped: rows.stopped[i] }));
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : '-inf';
}
