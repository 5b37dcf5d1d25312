// Claims 1–3: the coin fixates, more data per generation means smaller steps, and k outcomes
// die one by one. All are the categorical family at T = 1 (neutral Wright–Fisher drift).
import { littler } from '../../theory/diffusion.ts';
import type { Claim, Figure, Row } from '../claim.ts';
import { curves, type Point } from '../figures.ts';
import { atGeneration, finals, logLines, theoryOf, type Ran } from '../lab.ts';
import { agreement, approximateAgreement, combine, exactly, fmt, greater, meanOf, pm, shareOf, varianceOf, type Measure } from '../verdict.ts';

/** A categorical config object (the keys are the config contract of issue 2). */
export function categoricalConfig(name: string, probs: readonly number[], seeds: number, loop: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { name, family: 'categorical', init: { probs: [...probs] }, loop: { generations: 100000, ...loop }, seeds, seed: 2021, record: 'log', ...extra };
}

const collapseTimes = (ran: Ran): number[] => ran.summary.perSeed.flatMap((p) => (p.collapsedAt === null ? [] : [p.collapsedAt]));

export const fixation: Claim = {
  n: 1,
  title: 'A coin fixates',
  statement: 'A coin refit on its own flips fixates at all heads or all tails; the fixation probability of heads is its starting share.',
  async run(lab, size) {
    const start = 0.3;
    const n = 20;
    const ran = await lab.run(categoricalConfig('c1-coin-n20', [start, 1 - start], size.seeds, { samples: n }));
    const seeds = ran.summary.perSeed.length;
    const times = collapseTimes(ran);
    const t = meanOf(times);
    const exact = theoryOf(ran, 'meanAbsorption');
    const fixed0 = ran.summary.perSeed.filter((p) => p.fixedOn === 0).length;
    const share = shareOf(fixed0, seeds, start);
    const setting = `coin, n = ${n} flips/generation, p₀ = ${start}, T = 1, ${seeds} seeds`;
    const rows: Row[] = [
      {
        id: '1a',
        setting,
        result: `${times.length}/${seeds} seeds fixated; mean time ${pm(t)} generations`,
        theory: `every seed fixates; exact chain E[τ] = ${fmt(exact ?? NaN)}`,
        test: combine([exactly(times.length, seeds, 'seeds fixated'), agreement(t, exact ?? NaN)]),
      },
      {
        id: '1b',
        setting,
        result: `share fixed on heads ${pm(share)}`,
        theory: `p₀ = ${start}`,
        test: agreement(share, start),
      },
    ];
    const byG = ran.summary.recorded.filter((g) => g > 0);
    const chain = ran.summary.theory?.['collapsedBy'] as number[] | null | undefined;
    const points: Point[] = byG.flatMap((g, i) => [
      { x: g, y: times.filter((x) => x <= g).length / seeds, series: 'simulation', kind: 'simulation' as const },
      ...(chain ? [{ x: g, y: chain[i + 1]!, series: 'exact chain', kind: 'theory' as const, of: 'simulation' }] : []),
    ]);
    const figures: Figure[] = [{ id: 'fixation', caption: `Claim 1: share of coins fixated by generation g (n = ${n}, p₀ = ${start}) against the exact Markov chain.`, spec: curves('A coin fixates', setting, { x: 'generation', y: 'P(fixated by generation)', symlogX: true }, points) }];
    return { rows, figures, notes: [] };
  },
};

export const steps: Claim = {
  n: 2,
  title: 'More data, smaller steps',
  statement: 'More data per generation means smaller steps: Var(p₁ − p₀) = p₀(1 − p₀)/n.',
  async run(lab, size) {
    const start = 0.3;
    const ns = [10, 100, 1000];
    const vars: Measure[] = [];
    const rows: Row[] = [];
    for (const n of ns) {
      const ran = await lab.run(categoricalConfig(`c2-step-n${n}`, [start, 1 - start], size.stepSeeds, { samples: n, generations: 1 }, { record: 'every' }));
      const v = varianceOf(finals(ran, 'p0').map((p) => p - start));
      vars.push(v);
      const th = (start * (1 - start)) / n;
      rows.push({ id: `2${'abc'[rows.length]}`, setting: `coin, p₀ = ${start}, n = ${n}, one generation, ${size.stepSeeds} seeds`, result: `Var(p₁ − p₀) = ${pm(v)}`, theory: `p₀(1 − p₀)/n = ${fmt(th)}`, test: agreement(v, th) });
    }
    rows.push({
      id: '2d',
      setting: `the three runs above`,
      result: `variance falls ${ns.map((n, i) => `${fmt(vars[i]!.value)} (n = ${n})`).join(' > ')}`,
      theory: 'decreasing in n (∝ 1/n)',
      test: combine([greater(vars[0]!, vars[1]!, 'n = 10 vs 100'), greater(vars[1]!, vars[2]!, 'n = 100 vs 1000')]),
    });
    const points: Point[] = ns.flatMap((n, i) => [
      { x: n, y: vars[i]!.value, lo: vars[i]!.value - 2 * vars[i]!.se, hi: vars[i]!.value + 2 * vars[i]!.se, series: 'simulation (± 2 se)', kind: 'simulation' as const },
      { x: n, y: (start * (1 - start)) / n, series: 'p₀(1 − p₀)/n', kind: 'theory' as const, of: 'simulation (± 2 se)' },
    ]);
    const figures: Figure[] = [{ id: 'steps', caption: 'Claim 2: variance of one generation\'s step against p₀(1 − p₀)/n.', spec: curves('More data per generation, smaller steps', `coin, p₀ = ${start}, T = 1`, { x: 'flips per generation n', y: 'Var(p₁ − p₀)', logX: true, logY: true }, points) }];
    return { rows, figures, notes: [] };
  },
};

