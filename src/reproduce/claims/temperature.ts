// Claims 4–5: the temperature map τ_T(p) = p^{1/T} / Σ p^{1/T} is mode-seeking for T < 1 and
// flattening for T > 1; so T < 1 collapses faster and T > 1 holds the coin near maximum
// entropy. The exact coin chain (src/theory/coin-chain.ts) covers every T.
import { coinTemperature } from '../../theory/temperature-map.ts';
import type { Claim, Figure, Row } from '../claim.ts';
import { curves, type Point } from '../figures.ts';
import { atGeneration, finals, theoryOf, type Ran } from '../lab.ts';
import { agreement, combine, fmt, greater, meanOf, pm, shareOf, type Measure, type Test } from '../verdict.ts';
import { categoricalConfig } from './coin.ts';

const TEMPERATURES = [0.5, 0.8, 1.25, 1.5];

export const temperatureMap: Claim = {
  n: 4,
  title: 'The temperature map',
  statement: 'Sampling at T < 1 pushes p > ½ up and p < ½ down (mode-seeking); T > 1 pulls p towards ½.',
  async run(lab, size) {
    const n = 1000;
    const starts = [0.7, 0.3];
    const rows: Row[] = [];
    const sim: Point[] = [];
    for (const t of TEMPERATURES) {
      const tests: Test[] = [];
      const parts: string[] = [];
      for (const p of starts) {
        const ran = await lab.run(categoricalConfig(`c4-map-t${t}-p${p}`, [p, 1 - p], size.stepSeeds, { samples: n, generations: 1, temperature: t }, { record: 'every' }));
        const p1 = meanOf(finals(ran, 'p0'));
        const tau = coinTemperature(p, t);
        const p0: Measure = { value: p, se: 0 };
        // Direction: away from ½ when T < 1, towards ½ when T > 1.
        const away = (p > 0.5) === (t < 1);
        tests.push(agreement(p1, tau), away ? greater(p1, p0, `p₀ = ${p}: p₁ > p₀`) : greater(p0, p1, `p₀ = ${p}: p₁ < p₀`));
        parts.push(`p₀ = ${p} → p̄₁ = ${pm(p1)}`);
        sim.push({ x: p, y: p1.value, series: `simulation, T = ${t}`, kind: 'simulation' });
      }
      rows.push({
        id: `4${'abcd'[rows.length]}`,
        setting: `coin at T = ${t}, n = ${n}, one generation, ${size.stepSeeds} seeds per start`,
        result: parts.join('; '),
        theory: starts.map((p) => `τ(${p}) = ${fmt(coinTemperature(p, t))}`).join('; ') + (t < 1 ? ' (away from ½)' : ' (towards ½)'),
        test: combine(tests),
      });
    }
    const grid = Array.from({ length: 101 }, (_, i) => i / 100);
    const theory: Point[] = [0.5, 0.8, 1, 1.25, 1.5, 2].flatMap((t) => grid.map((p) => ({ x: p, y: coinTemperature(p, t), series: `τ_T, T = ${t}`, kind: 'theory' as const, of: `simulation, T = ${t}` })));
    const figures: Figure[] = [
      {
        id: 'temperature-map',
        caption: 'Claim 4: the temperature map τ_T(p) of a coin (dashed) and the mean share after one generation sampled at T (points, n = 1000).',
        spec: curves('The temperature map τ_T(p)', 'T < 1 is mode-seeking; T > 1 flattens', { x: 'p (share of heads)', y: 'τ_T(p) = E[p₁ | p₀ = p]' }, [...theory, ...sim]),
      },
    ];
    return { rows, figures, notes: [] };
  },
};

