// How the parts of an `ecosystem:` section fit together (config/ecosystem.ts has the schema):
// unique names, read weights over known authors with some positive weight, stubbornness only
// with reads, and no reader asking for more posts than an author writes.
import { readCounts } from '../core/pool.ts';
import type { Issue } from '../families/entry.ts';

/** The validated section, as far as the cross-checks need it. */
export interface EcosystemSection {
  readonly posts?: number | undefined;
  readonly agents: readonly ({ readonly name: string; readonly posts?: number | undefined } & { readonly [knob: string]: unknown })[];
  readonly humans?: { readonly name: string; readonly posts?: number | undefined; readonly reads?: Readonly<Record<string, number>> | undefined; readonly stubbornness?: number | undefined } | undefined;
  readonly reads?: Readonly<Record<string, Readonly<Record<string, number>>>> | undefined;
  readonly pool: { readonly policy: 'replace' | 'accumulate'; readonly window?: number | undefined };
}

/** Per agent, its resolved schedules: training items n_i(t) and posts P_i(t). */
export interface AgentSizes {
  samples(t: number): number;
  posts(t: number): number;
}

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

function authorNames(eco: EcosystemSection): string[] {
  return [...eco.agents.map((a) => a.name), ...(eco.humans ? [eco.humans.name] : [])];
}

/**
 * Everything the schema cannot see alone: unique names, reads naming known authors with some
 * positive weight, stubbornness only with reads, and no reader asking for more posts than an
 * author writes (nor any of an author that posts none) at any of `checkAt` (generation 1 and
 * every generation where a schedule changes). Messages say what was expected and how to fix
 * it; the config layer adds where, and what was found.
 */
export function checkEcosystem(eco: EcosystemSection, sizes: readonly AgentSizes[], humanPosts: number, checkAt: readonly number[], issue: Issue): void {
  const at = (...p: (string | number)[]) => ['ecosystem', ...p];
  const seen = new Map<string, number>();
  let clash = false;
  eco.agents.forEach((a, i) => {
    const first = seen.get(a.name);
    if (first !== undefined) {
      issue(at('agents', i, 'name'), `expected a name of its own (ecosystem.agents.${first} is also named '${a.name}'); rename one of them`);
      clash = true;
    }
    seen.set(a.name, i);
  });
  const h = eco.humans;
  if (h && seen.has(h.name)) {
    issue(at('humans', 'name'), 'expected a name no agent has; rename the people (the default is people)');
    clash = true;
  }
  // Reads name authors: while two authors share a name, every check of them would be a guess.
  if (clash) return;
  const authors = authorNames(eco);
  const weightsOk = (w: Readonly<Record<string, number>>, where: (string | number)[], who: string): boolean => {
    let ok = true;
    for (const author of Object.keys(w)) {
      if (authors.includes(author)) continue;
      issue(at(...where, author), `expected a weight on a known author (${authors.join(', ')}), but '${author}' is none; fix the name or remove it`);
      ok = false;
    }
    if (Object.values(w).every((x) => x === 0)) {
      issue(at(...where), `expected some positive weight: with all weights 0, ${who} would read nothing`);
      ok = false;
    }
    return ok;
  };
  const readersOk = Object.entries(eco.reads ?? {}).map(([reader, w]) => {
    if (seen.has(reader)) return weightsOk(w, ['reads', reader], reader);
    issue(at('reads', reader), `expected the reads of an agent (${eco.agents.map((a) => a.name).join(', ')}), but '${reader}' is none; fix the name or remove it`);
    return false;
  });
  if (h?.reads) weightsOk(h.reads, ['humans', 'reads'], h.name);
  if (h?.stubbornness !== undefined && !h.reads) issue(at('humans', 'stubbornness'), 'expected humans.reads beside it: stubbornness anchors people who read, and these read nothing; add reads or remove stubbornness');
  if (h && h.posts === undefined && eco.posts === undefined) issue(at('humans'), 'expected humans.posts (or ecosystem.posts): how many items people post per generation');
  if (readersOk.every(Boolean)) checkSizes(eco, sizes, humanPosts, checkAt, issue);
}

function checkSizes(eco: EcosystemSection, sizes: readonly AgentSizes[], humanPosts: number, checkAt: readonly number[], issue: Issue): void {
  const authors = authorNames(eco);
  const n = sizes.length;
  const postsOf = (j: number, t: number) => (j < n ? sizes[j]!.posts(t) : humanPosts);
  // Where an author's posts are set: its own posts, else ecosystem.posts, else (agents) its samples.
  const postsPath = (j: number): (string | number)[] => {
    const own = j < n ? eco.agents[j]!.posts : eco.humans?.posts;
    if (own !== undefined) return j < n ? ['ecosystem', 'agents', j, 'posts'] : ['ecosystem', 'humans', 'posts'];
    return eco.posts !== undefined ? ['ecosystem', 'posts'] : ['ecosystem', 'agents', j];
  };
  const reported = new Set<string>();
  const once = (key: string, path: (string | number)[], message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    issue(path, message);
  };
  const zeroPosts = (j: number, reader: string, weight: number, t: number, from: string) =>
    once(`posts ${j}`, postsPath(j), `expected ${authors[j]} to post (${reader} reads it with weight ${weight}), but it posts nothing at generation ${t}; let ${authors[j]} post or drop it from ${from}`);
  peopleWeights(eco)?.forEach((w, j) => {
    const t = checkAt.find((g) => postsOf(j, g) === 0);
    if (w > 0 && t !== undefined) zeroPosts(j, authors[n]!, w, t, 'humans.reads');
  });
  eco.agents.forEach((a, i) => {
    const w = readWeights(eco, i);
    const own = eco.reads?.[a.name];
    const samplesPath = a['samples'] !== undefined ? ['ecosystem', 'agents', i, 'samples'] : ['ecosystem', 'agents', i];
    for (const t of checkAt) {
      const size = sizes[i]!.samples(t);
      const k = readCounts(size, w);
      const total = w.reduce((x, y) => x + y, 0);
      if (k.every((x) => x === 0)) once(`empty ${i}`, samplesPath, `expected enough samples to share over ${a.name}'s read weights, but every share round(${size}·w/${total}) is 0 at generation ${t}; raise its samples`);
      k.forEach((kij, j) => {
        const p = postsOf(j, t);
        if (w[j]! > 0 && p === 0) zeroPosts(j, a.name, w[j]!, t, `${a.name}'s reads`);
        else if (kij > p) {
          const share = `round(${size}·${w[j]}/${total}) = ${kij}`;
          const message = `expected ${a.name} to read at most the ${p} posts ${authors[j]} writes per generation, but it reads ${share} of them at generation ${t}; lower ${a.name}'s samples or its weight on ${authors[j]}, or let ${authors[j]} post more`;
          once(`k ${i} ${j}`, own ? ['ecosystem', 'reads', a.name, authors[j]!] : samplesPath, message);
        }
      });
    }
  });
}
