// A block of seeds' records in columns, as the runner collects them while the seeds step: a
// block of a thousand seeds records some fifty thousand rows, and holding each row as an object
// for as long as the block runs keeps the garbage collector copying them. Rows go into typed
// arrays instead; the log text, the export rows and the summary's feed are all read from here.
import { metricValuesJson, numberOf, toJson } from './json.ts';
import type { EndLine, SampleLine, SeedRecord } from './rundir.ts';

export class RecordTable {
  /** Per row: the seed's index in `seeds`, the generation, its shape (metric names) and where its values start. */
  private seedOf = new Int32Array(256);
  private genOf = new Int32Array(256);
  private shapeOf = new Int32Array(256);
  private startOf = new Int32Array(256);
  private vals = new Float64Array(2048);
  private nVals = 0;
  rows = 0;
  /** The metric names of each distinct row shape, in the row's key order (the log's key order). */
  readonly shapes: string[][] = [];
  private readonly shapeIds = new Map<string, number>();
  private lastShape = -1;
  readonly ends: (EndLine | undefined)[];
  readonly samples: SampleLine[][];

  constructor(readonly seeds: readonly number[]) {
    this.ends = seeds.map(() => undefined);
    this.samples = seeds.map(() => []);
  }

  /** A row of seed `i` (its index in `seeds`): metric values as computed, or as read back ("Infinity" strings). */
  add(i: number, generation: number, metrics: Readonly<Record<string, number | string>>): void {
    const shape = this.shapeFor(metrics);
    const k = this.shapes[shape]!.length;
    if (this.rows === this.seedOf.length) this.growRows();
    while (this.nVals + k > this.vals.length) this.vals = grown(this.vals);
    const r = this.rows++;
    this.seedOf[r] = i;
    this.genOf[r] = generation;
    this.shapeOf[r] = shape;
    this.startOf[r] = this.nVals;
    for (const m in metrics) this.vals[this.nVals++] = numberOf(metrics[m]);
  }

  /** Every line of a finished seed's record (a resume reads these back from the log). */
  addRecord(i: number, rec: SeedRecord): void {
    for (const l of rec.rows) this.add(i, l.generation, l.metrics);
    this.ends[i] = rec.end;
  }

  seedIndex(r: number): number {
    return this.seedOf[r]!;
  }
  generation(r: number): number {
    return this.genOf[r]!;
  }
  /** The shape of row r: an index into `shapes`. */
  shape(r: number): number {
    return this.shapeOf[r]!;
  }
  names(r: number): readonly string[] {
    return this.shapes[this.shapeOf[r]!]!;
  }
  /** The j-th value of row r (in the order of names(r)). */
  value(r: number, j: number): number {
    return this.vals[this.startOf[r]! + j]!;
  }

  /** Row indices seed by seed, each seed's rows in the order they came: rows of seed i are order[at[i] … at[i + 1]). */
  bySeed(): { order: Int32Array; at: Int32Array } {
    const at = new Int32Array(this.seeds.length + 1);
    for (let r = 0; r < this.rows; r++) at[this.seedOf[r]! + 1]!++;
    for (let i = 0; i < this.seeds.length; i++) at[i + 1]! += at[i]!;
    const fill = at.slice(0, this.seeds.length);
    const order = new Int32Array(this.rows);
    for (let r = 0; r < this.rows; r++) order[fill[this.seedOf[r]!]!++] = r;
    return { order, at };
  }

  /**
   * The log lines of the seeds at `indices` as UTF-8 bytes: each seed's rows, then its end
   * line. Each line is written out as soon as it is built, so no line lives on as a string.
   */
  logBytes(indices: readonly number[]): Uint8Array {
    const { order, at } = this.bySeed();
    const out = new LineBytes();
    for (const i of indices) {
      const seed = this.seeds[i]!;
      for (let o = at[i]!; o < at[i + 1]!; o++) {
        const r = order[o]!;
        out.line(metricValuesJson(seed, this.genOf[r]!, this.shapes[this.shapeOf[r]!]!, this.vals, this.startOf[r]!));
      }
      out.line(toJson(this.endOf(i)));
    }
    return out.bytes();
  }

  /** The samples.jsonl text of the seeds at `indices`. */
  samplesText(indices: readonly number[]): string {
    return indices.flatMap((i) => this.samples[i]!.map((l) => toJson(l) + '\n')).join('');
  }

  endOf(i: number): EndLine {
    const e = this.ends[i];
    if (!e) throw new Error(`seed ${this.seeds[i]} has no end line`);
    return e;
  }

  private shapeFor(metrics: Readonly<Record<string, unknown>>): number {
    const last = this.shapes[this.lastShape];
    if (last) {
      let j = 0;
      for (const m in metrics) if (last[j++] !== m) return this.newShape(metrics);
      if (j === last.length) return this.lastShape;
    }
    return this.newShape(metrics);
  }

  private newShape(metrics: Readonly<Record<string, unknown>>): number {
    const names = Object.keys(metrics);
    const sig = names.join('\u0000');
    let id = this.shapeIds.get(sig);
    if (id === undefined) {
      id = this.shapes.push(names) - 1;
      this.shapeIds.set(sig, id);
    }
    return (this.lastShape = id);
  }

  private growRows(): void {
    this.seedOf = grown(this.seedOf);
    this.genOf = grown(this.genOf);
    this.shapeOf = grown(this.shapeOf);
    this.startOf = grown(this.startOf);
  }
}

/** Lines written as UTF-8 into one growing buffer. */
class LineBytes {
  private buf = Buffer.allocUnsafe(1 << 16);
  private n = 0;
  line(s: string): void {
    const most = 3 * s.length + 1; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.n + most > this.buf.length) {
      const b = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.n + most));
      this.buf.copy(b, 0, 0, this.n);
      this.buf = b;
    }
    this.n += this.buf.write(s, this.n, 'utf8');
    this.buf[this.n++] = 0x0a;
  }
  /** The bytes written, in a buffer of their own (transferable to another thread). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.n));
  }
}

function grown<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(2 * a.length);
  b.set(a);
  return b;
}
