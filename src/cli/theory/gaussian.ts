// `ouro theory gaussian`: the variance collapse of a Gaussian refit on its own samples
// (src/theory/gaussian.ts, after Shumailov et al., Nature 2024).
import type { Command } from 'commander';
import { expectedLogDetChange, expectedLogVarianceChange, expectedVarianceRatio, logStepCumulants, medianVarianceRatio, type VarianceEstimator } from '../../theory/gaussian.ts';
import { UsageError } from '../errors.ts';
import { curveGenerations } from './curve.ts';
import { emit, parseNumber, type Row } from './output.ts';

export interface GaussianTheoryInput {
  readonly samples: number;
  readonly variance: VarianceEstimator;
  readonly temperature: number;
  readonly dims: number;
  readonly generations: number;
}

export function register(theory: Command): void {
  theory
    .command('gaussian')
    .description('closed forms for a Gaussian refit on n of its own samples (policy replace): E[σ²_t], E[ln σ²_t], median σ²_t')
    .requiredOption('--samples <n>', 'n, samples per generation (≥ 2)')
    .option('--variance <kind>', 'refit divisor: unbiased (n − 1) or ml (n)', 'unbiased')
    .option('--temperature <T>', 'sampling temperature (draws from N(μ, TΣ))', '1')
    .option('--dims <d>', 'dimension; d > 1 adds E[ln det Σ_t]', '1')
    .option('--generations <G>', 'last generation of the curve', '100')
    .option('--json', 'print one JSON document')
    .action((raw: { samples: string; variance: string; temperature: string; dims: string; generations: string; json?: boolean }) => {
      if (raw.variance !== 'unbiased' && raw.variance !== 'ml') throw new UsageError(`--variance: expected unbiased or ml, got ${JSON.stringify(raw.variance)}. Use --variance unbiased (divide by n − 1) or --variance ml (divide by n).`);
      const input: GaussianTheoryInput = {
        samples: parseNumber('--samples', raw.samples, (x) => Number.isInteger(x) && x >= 2, 'an integer ≥ 2', 'A variance refit needs at least 2 samples, e.g. --samples 100.'),
        variance: raw.variance,
        temperature: parseNumber('--temperature', raw.temperature, (x) => x > 0, 'a number > 0', 'Use a positive temperature; 1 samples the model as it is.'),
        dims: parseNumber('--dims', raw.dims, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give the dimension, e.g. --dims 1.'),
        generations: parseNumber('--generations', raw.generations, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give how many generations the curve covers, e.g. --generations 100.'),
      };
      if (input.dims > 1 && input.samples <= input.dims) throw new UsageError(`--samples: a ${input.dims}-dimensional covariance refit needs n > d samples, got ${input.samples}. Use --samples ${input.dims + 1} or more.`);
      const r = gaussianReport(input);
      emit(raw.json === true, r, `gaussian: n = ${input.samples}, ${input.variance} refits, T = ${input.temperature}, d = ${input.dims} (σ²_0 = 1 per axis)`, rows(r));
    });
}

/** What `ouro theory gaussian` prints: per-step cumulants of ln σ² and the curves at log-spaced generations. */
export function gaussianReport(input: GaussianTheoryInput) {
  const { samples: n, variance, temperature: t, dims: d } = input;
  const gens = curveGenerations(input.generations);
  const ns = (g: number): number[] => new Array<number>(g).fill(n);
  const [drift, spread] = logStepCumulants(n, variance, t);
  return {
    ...input,
    logVarianceDriftPerGeneration: drift,
    logVarianceVariancePerGeneration: spread,
    // ln σ² falls by |drift| per generation: a 10^{-12} shrink of the typical variance takes this long
    generationsToTypicalCollapse: drift < 0 ? Math.log(1e-12) / drift : null,
    generations: gens,
    varianceRatio: gens.map((g) => expectedVarianceRatio(ns(g), variance, t)),
    logVarianceChange: gens.map((g) => expectedLogVarianceChange(ns(g), variance, t)),
    medianVarianceRatio: gens.map((g) => medianVarianceRatio(ns(g), variance, t)),
    logDetChange: d > 1 ? gens.map((g) => expectedLogDetChange(ns(g), d, variance, t)) : null,
  };
}

function rows(r: ReturnType<typeof gaussianReport>): Row[] {
  const out: Row[] = [
    ['E[ln(σ²_{t+1}/σ²_t)] per generation', r.logVarianceDriftPerGeneration],
    ['Var[ln(σ²_{t+1}/σ²_t)] per generation', r.logVarianceVariancePerGeneration],
    ['generations until median σ² = 1e-12·σ²_0', r.generationsToTypicalCollapse === null ? null : Math.round(r.generationsToTypicalCollapse)],
    [''],
    ['generation', 'E[σ²_t]/σ²_0', 'E[ln σ²_t/σ²_0]', 'median σ²_t/σ²_0', ...(r.logDetChange ? ['E[ln det Σ_t/Σ_0]'] : [])],
  ];
  r.generations.forEach((g, i) => out.push([`${g}`, r.varianceRatio[i]!, r.logVarianceChange[i]!, r.medianVarianceRatio[i]!, ...(r.logDetChange ? [r.logDetChange[i]!] : [])]));
  return out;
}
