// The `ecosystem:` section of a config (docs/ecosystems.md; its keys are a contract): agents
// with their own loop knobs, human writers, who reads whom, and the pool's policy. The schema
// checks each value; `checkEcosystemConfig` checks each agent's overrides with the family's own
// rules and how everything fits together (names, read weights, posts that readers ask for),
// so every bad input is an error at file:line:column before any work. Browser-safe.
import { z } from 'zod';
import type { Agent, Ecosystem } from '../core/ecosystem.ts';
import type { SampleSpec } from '../core/loop.ts';
import type { Key } from '../core/random.ts';
import type { FamilyEntry, Issue, Settings } from '../families/entry.ts';
import { checkEcosystem, peopleWeights, readWeights, type EcosystemSection } from './ecosystem-checks.ts';
import { settingsOf } from './options.ts';
import type { Config } from './schema.ts';

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a name starts with a letter and holds letters, digits, _ and - only (it prefixes metric names: a.entropy)');
const posts = z.number().int('posts must be a whole number').nonnegative('posts must be ≥ 0');
const weights = z.record(z.string(), z.number().finite().nonnegative('read weights must be ≥ 0'));

/** The section's schema. An agent's other keys (init, loop knobs) are checked by checkEcosystemConfig with its family's rules. */
export const ecosystemSchema = z.strictObject({
  posts: posts.optional().describe('items each agent posts per generation (default: its samples)'),
  agents: z
    .array(z.looseObject({ name, posts: posts.optional() }).describe('an agent: its name, posts, and any loop knob or init it overrides'))
    .min(1, 'list at least one agent'),
  humans: z
    .strictObject({
      name: name.default('people'),
      posts: posts.optional().describe('default: ecosystem.posts'),
      reads: weights.optional().describe('people drift toward what they read (Friedkin–Johnsen)'),
      stubbornness: z.number().min(0, 'stubbornness must be in [0, 1]').max(1, 'stubbornness must be in [0, 1]').optional().describe('s: weight on their starting view (default 0)'),
    })
    .optional(),
  reads: z.record(z.string(), weights).optional().describe("each agent's training mix as weights over authors (default: itself only)"),
  pool: z
    .strictObject({ policy: z.enum(['replace', 'accumulate']).default('replace'), window: z.number().int().positive('window must be ≥ 1').optional() })
    .prefault({}),
});

/** Loop keys that belong to the ecosystem as a whole: their neutral value, and where to set them instead. */
const POOL_KEYS: Record<string, { readonly neutral: unknown; readonly why: string }> = {
  generations: { neutral: undefined, why: 'it is the ecosystem’s: set loop.generations' },
  stopWhenCollapsed: { neutral: undefined, why: 'it is the ecosystem’s: set loop.stopWhenCollapsed' },
  policy: { neutral: 'replace', why: 'the pool has one policy: set ecosystem.pool.policy' },
  accumulateWindow: { neutral: undefined, why: 'the pool has one window: set ecosystem.pool.window' },
  realFraction: { neutral: 0, why: 'real data in an ecosystem is what the humans post: add ecosystem.humans and read them' },
};

/** One agent resolved: its own settings (the config's, with its overrides), what it posts and whom it reads. */
export interface PlannedAgent {
  readonly name: string;
  readonly settings: Settings;
  readonly spec: SampleSpec;
  readonly posts: (t: number) => number;
  readonly reads: readonly number[];
}

export interface EcosystemPlan {
  readonly section: EcosystemSection;
  /** The config's own settings: the truth the people start from. */
  readonly base: Settings;
  readonly agents: readonly PlannedAgent[];
  readonly people?: { readonly name: string; readonly posts: number; readonly drift?: { readonly reads: readonly number[]; readonly stubbornness: number } | undefined } | undefined;
}

/** The typed section of a validated config, or undefined when it has none. */
export function sectionOf(config: Config): EcosystemSection | undefined {
  return config.ecosystem === undefined ? undefined : ecosystemSchema.parse(config.ecosystem);
}

