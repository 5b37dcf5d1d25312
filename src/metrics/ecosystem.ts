// The metrics of an ecosystem at a recorded generation (docs/ecosystems.md; the names are a
// contract): every agent's own family metrics prefixed with its name (a.entropy, b.support),
// the people's (people.*, when they drift: otherwise they stay at the truth), and what the
// ecosystem as a whole shows. Distances need the family's hooks; without one, its metric is
// not recorded rather than guessed.
import type { Ecosystem, EcosystemHooks, EcosystemState } from '../core/ecosystem.ts';

/**
 * Keys: `<agent>.<metric>` for each agent; `<people>.<metric>` and humanDrift (TV of the people
 * from generation 0) when people drift; collapsedAgents; from generation 1 on, syntheticShare
 * (share of the pool's items written by models), poolEntropy (nats, of the law the pooled items
 * make) and `<agent>.synthetic` (share of its training items written by models, itself included);
 * with two agents or more, disagreement (mean TV over agent pairs) and disagreementSq (mean
 * squared distance over pairs: (p_a − p_b)² for coins). `ref.initial` is the truth.
 */
export function ecosystemMetrics<M, D>(eco: Ecosystem<M, D>, st: EcosystemState<M, D>, ref: { initial: M; heldOut?: D }, hooks: EcosystemHooks<M, D>): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (prefix: string, m: Record<string, number>) => Object.entries(m).forEach(([k, v]) => (out[`${prefix}.${k}`] = v));
  const n = eco.agents.length;
  eco.agents.forEach((a, i) => put(a.name, a.family.metrics(st.models[i]!, ref)));
  const people = eco.people;
  if (people?.drift) {
    put(people.name, people.family.metrics(st.people!, ref));
    const drift = hooks.tv?.(st.people!, people.initial);
    if (drift !== undefined) out.humanDrift = drift;
  }
  out.collapsedAgents = st.collapsed.filter(Boolean).length;
  if (st.pool.length > 0) {
    const family = eco.agents[0]!.family;
    let all = 0;
    let synthetic = 0;
    for (const p of st.pool) {
      const size = family.size(p.data);
      all += size;
      if (p.author < n) synthetic += size;
    }
    out.syntheticShare = synthetic / all;
    const h = hooks.poolEntropy?.(family.concat(st.pool.map((p) => p.data)));
    if (h !== undefined) out.poolEntropy = h;
    eco.agents.forEach((a, i) => {
      const reads = st.reads[i]!;
      const total = reads.reduce((s, r) => s + r.items, 0);
      out[`${a.name}.synthetic`] = reads.reduce((s, r) => s + (r.author < n ? r.items : 0), 0) / total;
    });
  }
  if (n > 1) {
    const tv = meanOverPairs(st.models, hooks.tv);
    if (tv !== undefined) out.disagreement = tv;
    const sq = meanOverPairs(st.models, hooks.distanceSq);
    if (sq !== undefined) out.disagreementSq = sq;
  }
  return out;
}

function meanOverPairs<M>(models: readonly M[], d: ((a: M, b: M) => number | undefined) | undefined): number | undefined {
  if (!d) return undefined;
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++, pairs++) {
      const x = d(models[a]!, models[b]!);
      if (x === undefined) return undefined;
      sum += x;
    }
  }
  return sum / pairs;
}
