// A sweep's metrics.parquet: every complete cell's rows, with the cell, its run id and its swept
// values in front. Each cell's metrics.parquet is already encoded (seed, generation, metric,
// value, stopped), so its column chunks are copied byte for byte, their file offsets moved,
// and only the few columns that are constant over a cell are encoded here: one row group per
// row group of each cell. Decoding every cell and encoding it again cost most of a small-cell
// sweep's serial time.
import { renameSync, rmSync } from 'node:fs';
import { parquetMetadata } from 'hyparquet';
import { ByteWriter, ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer/src/types.js';
import { movedChunk, type ColumnChunk } from './metrics-parquet.ts';

/** One cell to join: its metrics.parquet bytes and the values of its constant columns. */
export interface CellParquet {
  readonly cell: number;
  readonly runId: string;
  /** One value per swept key, in the order of `keys`. */
  readonly swept: readonly unknown[];
  readonly bytes: Uint8Array;
}

/** The columns of a run's metrics.parquet (metrics-parquet.ts), in order. */
const RUN_COLUMNS = ['seed', 'generation', 'metric', 'value', 'stopped'];
const FIXED = new Set(['cell', 'runId', ...RUN_COLUMNS]);
const CREATED_BY = 'ouroboros';

/** Writes the sweep's Parquet of `cells` (in order) to `path`, through a temporary file. */
export function writeJoinedParquet(path: string, keys: readonly string[], cells: readonly CellParquet[]): void {
  const kinds = keys.map((_, j) => (cells.every((c) => isNumber(c.swept[j])) ? 'number' : 'string'));
  const prefix = (cell: CellParquet | undefined, n: number): ColumnSource[] => [
    { name: 'cell', data: new Int32Array(n).fill(cell?.cell ?? 0), type: 'INT32', nullable: false },
    { name: 'runId', data: new Array<string>(n).fill(cell?.runId ?? ''), type: 'STRING', nullable: false, statistics: false },
    ...keys.map((k, j) => sweptColumn(k, kinds[j]!, cell?.swept[j], n)),
  ];
  const runColumns: ColumnSource[] = [
    { name: 'seed', data: new Int32Array(0), type: 'INT32', nullable: false },
    { name: 'generation', data: new Int32Array(0), type: 'INT32', nullable: false },
    { name: 'metric', data: [], type: 'STRING', nullable: false },
    { name: 'value', data: new Float64Array(0), type: 'DOUBLE', nullable: false },
    { name: 'stopped', data: [], type: 'BOOLEAN', nullable: false },
  ];
  const prefixSchema = schemaFromColumnData({ columnData: prefix(undefined, 0) });
  const schema = schemaFromColumnData({ columnData: [...prefix(undefined, 0), ...runColumns] });
  const partial = `${path}.tmp`;
  const writer = fileWriter(partial);
  const pw = new ParquetWriter({ writer, schema, createdBy: CREATED_BY });
  try {
    for (const cell of cells) {
      const buffer = cell.bytes.buffer.slice(cell.bytes.byteOffset, cell.bytes.byteOffset + cell.bytes.byteLength) as ArrayBuffer;
      const meta = parquetMetadata(buffer);
      const names = meta.schema.slice(1).map((e) => e.name);
      if (names.join(',') !== RUN_COLUMNS.join(',')) throw new Error(`cell ${cell.cell}: its metrics.parquet has columns ${names.join(', ')}, not ${RUN_COLUMNS.join(', ')}`);
      for (const group of meta.row_groups) {
        const n = Number(group.num_rows);
        const start = writer.offset;
        // The constant columns, encoded as a row group of their own, then moved into place.
        const own = new ByteWriter();
        const opw = new ParquetWriter({ writer: own, schema: prefixSchema, createdBy: CREATED_BY });
        void opw.write({ columnData: prefix(cell, n), rowGroupSize: Math.max(1, n), pageSize: 0 });
        writer.appendBytes(own.getBytes().subarray(4));
        const columns = opw.row_groups[0]!.columns.map((c) => relocated(c, BigInt(start - 4)));
        for (const c of group.columns as ColumnChunk[]) {
          const md = c.meta_data!;
          const from = Number(md.dictionary_page_offset ?? md.data_page_offset);
          const at = writer.offset;
          writer.appendBytes(cell.bytes.subarray(from, from + Number(md.total_compressed_size)));
          columns.push(relocated(c, BigInt(at - from)));
        }
        let total = 0n;
        for (const c of columns) total += c.meta_data?.total_uncompressed_size ?? 0n;
        pw.row_groups.push({ columns, num_rows: BigInt(n), total_byte_size: total, total_compressed_size: BigInt(writer.offset - start) });
        pw.num_rows += BigInt(n);
      }
    }
    void pw.finish();
    renameSync(partial, path);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

function isNumber(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'number';
}

/** A swept key's column: DOUBLE when every cell's value is a number, else its text (JSON for lists and maps). */
function sweptColumn(key: string, kind: string, value: unknown, n: number): ColumnSource {
  const name = FIXED.has(key) ? `config.${key}` : key; // a swept root `seed` is not the seed column
  const v = value ?? null;
  if (kind === 'number') return { name, data: new Array<number | null>(n).fill(v as number | null), type: 'DOUBLE', nullable: true };
  return { name, data: new Array<string | null>(n).fill(v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)), type: 'STRING', nullable: true };
}

/** A column chunk with every file offset moved by `shift` bytes; page indexes are not copied. */
function relocated(c: ColumnChunk, shift: bigint): ColumnChunk {
  const { offset_index_offset, offset_index_length, column_index_offset, column_index_length, ...rest } = c;
  void offset_index_offset, void offset_index_length, void column_index_offset, void column_index_length;
  return movedChunk(rest, shift);
}
