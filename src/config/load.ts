// Raw input → a typed, validated Config. Errors are data: each names where (file:line:col
// or the --set flag), which field, what was expected, what was found, and how to fix it.
import { totalmem } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { LineCounter, isMap, isScalar, parse as parseYamlValue, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import type { FamilyEntry } from '../families/entry.ts';
import { FAMILIES } from '../families/index.ts';
import { overBudget, type MemoryLimits } from './budget.ts';
import { configSchema, ownLoopKeys, type Config } from './schema.ts';
import { closest, keysAt } from './suggest.ts';

export interface ConfigIssue {
  readonly where: string; // "exp.yaml:7:14" or "--set loop.temperature=-1"
  readonly path: string; // "loop.temperature"
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** A config that failed validation; `issues` lists every problem found. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${i.where} ${i.path ? i.path + ': ' : ''}${i.message}`).join('\n'));
  }
}

const HINTS: Record<string, string> = {
  temperature: 'Use a temperature ≥ 0; 1 samples the model as it is, 0 always takes the most probable outcome.',
  probs: 'List non-negative probabilities that add up to 1, e.g. [0.5, 0.5].',
  realFraction: 'λ is a share of each generation: 0 = no real data, 1 = all real data.',
  samples: 'Give a whole number of samples per generation, e.g. 100.',
  seeds: 'Give a number of seeds (e.g. 100) or a list of seed indices.',
  generations: 'Give a whole number of generations, e.g. 1000.',
  family: `Use one of: ${Object.keys(FAMILIES).join(', ')}.`,
};

/** A value put at a dotted key by a sweep cell; `where` names its origin in errors. */
export interface Override {
  readonly path: string;
  readonly value: unknown;
  readonly where: string;
}

/**
 * Parses and validates config text; `sets` are `dotted.key=value` overrides (values are YAML).
 * With `cell` (one cell of a sweep), the top-level `sweep` key is split off and the cell's
 * overrides are applied after the sets. With `baseDir` (the config file's directory), the
 * family's relative file paths are made absolute: from `baseDir` when written in the file,
 * from the working directory when given by --set. A config whose run cannot fit in `limits`
 * is refused at the field that sizes it most.
 */
export function parseConfig(text: string, source: string, sets: readonly string[] = [], cell?: readonly Override[], baseDir?: string, limits: MemoryLimits = machineMemory()): Config {
  return configOf(parseText(text, source), sets, cell, baseDir, limits);
}

/** Config text read as YAML once: a sweep validates each of its cells from the same parse. */
export interface ParsedText {
  readonly source: string;
  readonly doc: Document;
  readonly lc: LineCounter;
  readonly raw: unknown;
}

/** Parses config text (YAML or JSON); a syntax error is a ConfigError at its line. */
export function parseText(text: string, source: string): ParsedText {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => issueAt(source, lc, e.pos[0], '', `not valid YAML or JSON: ${e.message.split('\n')[0]}`)));
  }
  return { source, doc, lc, raw: toJs(doc, source, lc) };
}

/** The config of parsed text with `sets` and a sweep cell's overrides applied (parseConfig); `parsed` is left as it was. */
export function configOf(parsed: ParsedText, sets: readonly string[] = [], cell?: readonly Override[], baseDir?: string, limits: MemoryLimits = machineMemory()): Config {
  const { source, doc, lc } = parsed;
  const raw = structuredClone(parsed.raw); // the overrides below write into it
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ where: source, path: '', message: 'expected a mapping of keys (family, loop, …), got ' + describe(raw) + '. See examples/ for configs.' }]);
  }
  const fromSet = new Map<string, string>();
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new ConfigError([{ where: `--set ${s}`, path: '', message: 'expected dotted.key=value, e.g. --set loop.temperature=0.8' }]);
    const path = s.slice(0, eq);
    setPath(raw as Record<string, unknown>, path.split('.'), setValue(s, eq));
    fromSet.set(path, `--set ${s}`);
  }
  if (cell) {
    delete (raw as Record<string, unknown>).sweep;
    for (const o of cell) {
      setPath(raw as Record<string, unknown>, o.path.split('.'), structuredClone(o.value));
      fromSet.set(o.path, o.where);
    }
  }
  const family = (raw as { family?: unknown }).family;
  const entry = typeof family === 'string' ? FAMILIES[family] : undefined;
  if (!entry) {
    const node = doc.get('family', true) as { range?: [number, number, number] } | undefined;
    throw new ConfigError([issueAt(source, lc, node?.range?.[0], 'family', `expected a known family, got ${describe(family)}. ${HINTS.family}`)]);
  }
  if (baseDir !== undefined) {
    for (const p of entry.paths ?? []) {
      const origin = [...fromSet].find(([k]) => p === k || p.startsWith(k + '.'))?.[1];
      absolutize(raw as Record<string, unknown>, p, origin?.startsWith('--set') ? process.cwd() : baseDir);
    }
  }
  const name = (raw as { name?: unknown }).name ?? defaultName(source);
  const schema = schemaOf(entry);
  const result = schema.safeParse({ ...raw, name });
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => toIssue(i, doc, lc, source, raw, fromSet, ownLoopKeys(entry), schema)));
  const locate = (field: string, message: string): ConfigIssue => {
    const set = [...fromSet].find(([p]) => field === p || field.startsWith(p + '.'))?.[1];
    return set ? { where: set, path: field, message } : issueAt(source, lc, offsetOf(doc, field.split('.'), false), field, message);
  };
  const over = overBudget(result.data, entry, limits);
  if (over) throw new ConfigError([locate(over.field, over.message)]);
  locations.set(result.data, locate);
  return result.data;
}

// Where each key of a config parsed in this process was written, for errors found after
// validation (a SettingError from a family's resolve or setup).
const locations = new WeakMap<Config, (field: string, message: string) => ConfigIssue>();

/**
 * The issue at dotted `field` of `config`: its file:line:column, or the --set or sweep cell
 * that gave it, when `config` was parsed in this process; else named by the config's name.
 */
export function issueIn(config: Config, field: string, message: string): ConfigIssue {
  return locations.get(config)?.(field, message) ?? { where: config.name, path: field, message };
}

// A family's schema is built once per process: building it costs more than validating a small
// config with it, and a sweep validates one config per cell.
const schemas = new WeakMap<FamilyEntry, z.ZodType<Config>>();

function schemaOf(entry: FamilyEntry): z.ZodType<Config> {
  let schema = schemas.get(entry);
  if (!schema) schemas.set(entry, (schema = configSchema(entry)));
  return schema;
}

/** This machine's memory and V8's heap limit: a config that needs more is refused before any work (config/budget.ts). */
export function machineMemory(): MemoryLimits {
  return { total: totalmem(), heap: getHeapStatistics().heap_size_limit };
}

/** Aliases a config may expand: a few are handy, thousands are a YAML "billion laughs". */
const MAX_ALIASES = 100;

/** The document as plain values; an alias that is unresolved or expands too far is a ConfigError at its line. */
export function toJs(doc: Document, source: string, lc: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
  } catch (e) {
    const unresolved = /Unresolved alias.*: (.+)$/.exec((e as Error).message.split('\n')[0]!)?.[1];
    let at: number | undefined;
    visit(doc, { Alias: (_k, node) => void (unresolved === undefined || node.source === unresolved ? (at ??= node.range?.[0]) : undefined) });
    const why = /Excessive alias count/.test((e as Error).message) ? `its aliases (*name) expand to more than ${MAX_ALIASES} copies; write the values out` : `${(e as Error).message.split('\n')[0]}; define each &anchor before its *alias`;
    throw new ConfigError([issueAt(source, lc, at, '', `not a usable YAML document: ${why}`)]);
  }
}

/** The YAML value of `--set key=value` (from `eq` on); one that does not parse is a ConfigError naming the flag. */
export function setValue(s: string, eq: number, value = s.slice(eq + 1)): unknown {
  try {
    return parseYamlValue(value, { maxAliasCount: MAX_ALIASES }) as unknown;
  } catch (e) {
    throw new ConfigError([{ where: `--set ${s}`, path: '', message: `the value is not valid YAML (${(e as Error).message.split('\n')[0]}); quote text, and close lists and mappings, e.g. --set loop.samples=[1,2]` }]);
  }
}

function toIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  lc: LineCounter,
  source: string,
  raw: unknown,
  fromSet: Map<string, string>,
  familyLoopKeys: ReadonlySet<string>,
  schema: z.ZodType,
): ConfigIssue {
  const path = issue.path.map(String);
  let field = path.join('.');
  let message = issue.message;
  let at = path;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    field = [...path, key].join('.');
    const allowed = keysAt(schema, issue.path);
    const others = issue.keys.length > 1 ? ` (and ${issue.keys.slice(1).join(', ')})` : '';
    if (allowed.includes(key)) {
      // The key belongs to another member of a union here (another filter `kind`, say): a
      // spelling suggestion would name the key itself.
      const kind = valueAt(raw, [...path, 'kind']);
      const which = typeof kind === 'string' ? ` with kind '${kind}'` : ' with the other keys given here';
      message = `key '${key}'${others} does not apply${which}. Remove it, or choose the kind it belongs to; \`ouro schema\` lists every key.`;
    } else {
      const guess = closest(key, allowed);
      message = `unknown key '${key}'${others}.${guess ? ` Did you mean '${guess}'?` : ''} Remove it or check its spelling; \`ouro schema\` lists every key.`;
    }
    if (key === 'sweep' && path.length === 0) message = "a config with a 'sweep' section runs with `ouro sweep CONFIG`, not `ouro run`.";
    at = [...path, key];
  } else {
    const got = valueAt(raw, path);
    message = `${message}, got ${describe(got)}.`;
    // The hints describe the base keys; a family that redefines a loop key gives its own advice.
    const own = path[0] === 'loop' && path[1] !== undefined && familyLoopKeys.has(path[1]);
    const hint = own ? undefined : (HINTS[path[path.length - 1] ?? ''] ?? HINTS[path[path.length - 2] ?? '']);
    if (hint) message += ' ' + hint;
  }
  for (const [p, where] of fromSet) if (field === p || field.startsWith(p + '.') || p.startsWith(field + '.')) return { where, path: field, message };
  return issueAt(source, lc, offsetOf(doc, at, issue.code === 'unrecognized_keys'), field, message);
}