/** The rules of a whole config that an agent's own config must pass too (schema.ts owns them). */
export interface ConfigRules {
  /** The family's per-agent loop knobs, as a partial loop (no defaults). */
  readonly overrides: z.ZodType<Record<string, unknown>>;
  /** The checks across keys of a full config. */
  crossChecks(config: Config, issue: Issue): void;
}

/** Every problem of the section, reported through `issue` (paths from the config's root). */
export function checkEcosystemConfig(entry: FamilyEntry, config: Config, issue: Issue, rules: ConfigRules): void {
  if (config.ecosystem === undefined) return;
  if (!entry.ecosystem) return issue(['ecosystem'], `expected a family whose agents can share a pool (categorical, gaussian, ngram): the ${entry.name} family has no ecosystem support`);
  const parsed = ecosystemSchema.safeParse(config.ecosystem);
  if (!parsed.success) return; // the schema has reported it
  const section = parsed.data;
  let problems = 0;
  const report: Issue = (path, message) => (problems++, issue(path, message));
  const loop: Readonly<Record<string, unknown>> = config.loop;
  for (const k of ['policy', 'accumulateWindow', 'realFraction']) {
    const { neutral, why } = POOL_KEYS[k]!;
    if (loop[k] !== neutral) report(['loop', k], `expected ${neutral === undefined ? 'nothing' : JSON.stringify(neutral)} in an ecosystem (${why})`);
  }
  if (section.pool.window !== undefined && section.pool.policy !== 'accumulate') report(['ecosystem', 'pool', 'window'], 'expected policy accumulate beside it (a window applies to accumulate only); remove it or set ecosystem.pool.policy: accumulate');
  if (section.humans?.reads && entry.ecosystem.drift !== true) report(['ecosystem', 'humans', 'reads'], `expected no reads: people cannot drift in a ${entry.name} ecosystem (${entry.ecosystem.drift}); remove humans.reads, and they post real data`);
  section.agents.forEach((agent, i) => checkOverrides(entry, agent, rules.overrides, (p, m) => report(['ecosystem', 'agents', i, ...p], m)));
  if (problems > 0) return;
  const normalized = normalizeEcosystem(config, entry, rules.overrides);
  const plan = ecosystemPlan(normalized, entry);
  plan.agents.forEach((a, i) => {
    // An agent's config is the config with its knobs in place: loop.x errors point at its x.
    const at: Issue = (p, m) => report(['ecosystem', 'agents', i, ...(p[0] === 'loop' ? p.slice(1) : p)], `${a.name}: ${m}`);
    rules.crossChecks(agentConfig(normalized, plan.section, i), at);
    const why = entry.ecosystem?.mismatch?.(plan.base, a.settings);
    if (why) at(['init'], why);
  });
  const checkAt = [...new Set([1, ...plan.agents.flatMap((a) => (typeof a.spec === 'number' ? [] : a.spec.map((s) => s.from)))])].filter((t) => t >= 1);
  checkEcosystem(plan.section, plan.agents.map((a) => ({ samples: a.settings.loop.samples, posts: a.posts })), plan.people?.posts ?? 0, checkAt, report);
}

function checkOverrides(entry: FamilyEntry, agent: Readonly<Record<string, unknown>>, overrides: ConfigRules['overrides'], issue: Issue): void {
  const { name: _n, posts: _p, init, ...knobs } = agent;
  for (const k of Object.keys(knobs)) if (POOL_KEYS[k]) issue([k], `expected no ${k} on an agent (${POOL_KEYS[k].why})`);
  const loop = overrides.safeParse(Object.fromEntries(Object.entries(knobs).filter(([k]) => !POOL_KEYS[k])));
  if (!loop.success) {
    for (const i of loop.error.issues) {
      if (i.code === 'unrecognized_keys') issue([i.keys[0]!], `unknown key '${i.keys[0]}': expected an agent's name, posts, init or a loop knob (samples, temperature, topK, filter, training, …)`);
      else issue(i.path.map(String), i.message);
    }
  }
  if (init === undefined) return;
  const schema = initSchema(entry);
  if (!schema) return issue(['init'], `expected no init: the ${entry.name} family has no init section to override`);
  const parsed = schema.safeParse(init);
  if (!parsed.success) for (const i of parsed.error.issues) issue(['init', ...i.path.map(String)], i.message);
}

