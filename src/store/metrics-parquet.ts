// metrics.parquet, written as a run goes: each block of seeds becomes one row group, encoded
// where the block was computed (often a worker thread) and appended here in seed order. The
// footer goes on at the end, and only then does the file take its name, so a reader never
// finds half a file under metrics.parquet.
import { renameSync, rmSync } from 'node:fs';
import type { ColumnSource } from 'hyparquet-writer/src/types.js';
import { ByteWriter, ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { DenseRows } from './dense.ts';

type RowGroup = ParquetWriter['row_groups'][number];
export type ColumnChunk = RowGroup['columns'][number];

/** `items` (seeds, or their records) cut into blocks of `size`, in order: one row group each, the same cut however many threads run them. */
export function blocksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One row group, encoded as if it started right after the file's 4-byte magic. */
export interface ParquetGroup {
  readonly bytes: Uint8Array;
  readonly meta: RowGroup;
}

// One page per column chunk (pageSize 0): no per-value page-size accounting and no page
// indexes to relocate when the group is appended. Statistics only where queries filter (seed,
// generation): computing them over every value costs as much as encoding it. Seeds come in
// long runs: delta encoding stores them in almost nothing, and faster than a dictionary.
function columns(rows: DenseRows): ColumnSource[] {
  return [
    { name: 'seed', data: rows.seed, type: 'INT32', nullable: false, statistics: true, encoding: 'DELTA_BINARY_PACKED' },
    { name: 'generation', data: rows.generation, type: 'INT32', nullable: false, statistics: true },
    { name: 'metric', data: rows.metric, type: 'STRING', nullable: false, statistics: false },
    { name: 'value', data: rows.value, type: 'DOUBLE', nullable: false, statistics: false },
    { name: 'stopped', data: rows.stopped, type: 'BOOLEAN', nullable: false, statistics: false },
  ];
}

const SCHEMA = schemaFromColumnData({ columnData: columns({ seed: new Int32Array(0), generation: new Int32Array(0), metric: [], value: new Float64Array(0), stopped: [] }) });
const CREATED_BY = 'ouroboros';

/** Encodes `rows` as one row group (pure: runs on any thread). */
export function encodeGroup(rows: DenseRows): ParquetGroup {
  const writer = new ByteWriter();
  const pw = new ParquetWriter({ writer, schema: SCHEMA, createdBy: CREATED_BY });
  void pw.write({ columnData: columns(rows), rowGroupSize: Math.max(1, rows.seed.length), pageSize: 0 });
  return { bytes: writer.getBytes().slice(4), meta: pw.row_groups[0]! };
}

/** A metrics.parquet being written: row groups in order, then `finish`. */
export class ParquetStream {
  private readonly partial: string;
  private readonly writer;
  private readonly pw;

  constructor(private readonly path: string) {
    this.partial = `${path}.partial`;
    this.writer = fileWriter(this.partial);
    this.pw = new ParquetWriter({ writer: this.writer, schema: SCHEMA, createdBy: CREATED_BY });
  }

  add(group: ParquetGroup): void {
    const shift = BigInt(this.writer.offset - 4);
    this.writer.appendBytes(group.bytes);
    this.pw.row_groups.push(relocated(group.meta, shift));
    this.pw.num_rows += group.meta.num_rows;
  }

  /** Writes the footer and gives the file its name. */
  finish(): void {
    void this.pw.finish();
    renameSync(this.partial, this.path);
  }

  /** Drops the unfinished file. */
  abort(): void {
    rmSync(this.partial, { force: true });
  }
}

/** `meta` with every file offset moved by `shift` bytes. */
function relocated(meta: RowGroup, shift: bigint): RowGroup {
  return { ...meta, columns: meta.columns.map((c) => movedChunk(c, shift)) };
}

/** A column chunk with its file, data-page and dictionary-page offsets moved by `shift` bytes. */
export function movedChunk(c: ColumnChunk, shift: bigint): ColumnChunk {
  return {
    ...c,
    file_offset: c.file_offset + shift,
    ...(c.meta_data && {
      meta_data: {
        ...c.meta_data,
        data_page_offset: c.meta_data.data_page_offset + shift,
        ...(c.meta_data.dictionary_page_offset !== undefined && { dictionary_page_offset: c.meta_data.dictionary_page_offset + shift }),
      },
    }),
  };
}
