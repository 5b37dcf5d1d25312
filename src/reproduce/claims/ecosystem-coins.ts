// Ecosystem claims 1–3 (docs/ecosystems.md): two coins alone or reading each other, a little
// human text in every agent's diet, and people who read models. Every experiment is an
// ecosystem config run by the ordinary runner; theory is the exact joint chain of two coins and
// the exact moment recursion through the pool, as the runs' summaries carry them.
import { availableParallelism } from 'node:os';
import type { Claim, Figure, Row } from '../claim.ts';
import { curves, type Point } from '../figures.ts';
import { atGeneration, logLines, theoryOf, type Ran } from '../lab.ts';
import { agreement, combine, exactly, fmt, greater, meanOf, pm, shareOf } from '../verdict.ts';

type Reads = Record<string, Record<string, number>>;

/** An ecosystem config object (the keys are the contract of docs/ecosystems.md). */
export function ecosystemConfig(name: string, base: Record<string, unknown>, ecosystem: Record<string, unknown>, loop: Record<string, unknown>, seeds: number, record: unknown = 'log') {
  return { name, ...base, ecosystem, loop: { generations: 100000, ...loop }, seeds, seed: 2026, record };
}

const coin = (p: number) => ({ family: 'categorical', init: { probs: [p, 1 - p] } });
const perSeed = (ran: Ran) => ran.summary.perSeed;
const times = (ran: Ran) => perSeed(ran).flatMap((p) => (p.collapsedAt === null ? [] : [p.collapsedAt]));
const all = (names: readonly string[], w = 1) => Object.fromEntries(names.map((n) => [n, w]));

export const twoCoins: Claim = {
  n: 1,
  title: 'Two coins alone vs reading each other',
  statement: 'Coupling synchronizes where two coins fix (always on the same outcome, against Σ_c P(a on c)·P(b on c) alone) and changes how fast they settle.',
  async run(lab, size) {
    const n = 20;
    const starts = { a: 0.3, b: 0.7 };
    const settings: [string, string, Reads][] = [
      ['alone', 'each reads only itself', { a: { a: 1 }, b: { b: 1 } }],
      ['weak', 'each reads the other with weight 1 of 10', { a: { a: 9, b: 1 }, b: { a: 1, b: 9 } }],
      ['mixed', 'each reads both equally', { a: { a: 1, b: 1 }, b: { a: 1, b: 1 } }],
    ];
    const configs = settings.map(([id, , reads]) =>
      ecosystemConfig(`e1-coins-${id}`, coin(0.5), { agents: [{ name: 'a', init: { probs: [starts.a, 1 - starts.a] } }, { name: 'b', init: { probs: [starts.b, 1 - starts.b] } }], reads }, { samples: n }, size.ecosystem.seeds),
    );
    const ran = await lab.runMany(configs, availableParallelism());
    const setting = (i: number) => `two coins, n = ${n}, p_a = ${starts.a}, p_b = ${starts.b}, T = 1, ${settings[i]![1]}, ${size.ecosystem.seeds} seeds`;
    const measured = ran.map((r) => {
      const same = perSeed(r).filter((p) => p['a.fixedOn'] === p['b.fixedOn']).length;
      return { t: meanOf(times(r)), same, seeds: perSeed(r).length, settled: times(r).length, exactT: theoryOf(r, 'meanAbsorption') ?? NaN, exactSame: theoryOf(r, 'sameOutcome') ?? NaN };
    });
    const [alone, weak, mixed] = measured as [(typeof measured)[0], (typeof measured)[0], (typeof measured)[0]];
    const row = (id: string, i: number, m: typeof alone, sameTest: ReturnType<typeof agreement>): Row => ({
      id,
      setting: setting(i),
      result: `${m.settled}/${m.seeds} settled; same outcome in ${m.same}; mean time ${pm(m.t)}`,
      theory: `exact chain: P(same) = ${fmt(m.exactSame)}, E[τ] = ${fmt(m.exactT)}`,
      test: combine([exactly(m.settled, m.seeds, 'seeds settled'), sameTest, agreement(m.t, m.exactT)]),
    });
    const rows: Row[] = [
      row('1a', 0, alone, agreement(shareOf(alone.same, alone.seeds, alone.exactSame), alone.exactSame)),
      row('1b', 1, weak, exactly(weak.same, weak.seeds, 'seeds on one outcome')),
      row('1c', 2, mixed, exactly(mixed.same, mixed.seeds, 'seeds on one outcome')),
      {
        id: '1d',
        setting: 'the runs of 1a and 1b',
        result: `weakly coupled coins settle in ${pm(weak.t)} generations, coins alone in ${pm(alone.t)}`,
        theory: `weak coupling is slower (exact: ${fmt(weak.exactT)} vs ${fmt(alone.exactT)})`,
        test: greater(weak.t, alone.t, 'weak coupling minus alone'),
      },
    ];
    const points: Point[] = ran.flatMap((r, i) => {
      const ts = times(r);
      const chain = r.summary.theory?.['collapsedBy'];
      return r.summary.recorded.filter((g) => g > 0 && g <= 300).flatMap((g) => {
        const gi = r.summary.recorded.indexOf(g);
        const sim = { x: g, y: ts.filter((t) => t <= g).length / ts.length, series: settings[i]![0], kind: 'simulation' as const };
        return Array.isArray(chain) ? [sim, { x: g, y: chain[gi] as number, series: `${settings[i]![0]} (exact chain)`, kind: 'theory' as const }] : [sim];
      });
    });
    const figures: Figure[] = [{ id: 'eco-coins', caption: 'Claim 1: share of seeds settled by generation g, alone, weakly coupled and mixed, against the exact joint chains.', spec: curves('Two coins alone vs reading each other', `n = ${n}, starts ${starts.a} and ${starts.b}`, { x: 'generation', y: 'P(settled by generation)', symlogX: true }, points) }];
    return { rows, figures, notes: [] };
  },
};

