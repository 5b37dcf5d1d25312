// Ecosystem claims 4–6 (docs/ecosystems.md): curating one agent's posts changes the other,
// five agents at different temperatures share a pool, and two Brown bigram agents share one.
import { availableParallelism } from 'node:os';
import { coinTemperature } from '../../theory/temperature-map.ts';
import type { Claim, Figure, Row } from '../claim.ts';
import { curves, type Point } from '../figures.ts';
import { atGeneration, logLines, theoryOf, type Ran } from '../lab.ts';
import { agreement, approximateAgreement, combine, exactly, fmt, greater, meanOf, pm, shareOf, type Measure } from '../verdict.ts';
import { ecosystemConfig } from './ecosystem-coins.ts';

export const curation: Claim = {
  n: 4,
  title: 'Curating one agent\'s posts changes the other agent',
  statement: 'When agent a keeps only its best-rewarded posts, agent b, which is never curated but reads a, climbs in reward and loses diversity too (Wei, Zhang & Zhang 2026: curation acts through the coupling).',
  async run(lab, size) {
    const g = 10;
    const eco = (curated: boolean) => ({
      agents: [{ name: 'a', ...(curated ? { filter: { kind: 'keepTop', fraction: 0.5, by: 'reward' } } : {}) }, { name: 'b' }],
      reads: { a: { a: 1 }, b: { a: 1, b: 3 } },
    });
    const base = { family: 'categorical', init: { probs: [0.25, 0.25, 0.25, 0.25] }, reward: [0, 1, 2, 3] };
    const [curated, control] = await lab.runMany(
      [true, false].map((c) => ecosystemConfig(`e4-curation-${c ? 'a-curated' : 'control'}`, base, eco(c), { samples: 100, generations: g }, size.ecosystem.seeds, 'every')),
      availableParallelism(),
    );
    const setting = (c: boolean) => `k = 4, reward [0, 1, 2, 3], n = 100; b reads a 25% and itself 75%; a ${c ? 'keeps the top half of its posts by reward' : 'uncurated'}; ${size.ecosystem.seeds} seeds`;
    const at = (ran: Ran, m: string) => atGeneration(ran, m, g);
    const gsTheory = theoryOf(control!, 'b.giniSimpson', g) ?? NaN;
    const rows: Row[] = [
      {
        id: '4a',
        setting: setting(false),
        result: `b's Gini–Simpson at generation ${g}: ${pm(at(control!, 'b.giniSimpson'))}`,
        theory: `exact moments ${fmt(gsTheory)}`,
        test: agreement(at(control!, 'b.giniSimpson'), gsTheory),
      },
      {
        id: '4b',
        setting: setting(true),
        result: `b's expected reward at generation ${g}: ${pm(at(curated!, 'b.reward'))} (a's ${pm(at(curated!, 'a.reward'))}); without curating a: ${pm(at(control!, 'b.reward'))}`,
        theory: 'b\'s reward rises with a\'s though b is not curated',
        test: greater(at(curated!, 'b.reward'), at(control!, 'b.reward'), 'curated minus control'),
      },
      {
        id: '4c',
        setting: setting(true),
        result: `b's entropy at generation ${g}: ${pm(at(curated!, 'b.entropy'))}; without curating a: ${pm(at(control!, 'b.entropy'))}`,
        theory: 'b loses diversity too',
        test: greater(at(control!, 'b.entropy'), at(curated!, 'b.entropy'), 'control minus curated'),
      },
    ];
    const points: Point[] = [curated!, control!].flatMap((r, i) =>
      ['a', 'b'].flatMap((x) => r.summary.recorded.map((gen, gi) => ({ x: gen, y: r.summary.aggregates[`${x}.reward`]!.mean[gi] as number, series: `${x}${i === 0 ? ' (a curated)' : ' (no curation)'}`, kind: 'simulation' as const }))),
    );
    const figures: Figure[] = [{ id: 'eco-curation', caption: 'Claim 4: expected reward of a (curated or not) and of b, which reads a but is never curated.', spec: curves('Curating one agent changes the other', 'k = 4, reward [0, 1, 2, 3]', { x: 'generation', y: 'expected reward' }, points) }];
    return { rows, figures, notes: [] };
  },
};