export const temperatureCollapse: Claim = {
  n: 5,
  title: 'T < 1 collapses faster; T > 1 holds near maximum entropy',
  statement: 'Sampling at T < 1 collapses much faster than at T = 1; at T > 1 the model stays near maximum entropy.',
  async run(lab, size) {
    const n = 100;
    const g = size.name === 'smoke' ? 100 : size.name === 'quick' ? 1000 : 5000;
    const fast = [0.5, 0.8, 1];
    const runs = new Map<number, Ran>();
    const rows: Row[] = [];
    const times: Measure[] = [];
    for (const t of fast) {
      // 5000 generations: at n = 100, T ≤ 1, P(not collapsed) < e⁻⁴⁰, so no seed is censored.
      const ran = await lab.run(categoricalConfig(`c5-coin-t${t}`, [0.5, 0.5], size.seeds, { samples: n, generations: 5000, temperature: t }));
      runs.set(t, ran);
      const ts = ran.summary.perSeed.flatMap((p) => (p.collapsedAt === null ? [] : [p.collapsedAt]));
      const m = meanOf(ts);
      times.push(m);
      const exact = theoryOf(ran, 'meanAbsorption') ?? NaN;
      rows.push({
        id: `5${'abc'[rows.length]}`,
        setting: `coin, n = ${n}, p₀ = ½, T = ${t}, ${ran.summary.perSeed.length} seeds`,
        result: `mean collapse time ${pm(m)} (${ts.length} collapsed)`,
        theory: `exact chain ${fmt(exact)}`,
        test: agreement(m, exact),
      });
    }
    rows.push({
      id: '5d',
      setting: 'the three runs above',
      result: fast.map((t, i) => `T = ${t}: ${fmt(times[i]!.value)}`).join(' < '),
      theory: 'faster collapse at lower T',
      test: combine([greater(times[1]!, times[0]!, 'T = 0.8 vs 0.5'), greater(times[2]!, times[1]!, 'T = 1 vs 0.8')]),
    });
    const hot = 1.25;
    const ranHot = await lab.run(categoricalConfig(`c5-coin-t${hot}`, [0.5, 0.5], size.seeds, { samples: n, generations: g, temperature: hot }));
    runs.set(hot, ranHot);
    const hHot = atGeneration(ranHot, 'entropy', g);
    const hOne = atGeneration(runs.get(1)!, 'entropy', g);
    const collapsed = ranHot.summary.perSeed.filter((p) => p.collapsedAt !== null).length;
    const chainCollapsed = theoryOf(ranHot, 'collapsedBy', g) ?? NaN;
    rows.push({
      id: '5e',
      setting: `coin, n = ${n}, p₀ = ½, T = ${hot}, ${g} generations, ${ranHot.summary.perSeed.length} seeds`,
      result: `entropy at generation ${g}: ${pm(hHot)} nats (max ln 2 = ${fmt(Math.LN2)}; T = 1: ${pm(hOne)}); ${collapsed} seeds collapsed`,
      theory: `exact chain: entropy ${fmt(theoryOf(ranHot, 'entropy', g) ?? NaN)}, P(collapsed) = ${fmt(chainCollapsed)}`,
      test: combine([agreement(hHot, theoryOf(ranHot, 'entropy', g) ?? NaN), agreement(shareOf(collapsed, ranHot.summary.perSeed.length, chainCollapsed), chainCollapsed), greater(hHot, hOne, `entropy T = ${hot} vs T = 1`)]),
    });
    const points: Point[] = [];
    for (const [t, ran] of runs) {
      const a = ran.summary.aggregates['entropy']!;
      const th = ran.summary.theory?.['entropy'] as (number | null)[] | null | undefined;
      ran.summary.recorded.forEach((gen, i) => {
        if (gen > g) return;
        points.push({ x: gen, y: a.mean[i] ?? NaN, series: `T = ${t}`, kind: 'simulation' });
        if (th && th[i] !== null && th[i] !== undefined) points.push({ x: gen, y: th[i]!, series: `T = ${t}, exact chain`, kind: 'theory', of: `T = ${t}` });
      });
    }
    const figures: Figure[] = [{ id: 'temperature-entropy', caption: `Claim 5: mean entropy of a coin (n = ${n}) at several temperatures, simulation (solid) and exact chain (dashed).`, spec: curves('Entropy across temperatures', `coin, n = ${n}, p₀ = ½`, { x: 'generation', y: 'entropy (nats)', symlogX: true }, points) }];
    return { rows, figures, notes: [] };
  },
};
