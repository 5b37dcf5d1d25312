// Claim 10: a linear classifier labelling its own data random-walks in angle rather than
// collapsing (src/theory/classifier.ts: in d = 2 the angle is a random walk on the circle
// with step variance (π/2 − 1)/n; a share r of original labels bounds it).
import { expectedAngle2d, expectedAngleSquared } from '../../theory/classifier.ts';
import type { Claim, Figure, Row } from '../claim.ts';
import { notRun } from '../claim.ts';
import { curves, type Point } from '../figures.ts';
import { atGeneration, type Ran } from '../lab.ts';
import { approximateAgreement, combine, exactly, fmt, greater, pm } from '../verdict.ts';

export const classifierWalk: Claim = {
  n: 10,
  title: 'A classifier labelling its own data random-walks',
  statement: 'A linear classifier trained on its own labels random-walks in angle rather than collapsing.',
  async run(lab, size) {
    const n = 100;
    const { seeds, generations: g } = size.classifier;
    const setting = `d = 2, n = ${n} fresh points/generation labelled by the current classifier, ${g} generations, ${seeds} seeds`;
    if (!lab.has('classifier')) return { rows: [notRun('10a', setting, 'the classifier family is not registered in this build')], figures: [], notes: [] };
    const config = (name: string, r: number) => ({ name, family: 'classifier', init: { weights: [1, 0] }, loop: { generations: g, samples: n, realFraction: r }, seeds, seed: 2021, record: 'every' });
    const free = await lab.run(config('c10-classifier', 0));
    const r = 0.1;
    const held = await lab.run(config('c10-classifier-r0.1', r));
    const angle = atGeneration(free, 'angle', g);
    const angleEarly = atGeneration(free, 'angle', Math.round(g / 4));
    const norm = atGeneration(free, 'norm', g);
    const collapsed = free.summary.perSeed.filter((p) => p.collapsedAt !== null).length;
    const sq = atGeneration(held, 'angleSquared', g);
    const sqFree = atGeneration(free, 'angleSquared', g);
    // First order in 1/n (the step variance is a large-n result): allow 3/n relative.
    const rel = 3 / n;
    const rows: Row[] = [
      {
        id: '10a',
        setting,
        result: `E|θ| at generation ${Math.round(g / 4)}: ${pm(angleEarly)}, at ${g}: ${pm(angle)} rad; ‖w‖ = ${pm(norm)}; ${collapsed} seeds collapsed`,
        theory: `random walk on the circle: E|θ_t| = ${fmt(expectedAngle2d(Math.round(g / 4), n))}, ${fmt(expectedAngle2d(g, n))}; no collapse (‖w‖ → √(2/π) = ${fmt(Math.sqrt(2 / Math.PI))})`,
        test: combine([
          approximateAgreement(angleEarly, expectedAngle2d(Math.round(g / 4), n), rel, 'first order in 1/n'),
          approximateAgreement(angle, expectedAngle2d(g, n), rel, 'first order in 1/n'),
          exactly(collapsed, 0, 'seeds collapsed'),
        ]),
      },
      {
        id: '10b',
        setting: `as 10a with a share r = ${r} of labels from the original classifier`,
        result: `E[θ²] at generation ${g}: ${pm(sq)} (r = 0: ${pm(sqFree)})`,
        theory: `bounded AR(1): ${fmt(expectedAngleSquared(g, 2, n, r))}`,
        test: combine([approximateAgreement(sq, expectedAngleSquared(g, 2, n, r), rel, 'first order in 1/n'), greater(sqFree, sq, 'E[θ²] r = 0 vs r = 0.1')]),
      },
    ];
    return { rows, figures: [angleFigure(free, held, n, r, setting)], notes: [] };
  },
};

function angleFigure(free: Ran, held: Ran, n: number, r: number, setting: string): Figure {
  const points: Point[] = [];
  for (const [label, ran] of [['r = 0', free], [`r = ${r}`, held]] as const) {
    const a = ran.summary.aggregates['angle']!;
    ran.summary.recorded.forEach((g, i) => points.push({ x: g, y: a.mean[i] ?? NaN, lo: a.q05[i] ?? NaN, hi: a.q95[i] ?? NaN, series: `${label}: mean |θ|, 5–95%`, kind: 'simulation' }));
  }
  free.summary.recorded.forEach((g) => points.push({ x: g, y: expectedAngle2d(g, n), series: 'random walk on the circle (r = 0)', kind: 'theory', of: 'r = 0: mean |θ|, 5–95%' }));
  held.summary.recorded.forEach((g) => points.push({ x: g, y: Math.sqrt(expectedAngleSquared(g, 2, n, r)), series: `√E[θ²], AR(1) (r = ${r})`, kind: 'theory', of: `r = ${r}: mean |θ|, 5–95%` }));
  return { id: 'classifier-angle', caption: 'Claim 10: angle between the self-trained classifier and the original, free (r = 0) and with a share of original labels.', spec: curves('A classifier labelling its own data', setting, { x: 'generation', y: 'angle to the original (rad)' }, points) };
}
