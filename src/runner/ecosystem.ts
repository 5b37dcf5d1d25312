// One seed of an ecosystem run (docs/ecosystems.md): the agents and people of the config's
// `ecosystem:` section through core/ecosystem.ts, giving the same records a plain seed gives:
// the ecosystem's metrics at each recorded generation, and an end line whose collapse is the
// agents' absorption and whose finals are each agent's, prefixed with its name.
import { ecosystem, type EcosystemHooks, type EcosystemState } from '../core/ecosystem.ts';
import { buildEcosystem, type EcosystemPlan } from '../config/ecosystem.ts';
import type { Prediction } from '../families/entry.ts';
import { ecosystemMetrics } from '../metrics/ecosystem.ts';
import type { EndLine, GenerationLine, SampleLine, SeedRecord } from '../store/rundir.ts';
import { poolPlan } from '../theory/pool-moments.ts';
import type { BlockHooks } from './block.ts';
import { seedKey, setupKey } from '../core/seeds.ts';
import type { Prepared } from './prepare.ts';
import { checkFinite } from './record.ts';

/** What an ecosystem run adds to a prepared run. */
export interface PreparedEcosystem {
  readonly plan: EcosystemPlan;
  readonly hooks: EcosystemHooks<unknown, unknown>;
}

/** What `collapsed` means for an ecosystem, for the summary. */
export const ECOSYSTEM_COLLAPSE = 'every agent collapsed, each reading only agents with its own model';

/** Posts shown per author and recorded generation (text families). */
const SHOWN = 2;

export function ecosystemSeed(prep: Prepared, prepared: PreparedEcosystem, seed: number, hooks: BlockHooks): SeedRecord {
  const { eco, truth, heldOut } = buildEcosystem(prepared.plan, prep.entry, prep.resources, setupKey(prep.config.seed, seed));
  const ref = { initial: truth, ...(heldOut !== undefined ? { heldOut } : {}) };
  const recorded = new Set(prep.recorded);
  const metricsOf = (st: EcosystemState<unknown, unknown>) => checkFinite(ecosystemMetrics(eco, st, ref, prepared.hooks), seed, st.generation);
  const names = [...eco.agents.map((a) => a.name), ...(eco.people ? [eco.people.name] : [])];
  const rows: GenerationLine[] = [];
  const samples: SampleLine[] = [];
  let collapsedAt: number | null = null;
  let last: EcosystemState<unknown, unknown> | undefined;
  let lastMetrics: Record<string, number> | undefined;
  for (const st of ecosystem(eco, seedKey(prep.config.seed, seed))) {
    if (collapsedAt === null && st.settled) collapsedAt = st.generation;
    last = st;
    lastMetrics = undefined;
    if (recorded.has(st.generation)) {
      lastMetrics = metricsOf(st);
      rows.push({ seed, generation: st.generation, metrics: lastMetrics });
      const show = eco.agents[0]!.family.show;
      if (show && st.pool.length > 0) samples.push({ seed, generation: st.generation, samples: st.pool.flatMap((p) => show(p.data, SHOWN).map((s) => `${names[p.author]}: ${s}`)) });
    }
    hooks.progress?.(st.generation);
  }
  const final = last!;
  lastMetrics ??= metricsOf(final);
  const finals: Record<string, string | number | null> = {};
  eco.agents.forEach((a, i) => Object.entries(a.family.final?.(final.models[i]!) ?? {}).forEach(([k, v]) => (finals[`${a.name}.${k}`] = v)));
  const end: EndLine = { seed, event: 'end', generation: final.generation, collapsedAt, collapsedAtEnd: final.settled, final: finals, metrics: lastMetrics };
  return { seed, rows, end, samples };
}

/** What the family's ecosystem theory predicts at `generations` ({} where it has none). */
export function ecosystemTheory(prep: Prepared, prepared: PreparedEcosystem, generations: readonly number[]): Prediction {
  const theory = prep.entry.ecosystem?.theory;
  if (!theory) return {};
  const { plan } = prepared;
  const { eco } = buildEcosystem(plan, prep.entry, prep.resources, setupKey(prep.config.seed, prep.seeds[0]!));
  // Posts are a number or default to the samples schedule, so a constant spec means a constant plan.
  const constant = plan.agents.every((a) => typeof a.spec === 'number');
  return theory(
    {
      base: plan.base,
      agents: plan.agents.map((a) => ({ name: a.name, settings: a.settings })),
      people: plan.people && { name: plan.people.name, drift: plan.people.drift },
      plan: poolPlan(eco),
      constant,
      policy: plan.section.pool.policy,
    },
    generations,
  );
}
