// Sweep expansion: a config's `sweep: { grid, cases }` section and the comma lists of
// `--set key=a,b,c` become one validated Config per cell. The cells are the cartesian
// product of the grid axes (first axis slowest), crossed with the explicit cases; each cell
// runs the config's seeds. A cell is exactly the config `ouro run` would get with the same
// --set flags, so its run id is the one a single run would have.
import { dirname } from 'node:path';
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { ConfigError, configOf, parseText, setValue, type ConfigIssue, type Override } from './load.ts';
import type { Config } from './schema.ts';

/** Above this many cells a sweep needs an explicit yes (`ouro sweep --yes`). */
export const CELL_LIMIT = 1000;

export interface SweepCell {
  readonly index: number;
  /** The swept values of this cell by dotted key, grid keys first, then the case's keys. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly config: Config;
}

export interface SweepPlan {
  /** Every dotted key that a grid axis or a case sets, in first-seen order. */
  readonly keys: readonly string[];
  readonly cells: readonly SweepCell[];
}

interface Axis {
  readonly key: string;
  readonly values: readonly unknown[];
  readonly where: readonly string[];
}

type Case = readonly Override[];

// Segments after the first may be list indices (ecosystem.agents.1.temperature) or names with dashes (ecosystem.reads.a-1.b).
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_-]*|\d+))*$/;

/**
 * Expands config text into its cells. `sets` are the `--set` flags: one whose value is a
 * comma list (outside brackets and quotes) is a grid axis that replaces a grid axis of the same key.
 * Throws ConfigError naming file:line:col for a malformed sweep or cell, and for more than
 * `limit` cells unless `yes`.
 */
export function planSweep(text: string, source: string, sets: readonly string[], opts: { yes: boolean; limit?: number }): SweepPlan {
  const parsed = parseText(text, source); // a YAML error with its position; aliases resolve, and expand within bounds, before any node is read
  const { doc, lc } = parsed;
  const at = (node: unknown): string => {
    const r = (node as { range?: [number, number, number] } | null)?.range;
    if (!r) return source;
    const { line, col } = lc.linePos(r[0]);
    return `${source}:${line}:${col}`;
  };
  const { axes, cases } = readSweepSection(doc, at);
  const plain: string[] = [];
  for (const s of sets) {
    const multi = multirun(s);
    if (!multi) {
      plain.push(s);
      continue;
    }
    const i = axes.findIndex((a) => a.key === multi.key);
    if (i >= 0) axes.splice(i, 1);
    axes.push(multi);
  }
  const count = axes.reduce((n, a) => n * a.values.length, 1) * Math.max(1, cases.length);
  const limit = opts.limit ?? CELL_LIMIT;
  if (count > limit && !opts.yes) {
    const shape = [...axes.map((a) => `${a.values.length} (${a.key})`), ...(cases.length ? [`${cases.length} cases`] : [])].join(' × ');
    throw new ConfigError([{ where: source, path: 'sweep', message: `the sweep expands to ${count} cells (${shape}), more than the limit of ${limit}. Pass --yes to run it anyway, or shrink the grid.` }]);
  }
  const keys = [...new Set([...axes.map((a) => a.key), ...cases.flatMap((c) => c.map((o) => o.path))])];
  const cells: SweepCell[] = [];
  for (const combo of product(axes)) {
    for (const c of cases.length ? cases : [[]]) {
      const overrides = [...combo, ...c];
      const values = Object.fromEntries(overrides.map((o) => [o.path, o.value]));
      cells.push({ index: cells.length, values, config: configOf(parsed, plain, overrides, dirname(source)) });
    }
  }
  return { keys, cells };
}

/** `key=a,b,c` with a comma at the top level of the value → a grid axis; otherwise undefined. */
export function multirun(set: string): Axis | undefined {
  const eq = set.indexOf('=');
  if (eq <= 0) return undefined;
  const parts = splitTopLevel(set.slice(eq + 1));
  if (parts.length < 2) return undefined;
  const key = set.slice(0, eq);
  checkKey(key, `--set ${set}`);
  return { key, values: parts.map((p) => setValue(set, eq, p)), where: parts.map(() => `--set ${set}`) };
}