function issueAt(source: string, lc: LineCounter, offset: number | undefined, path: string, message: string): ConfigIssue {
  if (offset === undefined) return { where: source, path, message };
  const { line, col } = lc.linePos(offset);
  return { where: `${source}:${line}:${col}`, path, message, line, column: col };
}

/** Start offset of the node at `path` (its key when `key`), or of its nearest existing ancestor. */
function offsetOf(doc: Document, path: readonly string[], key: boolean): number | undefined {
  for (let n = key ? path.length - 1 : path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && n < path.length && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === path[n]);
      const k = pair?.key as { range?: [number, number, number] } | undefined;
      if (k?.range) return k.range[0];
    }
    if (node?.range) return node.range[0];
  }
  return undefined;
}

/** Makes the relative path at dotted `key` absolute from `base`; `package:` paths and non-strings stay as they are (the schema judges them). */
function absolutize(raw: Record<string, unknown>, key: string, base: string): void {
  const v = valueAt(raw, key.split('.'));
  if (typeof v === 'string' && v !== '' && !v.startsWith('package:') && !isAbsolute(v)) setPath(raw, key.split('.'), resolve(base, v));
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function defaultName(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? 'run';
  return base.replace(/\.(ya?ml|json)$/i, '').replace(/[^A-Za-z0-9._-]/g, '-') || 'run';
}