const TEMPERATURES = [0.5, 0.75, 1, 1.25, 1.5];

/** The n → ∞ pool map of agents at `ts` reading one shared pool: F(p) = mean_i τ_{T_i}(p). */
const poolMap = (ts: readonly number[]) => (p: number) => ts.reduce((s, t) => s + coinTemperature(p, t), 0) / ts.length;

export const temperatures: Claim = {
  n: 5,
  title: 'Five agents at different temperatures: who dominates the pool',
  statement: 'Agents at temperatures 0.5 … 1.5 (mean 1) sharing one pool do not cancel out: the cold ones win. Near ½ a temperature pulls with slope 1/T, so the pool behaves like one agent at the harmonic mean of the temperatures (0.86): ½ repels, and the pool settles as far from ½ as the fixed point of F(p) = mean τ_T(p); five agents at T = 1 stay where they started on average.',
  async run(lab, size) {
    const start = 0.6;
    const n = 100;
    const g = 40;
    const names = TEMPERATURES.map((t) => `t${Math.round(100 * t)}`);
    const eco = (ts: readonly number[]) => ({ agents: names.map((name, i) => ({ name, temperature: ts[i] })), reads: Object.fromEntries(names.map((x) => [x, Object.fromEntries(names.map((y) => [y, 1]))])) });
    const base = { family: 'categorical', init: { probs: [start, 1 - start] } };
    const [mixed, neutral] = await lab.runMany(
      [TEMPERATURES, TEMPERATURES.map(() => 1)].map((ts, i) => ecosystemConfig(`e5-temperatures-${i === 0 ? 'mixed' : 'all-1'}`, base, eco(ts), { samples: n, generations: g }, size.ecosystem.seeds)),
      availableParallelism(),
    );
    // Per seed, where the shared pool stands at the horizon: the agents' mean share of outcome 0.
    const shares = (ran: Ran): number[] => logLines(ran).filter((l) => l.end).map((l) => names.reduce((s, x) => s + l.metrics[`${x}.p0`]!, 0) / names.length);
    // ½ repels both ways, so a seed may settle on either side: its distance from ½ is what the map predicts.
    const polarization = (ran: Ran): Measure => meanOf(shares(ran).map((x) => Math.abs(x - 0.5)));
    const F = poolMap(TEMPERATURES);
    let fixed = start;
    for (let i = 0; i < 10_000; i++) fixed = F(fixed);
    const harmonic = TEMPERATURES.length / TEMPERATURES.reduce((s, t) => s + 1 / t, 0);
    const m = polarization(mixed!);
    const c = polarization(neutral!);
    const share = meanOf(shares(neutral!));
    const rows: Row[] = [
      {
        id: '5a',
        setting: `5 coin agents at T = ${TEMPERATURES.join(', ')}, all reading one pool equally, n = ${n}, start ${start}, ${g} generations, ${size.ecosystem.seeds} seeds`,
        result: `mean |share of outcome 0 − ½| at generation ${g}: ${pm(m)}`,
        theory: `the fixed point p* of F(p) = mean τ_T(p): |p* − ½| = ${fmt(fixed - 0.5)} (slope at ½: 1/${fmt(harmonic)} > 1)`,
        test: approximateAgreement(m, fixed - 0.5, 3 / n, 'the n → ∞ map; finite pools shift it by O(1/n)'),
      },
      {
        id: '5b',
        setting: `the same five agents all at T = 1`,
        result: `mean share of outcome 0 at generation ${g}: ${pm(share)}`,
        theory: `a martingale: ${fmt(theoryOf(neutral!, `${names[0]}.p0`, g) ?? NaN)} exactly`,
        test: agreement(share, theoryOf(neutral!, `${names[0]}.p0`, g) ?? NaN),
      },
      { id: '5c', setting: 'the runs of 5a and 5b', result: `distance from ½: ${pm(m)} against ${pm(c)}`, theory: 'the cold agents carry the pool away from ½', test: greater(m, c, 'mixed minus all at T = 1') },
    ];
    let p = start;
    const points: Point[] = [];
    for (let gen = 0; gen <= g; gen++, p = F(p)) points.push({ x: gen, y: p, series: 'mean-field F^t(p₀)', kind: 'theory' });
    for (const [ran, label] of [[mixed!, 'T = 0.5 … 1.5'], [neutral!, 'all at T = 1']] as const) {
      const means = names.map((x) => ran.summary.aggregates[`${x}.p0`]!.q50);
      ran.summary.recorded.forEach((gen, gi) => points.push({ x: gen, y: means.reduce((s, a) => s + (a[gi] as number), 0) / names.length, series: `${label} (median over seeds)`, kind: 'simulation' }));
    }
    const figures: Figure[] = [{ id: 'eco-temperatures', caption: 'Claim 5: the agents\' share of outcome 0 (median over seeds, averaged over agents) when five agents at mixed temperatures share a pool, against five at T = 1 and the mean-field map.', spec: curves('Who dominates the pool', `5 agents, n = ${n}, start ${start}`, { x: 'generation', y: 'share of outcome 0' }, points) }];
    return { rows, figures, notes: [`5a compares with an n → ∞ map, so its rule allows 3/n = ${fmt(100 * (3 / n))}% besides 3 se.`] };
  },
};

