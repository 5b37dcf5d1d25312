// `ouro theory regression`: the test error of linear regression relabelled by its own fit
// (src/theory/regression.ts, after Dohmatob et al. 2024 and Gerstgrasser et al. 2024).
import type { Command } from 'commander';
import { accumulateBound, expectedTestError } from '../../theory/regression.ts';
import { curveGenerations } from './curve.ts';
import { emit, parseNumber, type Row } from './output.ts';

export function register(theory: Command): void {
  theory
    .command('regression')
    .description('E‖ŵ_t − w*‖² for replace (grows linearly) and accumulate (bounded by π²/6 × the first error)')
    .requiredOption('--rows <T>', 'T, rows of the fixed design')
    .requiredOption('--dims <d>', 'd, weights (T ≥ d + 2)')
    .option('--noise <σ>', 'label noise standard deviation', '1')
    .option('--generations <G>', 'last generation of the curve', '10')
    .option('--json', 'print one JSON document')
    .action((raw: { rows: string; dims: string; noise: string; generations: string; json?: boolean }) => {
      const dims = parseNumber('--dims', raw.dims, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give the number of weights, e.g. --dims 10.');
      const rows = parseNumber('--rows', raw.rows, (x) => Number.isInteger(x) && x >= dims + 2, `an integer ≥ d + 2 = ${dims + 2}`, 'With T ≤ d + 1 rows E tr (XᵀX)⁻¹ is infinite; give more rows, e.g. --rows 100.');
      const noise = parseNumber('--noise', raw.noise, (x) => x > 0, 'a number > 0', 'Give the label noise σ, e.g. --noise 1.');
      const generations = parseNumber('--generations', raw.generations, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give how many generations, e.g. --generations 10.');
      const r = regressionReport(rows, dims, noise, generations);
      emit(raw.json === true, r, `regression: T = ${rows}, d = ${dims}, σ = ${noise}`, table(r));
    });
}

/** What `ouro theory regression` prints: both policies' expected test error at every generation 0..G. */
export function regressionReport(rows: number, dims: number, noise: number, generations: number) {
  const gens = Array.from({ length: generations + 1 }, (_, t) => t);
  return {
    rows,
    dims,
    noise,
    generations: gens,
    replace: gens.map((t) => expectedTestError(t, rows, dims, noise, 'replace')),
    accumulate: gens.map((t) => expectedTestError(t, rows, dims, noise, 'accumulate')),
    accumulateBound: accumulateBound(rows, dims, noise),
  };
}

function table(r: ReturnType<typeof regressionReport>): Row[] {
  const out: Row[] = [['accumulate bound (π²/6)·σ²d/(T − d − 1)', r.accumulateBound], [''], ['generation', 'replace', 'accumulate']];
  const shown = new Set(r.generations.length <= 21 ? r.generations : curveGenerations(r.generations.length - 1));
  r.generations.forEach((g) => shown.has(g) && out.push([`${g}`, r.replace[g]!, r.accumulate[g]!]));
  return out;
}
