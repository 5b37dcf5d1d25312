// `ouro theory classifier`: the random walk in angle of a linear classifier labelling its own
// data (src/theory/classifier.ts).
import type { Command } from 'commander';
import { expectedAngle2d, expectedAngleSquared, expectedCosAngle, stepVariance } from '../../theory/classifier.ts';
import { curveGenerations } from './curve.ts';
import { emit, parseNumber, type Row } from './output.ts';

export function register(theory: Command): void {
  theory
    .command('classifier')
    .description('the angle to the original classifier: a random walk (r = 0) or bounded (r > 0), large-n first order')
    .requiredOption('--samples <n>', 'n, fresh points per generation')
    .option('--dims <d>', 'input dimension (≥ 2)', '2')
    .option('--real-fraction <r>', 'share of each generation labelled by the original classifier', '0')
    .option('--generations <G>', 'last generation of the curve', '100')
    .option('--json', 'print one JSON document')
    .action((raw: { samples: string; dims: string; realFraction: string; generations: string; json?: boolean }) => {
      const n = parseNumber('--samples', raw.samples, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give the points per generation, e.g. --samples 100.');
      const d = parseNumber('--dims', raw.dims, (x) => Number.isInteger(x) && x >= 2, 'an integer ≥ 2', 'In one dimension there is no angle; use --dims 2 or more.');
      const r = parseNumber('--real-fraction', raw.realFraction, (x) => x >= 0 && x <= 1, 'a fraction in [0, 1]', 'Give the share of original labels, e.g. --real-fraction 0.1.');
      const g = parseNumber('--generations', raw.generations, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give how many generations, e.g. --generations 100.');
      const rep = classifierReport(n, d, r, g);
      emit(raw.json === true, rep, `classifier: n = ${n}, d = ${d}, r = ${r}`, rows(rep));
    });
}

/** What `ouro theory classifier` prints. */
export function classifierReport(samples: number, dims: number, realFraction: number, generations: number) {
  const gens = curveGenerations(generations);
  const free = realFraction === 0;
  return {
    samples,
    dims,
    realFraction,
    stepVariance: stepVariance(samples),
    generations: gens,
    cosAngle: free ? gens.map((t) => expectedCosAngle(t, dims, samples)) : null,
    angle: free && dims === 2 ? gens.map((t) => expectedAngle2d(t, samples)) : null,
    angleSquared: gens.map((t) => expectedAngleSquared(t, dims, samples, realFraction)),
    angleRmsStationary: free ? null : Math.sqrt(expectedAngleSquared(Infinity, dims, samples, realFraction)),
  };
}

function rows(r: ReturnType<typeof classifierReport>): Row[] {
  const out: Row[] = [
    ['turn variance per refit and axis s² = (π/2 − 1)/n', r.stepVariance],
    ['stationary rms angle (radians)', r.angleRmsStationary ?? 'none: a random walk'],
    [''],
    ['generation', 'E[cos θ]', 'E[θ]', 'E[θ²]'],
  ];
  r.generations.forEach((g, i) => out.push([`${g}`, r.cosAngle?.[i] ?? null, r.angle?.[i] ?? null, r.angleSquared[i]!]));
  return out;
}