export const humanText: Claim = {
  n: 2,
  title: 'A little human text keeps the ecosystem near the truth',
  statement: 'When every agent\'s diet holds a little text written by people from the truth, the agents stay near the truth and keep their diversity; without it they collapse.',
  async run(lab, size) {
    const probs = [0.4, 0.3, 0.2, 0.1];
    const names = ['a', 'b', 'c'];
    const n = 50;
    const g = size.ecosystem.horizon;
    const diet = (people: number): Reads => Object.fromEntries(names.map((x) => [x, { ...all(names, 1.5), [x]: 6, ...(people > 0 ? { people } : {}) }]));
    const eco = (people: boolean) => ({ agents: names.map((name) => ({ name })), ...(people ? { humans: { posts: n } } : {}), reads: diet(people ? 1 : 0) });
    const [withPeople, without] = await lab.runMany(
      [true, false].map((p) => ecosystemConfig(`e2-human-${p ? 'with' : 'without'}`, { family: 'categorical', init: { probs } }, eco(p), { samples: n, generations: g }, size.ecosystem.seeds)),
      availableParallelism(),
    );
    const setting = (p: boolean) => `3 agents, k = 4 outcomes, n = ${n}, each reads itself 60%, the others 30%${p ? ', people 10%' : ''} (renormalized without people), ${g} generations, ${size.ecosystem.seeds} seeds`;
    const gsRows = (ran: Ran) => names.map((x) => ({ sim: atGeneration(ran, `${x}.giniSimpson`, g), th: theoryOf(ran, `${x}.giniSimpson`, g) ?? NaN }));
    const gsWith = gsRows(withPeople!);
    const gsWithout = gsRows(without!);
    const tv = (ran: Ran) => atGeneration(ran, 'a.tv', g);
    const dis = atGeneration(withPeople!, 'disagreementSq', g);
    const rows: Row[] = [
      {
        id: '2a',
        setting: setting(true),
        result: `Gini–Simpson at generation ${g}: ${gsWith.map((r, i) => `${names[i]} ${pm(r.sim)}`).join(', ')}; disagreement² ${pm(dis)}`,
        theory: `exact moments: ${fmt(gsWith[0]!.th)} each; disagreement² ${fmt(theoryOf(withPeople!, 'disagreementSq', g) ?? NaN)} (H₀ = ${fmt(1 - probs.reduce((s, p) => s + p * p, 0))})`,
        test: combine([...gsWith.map((r) => agreement(r.sim, r.th)), agreement(dis, theoryOf(withPeople!, 'disagreementSq', g) ?? NaN)]),
      },
      {
        id: '2b',
        setting: setting(false),
        result: `Gini–Simpson at generation ${g}: ${gsWithout.map((r, i) => `${names[i]} ${pm(r.sim)}`).join(', ')}`,
        theory: `exact moments: ${fmt(gsWithout[0]!.th)} each (falling to 0)`,
        test: combine(gsWithout.map((r) => agreement(r.sim, r.th))),
      },
      {
        id: '2c',
        setting: 'the runs of 2a and 2b',
        result: `agent a's TV from the truth at generation ${g}: ${pm(tv(without!))} without people, ${pm(tv(withPeople!))} with`,
        theory: 'people keep the agents nearer the truth',
        test: greater(tv(without!), tv(withPeople!), 'without minus with'),
      },
    ];
    const curve = (ran: Ran, label: string): Point[] =>
      ran.summary.recorded.flatMap((gen, i) => [
        { x: gen, y: ran.summary.aggregates['a.giniSimpson']!.mean[i] as number, series: label, kind: 'simulation' as const },
        { x: gen, y: theoryOf(ran, 'a.giniSimpson', gen) ?? NaN, series: `${label} (exact)`, kind: 'theory' as const },
      ]);
    const figures: Figure[] = [{ id: 'eco-human', caption: 'Claim 2: agent a\'s Gini–Simpson diversity with 10% human text in every diet and without, against the exact moment recursion.', spec: curves('A little human text keeps the ecosystem near the truth', `3 agents, k = 4, n = ${n}`, { x: 'generation', y: 'E[Gini–Simpson] of agent a', symlogX: true }, [...curve(withPeople!, 'with people'), ...curve(without!, 'without people')]) }];
    return { rows, figures, notes: [] };
  },
};

