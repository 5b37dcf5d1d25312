// The config schema: the base keys every experiment has, narrowed by what each family supports
// and composed with the sections and loop keys it adds (src/families/<name>). One schema per
// family, so a validation error speaks of that family's fields at file:line:column.
import { z } from 'zod';
import type { FamilyEntry, LoopSupport, Settings } from '../families/entry.ts';
import { FAMILIES } from '../families/index.ts';
import { checkEcosystemConfig, ecosystemSchema, normalizeEcosystem } from './ecosystem.ts';
import { settingsOf } from './options.ts';

const positiveInt = (what: string) => z.number().int(`${what} must be a whole number`).positive(`${what} must be ≥ 1`);

export const sampleSpec = z.union([
  positiveInt('samples'),
  z.array(z.strictObject({ from: z.number().int().nonnegative(), n: positiveInt('samples n') })).min(1),
]);

const filter = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('keepTop'),
    fraction: z.number().gt(0, 'fraction must be in (0, 1]').lte(1, 'fraction must be in (0, 1]'),
    by: z.enum(['likelihood', 'reward']).default('likelihood'),
  }),
  z.strictObject({ kind: z.literal('choice'), by: z.enum(['likelihood', 'reward']).default('reward'), beta: z.number().positive().default(1) }),
  z.strictObject({ kind: z.literal('reject') }),
]);

export const baseLoop = {
  generations: positiveInt('generations').default(1000),
  samples: sampleSpec.default(100),
  temperature: z.number().nonnegative('temperature must be ≥ 0 (0 = argmax, 1 = the model as it is)').finite().default(1),
  topK: z.number().int().nonnegative().default(0),
  topP: z.number().gt(0).lte(1).default(1),
  minP: z.number().nonnegative().lt(1).default(0),
  policy: z.enum(['replace', 'augment', 'accumulate']).default('replace'),
  accumulateWindow: positiveInt('accumulateWindow').optional(),
  realFraction: z.number().min(0, 'realFraction (λ) must be in [0, 1]').max(1, 'realFraction (λ) must be in [0, 1]').default(0),
  training: z.enum(['scratch', 'finetune']).default('scratch'),
  finetuneKeep: z.number().min(0).max(1).default(0),
  filter: filter.default({ kind: 'none' }),
  stopWhenCollapsed: z.boolean().default(true),
};

/** The validated base loop keys (a family's own loop keys come beside them). */
export type BaseLoop = z.output<z.ZodObject<typeof baseLoop>>;

export const recordSchema = z.union([
  z.enum(['every', 'log']),
  z.strictObject({ every: positiveInt('record.every') }),
  z.array(z.number().int().nonnegative()).min(1),
]);

/** A base key a family does not support: absent or its neutral default, nothing else. */
function pinned<T extends number | string>(value: T, why: string) {
  return z.literal(value, { error: `expected ${JSON.stringify(value)} or nothing (${why}); remove the key` }).default(value as never);
}

/** The base loop keys as `entry` supports them (unsupported keys pinned to their default), then its own keys. */
function loopShape(entry: FamilyEntry): Record<string, z.ZodType> {
  const s = entry.supports;
  const no = (what: string, why: string) => `the ${entry.name} family does not support ${what}: ${why}`;
  const shape: Record<string, z.ZodType> = { ...baseLoop };
  if (s.samples !== true) shape.samples = pinned(100, no('loop.samples', s.samples));
  if (s.temperature !== true) shape.temperature = pinned(1, no('temperature ≠ 1', s.temperature));
  if (s.truncation !== true) Object.assign(shape, { topK: pinned(0, no('top-k', s.truncation)), topP: pinned(1, no('top-p', s.truncation)), minP: pinned(0, no('min-p', s.truncation)) });
  if (s.finetune !== true) shape.training = pinned('scratch', no('fine-tuning', s.finetune));
  const keep = s.finetune !== true ? s.finetune : s.finetuneKeep;
  if (keep !== true) shape.finetuneKeep = pinned(0, no('loop.finetuneKeep', keep));
  const [first, ...rest] = s.policies;
  if (first === undefined) throw new Error(`the ${entry.name} family declares no policy`);
  if (rest.length < 2) shape.policy = z.enum([first, ...rest], { error: `expected policy ${s.policies.join(' or ')} (the ${entry.name} family supports no other)` }).default(s.policies.includes('replace') ? 'replace' : first);
  return { ...shape, ...entry.loop };
}

/** The loop keys whose schema `entry` narrows or adds (their errors carry the family's own advice, not the base hints). */
export function ownLoopKeys(entry: FamilyEntry): Set<string> {
  const base: Record<string, z.ZodType> = baseLoop;
  return new Set(Object.entries(loopShape(entry)).flatMap(([k, v]) => (base[k] === v ? [] : [k])));
}

/** Issues of a loop's filter that `entry` cannot apply (filter support is declared, not discovered mid-run). */
function checkFilter(name: string, s: LoopSupport, loop: { filter?: BaseLoop['filter'] | undefined }, ctx: z.RefinementCtx): void {
  const f = loop.filter;
  const issue = (path: string, message: string): void => void ctx.addIssue({ code: 'custom', path: ['filter', path], message });
  if (f === undefined || f.kind === 'none') return;
  if (f.kind === 'reject') {
    if (s.reject !== true) issue('kind', `the ${name} family cannot reject items: ${s.reject}`);
    return;
  }
  const by = f.by === 'likelihood' ? s.likelihood : s.reward;
  if (by !== true) issue('by', `the ${name} family cannot filter by ${f.by}: ${by}`);
}

