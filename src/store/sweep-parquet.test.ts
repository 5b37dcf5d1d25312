import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import type { DenseRows } from './dense.ts';
import { ParquetStream, encodeGroup } from './metrics-parquet.ts';
import { writeJoinedParquet, type CellParquet } from './sweep-parquet.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-sweep-parquet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A run's metrics.parquet as runs write it: one row group per block of seeds. */
function runParquet(name: string, blocks: readonly DenseRows[]): Uint8Array {
  const path = join(tmp, `${name}.parquet`);
  const s = new ParquetStream(path);
  for (const b of blocks) s.add(encodeGroup(b));
  s.finish();
  return new Uint8Array(readFileSync(path));
}

function rows(seeds: number[], base: number): DenseRows {
  const seed: number[] = [];
  const generation: number[] = [];
  const metric: string[] = [];
  const value: number[] = [];
  const stopped: boolean[] = [];
  for (const s of seeds) {
    for (const g of [0, 1, 2, 4]) {
      for (const m of ['entropy', 'p0']) {
        seed.push(s), generation.push(g), metric.push(m), value.push(base + s + g / 10 + (m === 'p0' ? 0.5 : 0)), stopped.push(g === 4 && s % 2 === 0);
      }
    }
  }
  return { seed: Int32Array.from(seed), generation: Int32Array.from(generation), metric, value: Float64Array.from(value), stopped };
}

async function objects(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
}

describe('the sweep Parquet joined from the cells’ files', () => {
  // Swept keys: a number everywhere; a number in one cell, a list in another (→ text); absent from one cell (null); `seed` (→ config.seed).
  const keys = ['loop.temperature', 'init.probs', 'loop.samples', 'seed'];
  const cells: CellParquet[] = [
    { cell: 0, runId: 'aaa', swept: [0.8, 1, 10, 0], bytes: runParquet('a', [rows([0, 1], 0), rows([2], 0)]) },
    { cell: 2, runId: 'bbb', swept: [1.25, [0.3, 0.7], null, 1], bytes: runParquet('b', [rows([0, 1, 2], 100)]) },
    { cell: 3, runId: 'ccc', swept: [1, 1, 20, 2], bytes: runParquet('c', [rows([5], 200), rows([6, 7], 200), rows([8], 200)]) },
  ];
  const out = join(tmp, 'sweep.parquet');
  writeJoinedParquet(out, keys, cells);

  it('holds every cell’s rows in order, with its cell, run id and swept values in front (as decoding and encoding every row gives)', async () => {
    const expected: Record<string, unknown>[] = [];
    for (const c of cells) {
      for (const r of await objects(c.bytes)) {
        const swept = Object.fromEntries(keys.map((k, j) => [k === 'seed' ? 'config.seed' : k, k === 'init.probs' ? JSON.stringify(c.swept[j]) : c.swept[j]]));
        expected.push({ cell: c.cell, runId: c.runId, ...swept, ...r });
      }
    }
    const got = await objects(new Uint8Array(readFileSync(out)));
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected);
    expect(got.find((r) => r.runId === 'bbb')!['loop.samples']).toBeNull();
  });

  it('reads in DuckDB: a group-by over the joined file equals the sums over the cells', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const reader = await c.runAndReadAll(
      `select cell, "loop.temperature", count(*), sum(value), sum(stopped::int), min(generation), max(seed) from read_parquet('${out}') group by all order by cell`,
    );
    const got = reader.getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    const want = [];
    for (const cell of cells) {
      const rs = await objects(cell.bytes);
      const sum = rs.reduce((a, r) => a + (r.value as number), 0);
      want.push([cell.cell, cell.swept[0], rs.length, sum, rs.filter((r) => r.stopped).length, 0, Math.max(...rs.map((r) => r.seed as number))]);
    }
    expect(got.map((r) => [r[0], r[1], r[2], r[4], r[5], r[6]])).toEqual(want.map((w) => [w[0], w[1], w[2], w[4], w[5], w[6]]));
    for (let i = 0; i < want.length; i++) expect(got[i]![3] as number).toBeCloseTo(want[i]![3] as number, 9);
  });

  it('refuses a damaged cell file and leaves nothing behind', () => {
    const foreign = runParquet('d', [rows([0], 0)]);
    const bad = join(tmp, 'bad.parquet');
    expect(() => writeJoinedParquet(bad, [], [{ cell: 0, runId: 'x', swept: [], bytes: foreign.subarray(0, foreign.length - 9) }])).toThrow();
    expect(() => readFileSync(bad)).toThrow();
    expect(() => readFileSync(`${bad}.tmp`)).toThrow();
  });
});