export const brownPair: Claim = {
  n: 6,
  title: 'Two Brown bigram agents sharing a pool: the same sentence?',
  statement: 'Two bigram models of the Brown corpus that read each other collapse onto one and the same sentence; alone, each collapses onto a sentence of its own.',
  async run(lab, size) {
    const s = size.ecosystem.brown;
    const base = { family: 'ngram', corpus: { source: 'brown', level: 'word', heldOut: 0.1, ...(s.categories ? { categories: [...s.categories] } : {}) }, model: { order: 2 } };
    const loop = { tokens: s.tokens, generations: s.generations, maxLength: 100, onTooLong: 'reject' };
    const reads = { coupled: { a: { a: 1, b: 1 }, b: { a: 1, b: 1 } }, alone: { a: { a: 1 }, b: { b: 1 } } };
    const [coupled, alone] = await lab.runMany(
      (['coupled', 'alone'] as const).map((k) => ecosystemConfig(`e6-brown-${k}`, base, { agents: [{ name: 'a' }, { name: 'b' }], reads: reads[k] }, loop, s.seeds)),
      availableParallelism(),
    );
    const corpus = s.categories ? `Brown (${s.categories.join(', ')})` : 'Brown';
    const count = (ran: Ran) => {
      const seeds = ran.summary.perSeed;
      const both = seeds.filter((p) => p.final['collapsedAgents'] === 2);
      return { seeds: seeds.length, both: both.length, same: both.filter((p) => p['a.finalSample'] === p['b.finalSample']).length, t: meanOf(seeds.flatMap((p) => (p.collapsedAt === null ? [] : [p.collapsedAt]))) };
    };
    const [c, a] = [count(coupled!), count(alone!)];
    const pooled = (c.same + a.same) / (c.seeds + a.seeds);
    const setting = (how: string) => `${corpus} word bigrams, ${s.tokens} tokens per generation, two agents ${how}, ${s.seeds} seeds`;
    const rows: Row[] = [
      {
        id: '6a',
        setting: setting('reading each other equally'),
        result: `${c.both}/${c.seeds} seeds collapsed both agents, ${c.same} onto the same sentence; mean time ${pm(c.t)}`,
        theory: 'every seed: one sentence for both',
        test: combine([exactly(c.both, c.seeds, 'seeds with both collapsed'), exactly(c.same, c.seeds, 'seeds on one sentence')]),
      },
      {
        id: '6b',
        setting: setting('each reading only itself'),
        result: `${a.both}/${a.seeds} seeds collapsed both agents, ${a.same} onto the same sentence; mean time ${pm(a.t)}`,
        theory: 'coupled agents agree more often than agents alone',
        // A two-proportion test: both shares' se under the pooled share (no difference).
        test: combine([exactly(a.both, a.seeds, 'seeds with both collapsed'), greater(shareOf(c.same, c.seeds, pooled), shareOf(a.same, a.seeds, pooled), 'coupled minus alone, share on one sentence')]),
      },
    ];
    const examples = coupled!.summary.perSeed.slice(0, 3).map((p) => `coupled seed ${p.seed}: “${String(p['a.finalSample'])}”`);
    return { rows, figures: [] as Figure[], notes: [`Sentences the coupled agents ended on: ${examples.join('; ')}.`] };
  },
};