/** The loop keys of `entry`'s configs, with defaults (generation count, samples, sampling, policy, …). */
export function loopSchema(entry: FamilyEntry) {
  return z.strictObject(loopShape(entry)).superRefine((loop, ctx) => checkFilter(entry.name, entry.supports, loop as { filter?: BaseLoop['filter'] }, ctx));
}

/**
 * Validates a partial set of loop knobs for `entry` (e.g. one agent's overrides): every key
 * given passes the same rules as in a full config, absent keys stay absent (no defaults).
 */
export function loopOverrideSchema(entry: FamilyEntry) {
  const shape = Object.fromEntries(Object.entries(loopShape(entry)).map(([k, v]) => [k, (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : v).optional()]));
  return z.strictObject(shape).superRefine((loop, ctx) => checkFilter(entry.name, entry.supports, loop as { filter?: BaseLoop['filter'] }, ctx));
}

/**
 * The full schema of a config for one family. The shape is composed at run time from the
 * family's declaration, so its static type is stated here: every base key keeps its output
 * type (a pinned key narrows it), and sections and own loop keys are the family's to type.
 */
export function configSchema(entry: FamilyEntry): z.ZodType<Config> {
  const overrides = loopOverrideSchema(entry); // built once with the schema, not at every parse
  const schema = z
    .strictObject({
      name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'name may hold letters, digits, . _ - only').optional(),
      family: z.literal(entry.name),
      ...entry.sections,
      loop: loopSchema(entry).prefault({}),
      seeds: z.union([positiveInt('seeds'), z.array(z.number().int().nonnegative()).min(1)]).default(100),
      seed: z.number().int().nonnegative().default(0),
      record: recordSchema.default('log'),
      // Agents sharing a pool (docs/ecosystems.md); refused, with the reason, by families without ecosystem support.
      ecosystem: (entry.ecosystem ? ecosystemSchema : z.unknown()).optional(),
    })
    .superRefine((config, ctx) => {
      const issue = (path: readonly (string | number)[], message: string): void => void ctx.addIssue({ code: 'custom', path: [...path], message });
      crossChecks(entry, config as unknown as Config, issue);
      checkEcosystemConfig(entry, config as unknown as Config, issue, { overrides, crossChecks: (c, i) => crossChecks(entry, c, i) });
    })
    .transform((config) => normalizeEcosystem(config as unknown as Config, entry, overrides));
  return schema as unknown as z.ZodType<Config>;
}

/** Checks across keys: settings that would be silently ignored, filters without their section, then the family's own. */
export function crossChecks(entry: FamilyEntry, config: Config, issue: (path: readonly (string | number)[], message: string) => void): void {
  const l = config.loop;
  if (l.accumulateWindow !== undefined && l.policy !== 'accumulate') issue(['loop', 'accumulateWindow'], `a window applies to policy accumulate only (policy is ${l.policy}); remove accumulateWindow or use policy: accumulate`);
  if (l.finetuneKeep > 0 && l.training !== 'finetune') issue(['loop', 'finetuneKeep'], 'finetuneKeep applies when fine-tuning only; remove it or use training: finetune');
  const f = l.filter;
  const s = entry.supports;
  if (f.kind !== 'none' && f.kind !== 'reject' && f.by === 'reward' && s.reward === true && config.reward === undefined) issue(['loop', 'filter', 'by'], `filter by reward needs a reward: add a top-level \`reward\` section (\`ouro schema\` shows its form for the ${entry.name} family)`);
  if (f.kind === 'reject' && s.reject === true && config.reject === undefined) issue(['loop', 'filter', 'kind'], 'filter reject needs the items to drop: add a top-level `reject` section');
  entry.check?.(settingsOf(config, entry), issue);
}

/** A validated config: the base keys typed, each family's sections and own loop keys beside them. */
export interface Config {
  /** Optional in the schema; parseConfig names a config after its file. */
  readonly name: string;
  readonly family: string;
  readonly loop: Omit<BaseLoop, 'samples'> & { readonly samples?: BaseLoop['samples'] | undefined; readonly [own: string]: unknown };
  readonly seeds: number | readonly number[];
  readonly seed: number;
  readonly record: z.output<typeof recordSchema>;
  readonly [section: string]: unknown;
}

/** JSON Schema of every family's config (a oneOf on `family`) for editor autocompletion. */
export function jsonSchema(): unknown {
  const all = Object.values(FAMILIES).map((e) => configSchema(e));
  const union = all.length === 1 ? all[0]! : z.union(all as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  return { title: 'Ouroboros experiment config', ...z.toJSONSchema(union, { io: 'input', unrepresentable: 'any' }) };
}

/** `raw` (its `family` implied) validated for `entry` and mapped to the settings its hooks receive (benchmarks, tests). */
export function settingsFor<S extends z.ZodRawShape, L extends z.ZodRawShape, R>(entry: FamilyEntry<S, L, R>, raw: object): Settings<S, L> {
  const e = entry as unknown as FamilyEntry; // the registry's view; the schema built from it is this family's
  return settingsOf(configSchema(e).parse({ ...raw, family: e.name }), e) as unknown as Settings<S, L>;
}
