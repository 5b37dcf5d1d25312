// The `ecosystem:` section of a config (docs/ecosystems.md; its keys are a contract): agents
// with their own loop knobs, human writers, who reads whom, and the pool's policy. The schema
// checks each value; `checkEcosystem` checks how they fit together (names, read weights, posts
// that readers ask for), so every bad input is an error at file:line:column before any work.
import { z } from 'zod';
import { readCounts } from '../core/pool.ts';

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a name starts with a letter and holds letters, digits, _ and - only (it prefixes metric names: a.entropy)');
const posts = z.number().int('posts must be a whole number').nonnegative('posts must be ≥ 0');
const weights = z.record(z.string(), z.number().finite().nonnegative('read weights must be ≥ 0'));

/** The section's schema; `agentKeys` are the per-agent overrides the family allows (init, loop knobs). */
export function ecosystemSchema(agentKeys: z.ZodRawShape) {
  return z.strictObject({
    posts: posts.optional().describe('items each agent posts per generation (default: its samples)'),
    agents: z.array(z.strictObject({ name, posts: posts.optional(), ...agentKeys })).min(1, 'list at least one agent'),
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
}

/** The validated section, as far as the cross-checks need it. */
export interface EcosystemSection {
  readonly posts?: number | undefined;
  readonly agents: readonly { readonly name: string; readonly posts?: number | undefined }[];
  readonly humans?: { readonly name: string; readonly posts?: number | undefined; readonly reads?: Readonly<Record<string, number>> | undefined; readonly stubbornness?: number | undefined } | undefined;
  readonly reads?: Readonly<Record<string, Readonly<Record<string, number>>>> | undefined;
  readonly pool: { readonly policy: 'replace' | 'accumulate'; readonly window?: number | undefined };
}

/** Per agent, its resolved schedules: training items n_i(t) and posts P_i(t). */
export interface AgentSizes {
  samples(t: number): number;
  posts(t: number): number;
}

export type Issue = (path: readonly (string | number)[], message: string) => void;

/** Read weights over authors (agents in order, then the people) for agent i: its `reads` entry, or itself alone. */
export function readWeights(eco: EcosystemSection, i: number): number[] {
  const authors = authorNames(eco);
  const own = eco.reads?.[eco.agents[i]!.name];
  return authors.map((a, j) => (own ? (own[a] ?? 0) : j === i ? 1 : 0));
}

/** The people's read weights over authors, when they read. */
export function peopleWeights(eco: EcosystemSection): number[] | undefined {
  const r = eco.humans?.reads;
  return r && authorNames(eco).map((a) => r[a] ?? 0);
}

export function authorNames(eco: EcosystemSection): string[] {
  return [...eco.agents.map((a) => a.name), ...(eco.humans ? [eco.humans.name] : [])];
}

/**
 * Everything the schema cannot see alone: unique names, reads naming known authors with some
 * positive weight, stubbornness only with reads, and no reader asking for more posts than an
 * author writes (nor any of an author that posts none) at any of `checkAt` (generation 1 and
 * every generation where a schedule changes).
 */
export function checkEcosystem(eco: EcosystemSection, sizes: readonly AgentSizes[], humanPosts: number, checkAt: readonly number[], issue: Issue): void {
  const at = (...p: (string | number)[]) => ['ecosystem', ...p];
  const seen = new Map<string, number>();
  eco.agents.forEach((a, i) => {
    const first = seen.get(a.name);
    if (first !== undefined) issue(at('agents', i, 'name'), `agents ${first + 1} and ${i + 1} are both named '${a.name}'; give each agent its own name`);
    seen.set(a.name, i);
  });
  const h = eco.humans;
  if (h && seen.has(h.name)) issue(at('humans', 'name'), `the humans are named '${h.name}', like an agent; give them another name (the default is people)`);
  const authors = authorNames(eco);
  const weightsOk = (w: Readonly<Record<string, number>>, where: (string | number)[], who: string): boolean => {
    let ok = true;
    for (const author of Object.keys(w)) {
      if (!authors.includes(author)) {
        issue(at(...where, author), `unknown author '${author}': the authors are ${authors.join(', ')}`);
        ok = false;
      }
    }
    if (Object.values(w).every((x) => x === 0)) {
      issue(at(...where), `every weight is 0, so ${who} would read nothing; give some author a positive weight`);
      ok = false;
    }
    return ok;
  };
  const readersOk = Object.entries(eco.reads ?? {}).map(([reader, w]) => {
    if (!seen.has(reader)) {
      issue(at('reads', reader), `'${reader}' is not an agent (agents: ${eco.agents.map((a) => a.name).join(', ')}); reads lists each agent's training mix`);
      return false;
    }
    return weightsOk(w, ['reads', reader], reader);
  });
  if (h?.reads) weightsOk(h.reads, ['humans', 'reads'], h.name);
  if (h?.stubbornness !== undefined && !h.reads) issue(at('humans', 'stubbornness'), 'stubbornness anchors people who read, and these people read nothing; add humans.reads or remove stubbornness');
  if (h && h.posts === undefined && eco.posts === undefined) issue(at('humans'), 'how many items do people post per generation? Give humans.posts (or ecosystem.posts)');
  if (readersOk.every(Boolean)) checkSizes(eco, sizes, humanPosts, checkAt, issue);
}

function checkSizes(eco: EcosystemSection, sizes: readonly AgentSizes[], humanPosts: number, checkAt: readonly number[], issue: Issue): void {
  const authors = authorNames(eco);
  const postsOf = (j: number, t: number) => (j < sizes.length ? sizes[j]!.posts(t) : humanPosts);
  const postsPath = (j: number) => (j < sizes.length ? ['ecosystem', 'agents', j, 'posts'] : ['ecosystem', 'humans', 'posts']);
  const reported = new Set<string>();
  const once = (key: string, path: (string | number)[], message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    issue(path, message);
  };
  const people = peopleWeights(eco);
  if (people) {
    people.forEach((w, j) => {
      const t = checkAt.find((g) => postsOf(j, g) === 0);
      if (w > 0 && t !== undefined) once(`posts ${j}`, postsPath(j), `${authors[j]} post${j === sizes.length ? '' : 's'} no items at generation ${t}, but ${authors[authors.length - 1]} read them; let ${authors[j]} post or drop them from humans.reads`);
    });
  }
  eco.agents.forEach((a, i) => {
    const w = readWeights(eco, i);
    const where = eco.reads?.[a.name] ? ['ecosystem', 'reads', a.name] : ['ecosystem', 'agents', i];
    for (const t of checkAt) {
      const n = sizes[i]!.samples(t);
      const k = readCounts(n, w);
      if (k.every((x) => x === 0)) once(`empty ${i}`, where, `${a.name} trains on ${n} items shared over its read weights, which round every share to 0 at generation ${t}; raise its samples`);
      k.forEach((kij, j) => {
        const p = postsOf(j, t);
        if (w[j]! > 0 && p === 0) once(`posts ${j}`, postsPath(j), `${authors[j]} posts no items at generation ${t}, but ${a.name} reads it (weight ${w[j]}); let ${authors[j]} post or drop it from ${a.name}'s reads`);
        else if (kij > p) {
          const share = `round(${n}·${w[j]}/${w.reduce((x, y) => x + y, 0)})`;
          once(`k ${i} ${j}`, eco.reads?.[a.name] ? [...where, authors[j]!] : where, `${a.name} reads ${share} = ${kij} posts of ${authors[j]} at generation ${t}, but ${authors[j]} posts ${p}; lower ${a.name}'s samples or its weight on ${authors[j]}, or let ${authors[j]} post more`);
        }
      });
    }
  });
}