function initSchema(entry: FamilyEntry): z.ZodType | undefined {
  return (entry.sections as Readonly<Record<string, z.ZodType>>)['init'];
}

/** The config with every agent's knobs and init parsed (defaults inside them filled), as the run records it. */
export function normalizeEcosystem(config: Config, entry: FamilyEntry, overrides: ConfigRules['overrides']): Config {
  const section = sectionOf(config);
  if (!section) return config;
  const agents = section.agents.map(({ name, posts, init, ...knobs }) => {
    const schema = initSchema(entry);
    return { name, ...(posts !== undefined ? { posts } : {}), ...(init !== undefined && schema ? { init: schema.parse(init) } : {}), ...overrides.parse(knobs) };
  });
  return { ...config, ecosystem: { ...section, agents } };
}

/** Agent i's config: the (normalized) config with its init and loop knobs in place. */
function agentConfig(config: Config, section: EcosystemSection, i: number): Config {
  const { name: _n, posts: _p, init, ...knobs } = section.agents[i]!;
  const { ecosystem: _e, ...rest } = config;
  return { ...rest, ...(init !== undefined ? { init } : {}), loop: { ...config.loop, ...knobs } } as Config;
}

/** The resolved ecosystem of a validated, normalized config (checkEcosystemConfig found nothing wrong). */
export function ecosystemPlan(config: Config, entry: FamilyEntry): EcosystemPlan {
  const section = sectionOf(config)!;
  const agents = section.agents.map((a, i): PlannedAgent => {
    const c = agentConfig(config, section, i);
    const settings = settingsOf(c, entry);
    const spec = entry.samples?.(c) ?? c.loop.samples!;
    const posts = a.posts ?? section.posts;
    return { name: a.name, settings, spec, posts: posts === undefined ? settings.loop.samples : () => posts, reads: readWeights(section, i) };
  });
  const h = section.humans;
  const drift = peopleWeights(section);
  return {
    section,
    base: settingsOf(config, entry),
    agents,
    people: h && { name: h.name, posts: h.posts ?? section.posts ?? 0, drift: drift && { reads: drift, stubbornness: h.stubbornness ?? 0 } },
  };
}

/** One seed's ecosystem: every agent set up from its own settings with the seed's setup key, the people from the config's. */
export function buildEcosystem(plan: EcosystemPlan, entry: FamilyEntry, resources: unknown, setupKey: Key): { eco: Ecosystem<unknown, unknown>; truth: unknown; heldOut?: unknown } {
  const base = entry.setup(plan.base, resources, setupKey);
  const hooks = entry.ecosystem!.hooks(plan.base, resources);
  const agents = plan.agents.map((a): Agent<unknown, unknown> => {
    const exp = entry.setup(a.settings, resources, setupKey);
    const l = a.settings.loop;
    return { name: a.name, family: exp.family, initial: exp.initial, samples: l.samples, posts: a.posts, sampling: l.sampling, filter: l.filter, training: l.training, reads: a.reads };
  });
  const p = plan.people;
  const eco: Ecosystem<unknown, unknown> = {
    agents,
    people: p && {
      name: p.name, family: base.family, initial: base.initial, posts: () => p.posts, drawReal: base.drawReal,
      drift: p.drift && { ...p.drift, opinion: hooks.opinion! },
    },
    generations: plan.base.loop.generations,
    policy: plan.section.pool.policy,
    window: plan.section.pool.window,
    stopWhenCollapsed: plan.base.loop.stopWhenCollapsed,
  };
  return { eco, truth: base.initial, ...(base.heldOut !== undefined ? { heldOut: base.heldOut } : {}) };
}
