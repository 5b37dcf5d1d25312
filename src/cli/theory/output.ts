// How every `ouro theory` subcommand reads numeric flags and prints: one JSON document with
// --json, else an aligned table.
import { UsageError } from '../errors.ts';

/**
 * A table row: a label then cells. A row with no cells, or only undefined ones
 * (`['heading']`, `['heading', undefined]`), is a heading printed as is (or a blank line).
 */
export type Row = readonly [string, ...(string | number | null | undefined)[]];

/** Writes `doc` as one JSON document (json) or `rows` as a table under `title`, cells right-aligned. */
export function emit(json: boolean, doc: unknown, title: string, rows: readonly Row[]): void {
  if (json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return;
  }
  // Columns align within each block of rows between headings.
  const out: string[] = [title];
  let block: string[][] = [];
  const flush = (): void => {
    const widths: number[] = [];
    for (const r of block) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
    for (const r of block) out.push(('  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join('  ')).trimEnd());
    block = [];
  };
  for (const [label, ...rest] of rows) {
    if (rest.every((c) => c === undefined)) {
      flush();
      out.push(label);
    } else block.push([label, ...rest.map((c) => format(c ?? null))]);
  }
  flush();
  process.stdout.write(out.join('\n') + '\n');
}

/** Numbers to 6 significant digits, exponents outside [1e-4, 1e6); null as a dash. */
export function format(v: string | number | null): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4 ? v.toExponential(4) : v.toPrecision(6);
}

/** The number in flag `flag`, or a UsageError naming what is allowed and how to fix it. */
export function parseNumber(flag: string, raw: string, ok: (x: number) => boolean, expected: string, fix: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new UsageError(`${flag}: expected ${expected}, got ${JSON.stringify(raw)}. ${fix}`);
  return x;
}