/** Generation at which each seed first had ≤ j live outcomes, for j = k − 1 … 1. */
function lossTimes(ran: Ran, k: number): number[][] {
  const first: number[][] = Array.from({ length: k }, () => []);
  const bySeed = new Map<number, { generation: number; support: number }[]>();
  for (const l of logLines(ran)) {
    const s = l.metrics['support'];
    if (s === undefined) continue;
    (bySeed.get(l.seed) ?? bySeed.set(l.seed, []).get(l.seed)!).push({ generation: l.generation, support: s });
  }
  for (const rows of bySeed.values()) {
    rows.sort((a, b) => a.generation - b.generation);
    for (let j = 1; j < k; j++) {
      const hit = rows.find((r) => r.support <= j);
      if (hit) first[j]!.push(hit.generation);
    }
  }
  return first;
}

export const extinction: Claim = {
  n: 3,
  title: 'k outcomes die one by one',
  statement: 'k outcomes random-walk until they die one by one, until one is left (Littler: mean time −2n Σ (1 − pᵢ) ln(1 − pᵢ)).',
  async run(lab, size) {
    const k = 4;
    const n = 50;
    const probs = Array.from({ length: k }, () => 1 / k);
    // Every generation is recorded so loss times are exact; the runner aggregates every
    // recorded generation over all seeds, so seeds and horizon are capped. 600 generations:
    // the last two outcomes meet at rate 1/n, so P(not collapsed) ≈ e^{−600/50} ≈ 6·10⁻⁶.
    const seeds = Math.min(size.seeds, 2000);
    const ran = await lab.run(categoricalConfig(`c3-k${k}-n${n}`, probs, seeds, { samples: n, generations: 600 }, { record: 'every' }));
    const setting = `k = ${k} equal outcomes, n = ${n}, T = 1, ${seeds} seeds`;
    const t = meanOf(collapseTimes(ran));
    const lit = littler(probs, n);
    const rel = Math.log(n) / n;
    const gsAt = n;
    const gs = atGeneration(ran, 'giniSimpson', gsAt);
    const gsTheory = theoryOf(ran, 'giniSimpson', gsAt) ?? NaN;
    const losses = lossTimes(ran, k).map((xs) => meanOf(xs));
    const order = Array.from({ length: k - 1 }, (_, i) => k - 1 - i); // live outcomes k−1 … 1
    const rows: Row[] = [
      {
        id: '3a',
        setting,
        result: `mean time to one outcome ${pm(t)}`,
        theory: `Littler (diffusion) ${fmt(lit)}`,
        test: approximateAgreement(t, lit, rel, 'the diffusion limit is off by O(ln n / n)'),
      },
      {
        id: '3b',
        setting,
        result: `Gini–Simpson at generation ${gsAt}: ${pm(gs)}`,
        theory: `H₀(1 − 1/n)^t = ${fmt(gsTheory)}`,
        test: agreement(gs, gsTheory),
      },
      {
        id: '3c',
        setting,
        result: `mean generation of reaching ${order.map((j) => `${j} live: ${pm(losses[j]!)}`).join(', ')}`,
        theory: 'losses come one at a time, at increasing times',
        test: combine(order.slice(1).map((j) => greater(losses[j]!, losses[j + 1]!, `${j} live after ${j + 1} live`))),
      },
    ];
    const horizon = Math.max(...collapseTimes(ran));
    const gens = ran.summary.recorded.filter((g) => g <= horizon);
    const times = lossTimes(ran, k);
    const points: Point[] = [];
    for (let j = 2; j <= k; j++) {
      const lost = times[j - 1]!; // reached ≤ j − 1 live
      for (const g of gens) points.push({ x: g, y: 1 - lost.filter((x) => x <= g).length / seeds, series: `≥ ${j} outcomes alive`, kind: 'simulation' });
    }
    const figures: Figure[] = [{ id: 'extinction', caption: `Claim 3: survival curves — share of seeds with at least j live outcomes (k = ${k}, n = ${n}).`, spec: curves('k outcomes die one by one', setting, { x: 'generation', y: 'share of seeds' }, points) }];
    return { rows, figures, notes: [`3a uses a diffusion approximation, so its rule allows ln(n)/n = ${fmt(100 * rel)}% besides 3 se.`] };
  },
};

