// The config schema: the base keys every experiment has, composed with the sections and
// extra loop keys each family declares (src/families/<name>). One schema per family, so a
// validation error speaks of that family's fields.
import { z } from 'zod';
import { FAMILIES } from '../families/index.ts';
import type { FamilyEntry } from '../families/entry.ts';

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

export const recordSchema = z.union([
  z.enum(['every', 'log']),
  z.strictObject({ every: positiveInt('record.every') }),
  z.array(z.number().int().nonnegative()).min(1),
]);

/** The full schema of a config for one family. */
export function configSchema(entry: FamilyEntry<any, any>) {
  return z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'name may hold letters, digits, . _ - only').optional(),
    family: z.literal(entry.name),
    ...entry.sections,
    loop: z.strictObject({ ...baseLoop, ...entry.loop }).prefault({}),
    seeds: z.union([positiveInt('seeds'), z.array(z.number().int().nonnegative()).min(1)]).default(100),
    seed: z.number().int().nonnegative().default(0),
    record: recordSchema.default('log'),
  });
}

export type Config = z.infer<ReturnType<typeof configSchema>> & { name: string; seeds: number | number[] };

/** JSON Schema of every family's config (a oneOf on `family`) for editor autocompletion. */
export function jsonSchema(): unknown {
  const all = Object.values(FAMILIES).map((e) => configSchema(e));
  const union = all.length === 1 ? all[0]! : z.union(all as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  return { title: 'Ouroboros experiment config', ...z.toJSONSchema(union, { io: 'input', unrepresentable: 'any' }) };
}
