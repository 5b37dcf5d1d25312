// Long-format metric exports (seed, generation, metric, value) for pandas, polars and DuckDB.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { numberOf } from './json.ts';
import { FILES, readJsonl, type LogLine } from './rundir.ts';

export type ExportFormat = 'parquet' | 'csv' | 'jsonl';

export interface LongRows {
  seed: Int32Array;
  generation: Int32Array;
  metric: string[];
  value: Float64Array;
}

/** The metric rows of a run's log in long format (end lines repeat no row already written). */
export function longRows(dir: string): LongRows {
  const { lines } = readJsonl<LogLine>(join(dir, FILES.log));
  const seen = new Set<string>();
  const seed: number[] = [];
  const generation: number[] = [];
  const metric: string[] = [];
  const value: number[] = [];
  for (const l of lines) {
    const id = `${l.seed}:${l.generation}`;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const [m, v] of Object.entries(l.metrics)) {
      seed.push(l.seed);
      generation.push(l.generation);
      metric.push(m);
      value.push(numberOf(v));
    }
  }
  return { seed: Int32Array.from(seed), generation: Int32Array.from(generation), metric, value: Float64Array.from(value) };
}

/** Writes the run's metrics in `format` to `out` (default: metrics.<ext> in the run directory). */
export function exportMetrics(dir: string, format: ExportFormat, out?: string): string {
  const rows = longRows(dir);
  const path = out ?? join(dir, format === 'parquet' ? FILES.parquet : `metrics.${format}`);
  if (format === 'parquet') {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'seed', data: rows.seed, type: 'INT32', nullable: false },
        { name: 'generation', data: rows.generation, type: 'INT32', nullable: false },
        { name: 'metric', data: rows.metric, type: 'STRING', nullable: false },
        { name: 'value', data: rows.value, type: 'DOUBLE', nullable: false },
      ],
      createdBy: 'ouroboros',
    });
    writeFileSync(path, new Uint8Array(buf));
  } else if (format === 'csv') {
    const lines = ['seed,generation,metric,value'];
    for (let i = 0; i < rows.value.length; i++) lines.push(`${rows.seed[i]},${rows.generation[i]},${rows.metric[i]},${fmt(rows.value[i]!)}`);
    writeFileSync(path, lines.join('\n') + '\n');
  } else {
    const lines: string[] = [];
    for (let i = 0; i < rows.value.length; i++) {
      const v = rows.value[i]!;
      lines.push(JSON.stringify({ seed: rows.seed[i], generation: rows.generation[i], metric: rows.metric[i], value: Number.isFinite(v) ? v : fmt(v) }));
    }
    writeFileSync(path, lines.join('\n') + (lines.length ? '\n' : ''));
  }
  return path;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : '-inf';
}