export const peopleDrift: Claim = {
  n: 3,
  title: 'People who read models drift; stubbornness bounds the drift',
  statement: 'People who read models move toward them (Friedkin–Johnsen); with stubbornness s their view never leaves the ball TV ≤ (1 − s)·(1 − min_c p₀[c]) around where they started, and drifts less as s grows.',
  async run(lab, size) {
    const stubbornness = [0, 0.3, 0.6];
    const g = 30;
    const agents = [{ name: 'a', init: { probs: [0.8, 0.2] } }, { name: 'b', init: { probs: [0.7, 0.3] } }];
    const ran = await lab.runMany(
      stubbornness.map((s) =>
        ecosystemConfig(`e3-people-s${s}`, coin(0.5), { agents, humans: { posts: 20, reads: { a: 1, b: 1 }, stubbornness: s }, reads: { a: { a: 3, b: 1 }, b: { a: 1, b: 3 } } }, { samples: 40, generations: g }, size.ecosystem.seeds),
      ),
      availableParallelism(),
    );
    const rows: Row[] = [];
    const drift = ran.map((r) => atGeneration(r, 'humanDrift', g));
    ran.forEach((r, i) => {
      const s = stubbornness[i]!;
      const bound = (1 - s) * 0.5;
      const worst = Math.max(...logLines(r).map((l) => l.metrics['humanDrift'] ?? 0));
      const violations = logLines(r).filter((l) => (l.metrics['humanDrift'] ?? 0) > bound + 1e-12).length;
      const p = atGeneration(r, 'people.p0', g);
      const th = theoryOf(r, 'people.p0', g) ?? NaN;
      rows.push({
        id: `3${'abc'[i]}`,
        setting: `people start at ½, read two coin agents (starts 0.8 and 0.7), stubbornness s = ${s}, ${g} generations, ${size.ecosystem.seeds} seeds`,
        result: `people's share of outcome 0 at generation ${g}: ${pm(p)}; largest drift seen ${fmt(worst)}`,
        theory: `exact mean ${fmt(th)}; drift ≤ (1 − s)/2 = ${fmt(bound)} always`,
        test: combine([agreement(p, th), exactly(violations, 0, 'records past the bound')]),
      });
    });
    rows.push({
      id: '3d',
      setting: 'the runs of 3a–3c',
      result: `drift at generation ${g}: ${drift.map((d, i) => `s = ${stubbornness[i]}: ${pm(d)}`).join(', ')}`,
      theory: 'falls as s grows',
      test: combine([greater(drift[0]!, drift[1]!, 's = 0 minus s = 0.3'), greater(drift[1]!, drift[2]!, 's = 0.3 minus s = 0.6')]),
    });
    const points: Point[] = ran.flatMap((r, i) =>
      r.summary.recorded.flatMap((gen, gi) => [
        { x: gen, y: r.summary.aggregates['people.p0']!.mean[gi] as number, series: `s = ${stubbornness[i]}`, kind: 'simulation' as const },
        { x: gen, y: theoryOf(r, 'people.p0', gen) ?? NaN, series: `s = ${stubbornness[i]} (exact)`, kind: 'theory' as const },
      ]),
    );
    const figures: Figure[] = [{ id: 'eco-people', caption: 'Claim 3: the people\'s mean share of outcome 0 as they read two biased agents, for three stubbornnesses, against the exact moments.', spec: curves('People who read models drift', 'agents start at 0.8 and 0.7; people at ½', { x: 'generation', y: 'E[people p0]' }, points) }];
    return { rows, figures, notes: [] };
  },
};