function splitTopLevel(v: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const ch = v[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(v.slice(start, i));
      start = i + 1;
    }
  }
  out.push(v.slice(start));
  return out;
}

function readSweepSection(doc: Document, at: (node: unknown) => string): { axes: Axis[]; cases: Case[] } {
  const root = doc.contents;
  if (!isMap(root)) return { axes: [], cases: [] }; // parseConfig reports a non-mapping document
  const sweep = doc.get('sweep', true);
  if (sweep === undefined) return { axes: [], cases: [] };
  const fail = (node: unknown, path: string, message: string): never => {
    throw new ConfigError([issue(at(node), path, message)]);
  };
  if (!isMap(sweep)) return fail(sweep, 'sweep', 'expected a mapping with `grid` and/or `cases`, e.g. sweep: { grid: { loop.temperature: [0.8, 1] } }.');
  for (const p of sweep.items) {
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (k !== 'grid' && k !== 'cases') fail(p.key, `sweep.${k}`, `unknown key '${k}' in sweep; a sweep has \`grid\` (a mapping of dotted keys to lists of values) and \`cases\` (a list of mappings).`);
  }
  const axes: Axis[] = [];
  const grid = sweep.get('grid', true);
  if (grid !== undefined && !isMap(grid)) fail(grid, 'sweep.grid', 'expected a mapping of dotted keys to lists, e.g. grid: { loop.temperature: [0.8, 1, 1.25] }.');
  for (const p of isMap(grid) ? grid.items : []) {
    const key = isScalar(p.key) ? String(p.key.value) : '';
    const where = at(p.key);
    checkKey(key, where);
    if (!isSeq(p.value) || p.value.items.length === 0) fail(p.value ?? p.key, `sweep.grid.${key}`, `expected a non-empty list of values for '${key}', e.g. [0.8, 1, 1.25].`);
    const items = (p.value as { items: unknown[] }).items;
    axes.push({ key, values: items.map(plainValue), where: items.map((n) => `${at(n)} (sweep.grid ${key})`) });
  }
  const cases: Case[] = [];
  const list = sweep.get('cases', true);
  if (list !== undefined && !isSeq(list)) fail(list, 'sweep.cases', 'expected a list of mappings of dotted keys to values, e.g. cases: [{ loop.policy: replace }, { loop.policy: accumulate }].');
  for (const [i, c] of (isSeq(list) ? list.items : []).entries()) {
    if (!isMap(c) || c.items.length === 0) fail(c, `sweep.cases.${i}`, 'expected a non-empty mapping of dotted keys to values, e.g. { loop.realFraction: 0.1 }.');
    cases.push(
      (c as { items: { key: unknown; value: unknown }[] }).items.map((p) => {
        const key = isScalar(p.key) ? String(p.key.value) : '';
        checkKey(key, at(p.key));
        return { path: key, value: plainValue(p.value), where: `${at(p.key)} (sweep.cases[${i}] ${key})` };
      }),
    );
  }
  return { axes, cases };
}

/** A YAML node as plain data (scalars, lists and mappings as JSON would give them). */
function plainValue(node: unknown): unknown {
  return node !== null && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : null;
}

function checkKey(key: string, where: string): void {
  if (!DOTTED.test(key)) throw new ConfigError([issue(where, key, `malformed sweep key '${key}': expected a dotted config path such as loop.temperature, init.probs or ecosystem.agents.1.temperature.`)]);
  if (key === 'sweep' || key.startsWith('sweep.')) throw new ConfigError([issue(where, key, `a sweep cannot sweep its own '${key}'.`)]);
}

function issue(where: string, path: string, message: string): ConfigIssue {
  return { where, path, message };
}

function* product(axes: readonly Axis[]): Generator<Override[]> {
  const idx = axes.map(() => 0);
  for (;;) {
    yield axes.map((a, i) => ({ path: a.key, value: a.values[idx[i]!], where: a.where[idx[i]!]! }));
    let d = axes.length - 1;
    while (d >= 0 && ++idx[d]! === axes[d]!.values.length) idx[d--] = 0;
    if (d < 0) return;
  }
}
