// `ouro theory urn`: where the policing urn's attention goes (src/theory/urn.ts, after Ensign
// et al., "Runaway Feedback Loops in Predictive Policing", FAT* 2018).
import type { Command } from 'commander';
import { betaI } from '../../core/special.ts';
import { limitingShare, policingMatrix, polyaLimit, replacementFixedPoints, trueShares } from '../../theory/urn.ts';
import { UsageError } from '../errors.ts';
import { parseList } from './curve.ts';
import { emit, parseNumber, type Row } from './output.ts';

export interface UrnTheoryInput {
  readonly rates: readonly [number, number];
  readonly reported: number;
  readonly corrected: boolean;
  readonly prior: readonly [number, number];
  readonly balls: number;
}

export function register(theory: Command): void {
  theory
    .command('urn')
    .description('fixed points, runaway and the Beta limit of the 2-region policing urn (policy accumulate)')
    .requiredOption('--rates <a,b>', 'λ: probability that a visit to each region discovers an incident')
    .option('--reported <r>', 'each round region j reports an incident with probability r·λ_j', '0')
    .option('--corrected', 'weigh each discovery by 1/P(looked there)')
    .option('--prior <a,b>', 'initial balls per region', '1,1')
    .option('--balls <c>', 'balls each incident adds', '1')
    .option('--json', 'print one JSON document')
    .action((raw: { rates: string; reported: string; corrected?: boolean; prior: string; balls: string; json?: boolean }) => {
      const two = (flag: string, s: string, ok: (x: number) => boolean, expected: string, fix: string): [number, number] => {
        const xs = parseList(s, (one) => parseNumber(flag, one, ok, expected, fix));
        if (xs.length !== 2) throw new UsageError(`${flag}: expected two comma-separated numbers (one per region), got ${JSON.stringify(s)}. ${fix}`);
        return [xs[0]!, xs[1]!];
      };
      const input: UrnTheoryInput = {
        rates: two('--rates', raw.rates, (x) => x >= 0 && x <= 1, 'rates in [0, 1]', 'Give two discovery probabilities, e.g. --rates 0.3,0.2.'),
        reported: parseNumber('--reported', raw.reported, (x) => x >= 0 && x <= 1, 'a number in [0, 1]', 'Give the reporting probability, e.g. --reported 0.5.'),
        corrected: raw.corrected === true,
        prior: two('--prior', raw.prior, (x) => x > 0, 'ball counts > 0', 'Give the initial balls per region, e.g. --prior 1,1.'),
        balls: parseNumber('--balls', raw.balls, (x) => x > 0, 'a number > 0', 'Give the balls each incident adds, e.g. --balls 1.'),
      };
      if (input.rates[0] + input.rates[1] === 0) throw new UsageError('--rates: expected at least one rate > 0, got 0,0. With both rates 0 no incident is ever found; e.g. --rates 0.3,0.2.');
      const r = urnReport(input);
      emit(raw.json === true, r, `urn: λ = ${input.rates.join(', ')}, r = ${input.reported}${input.corrected ? ', corrected' : ''}, prior ${input.prior.join(', ')}`, rows(r));
    });
}

/** What `ouro theory urn` prints: the mean replacement matrix, its fixed points, the limit of region 0's share. */
export function urnReport(input: UrnTheoryInput) {
  const matrix = policingMatrix(input.rates, input.reported);
  const polya = !input.corrected && input.reported === 0 && input.rates[0] === input.rates[1];
  const [a, b] = input.prior;
  return {
    ...input,
    trueShare: trueShares(input.rates)[0]!,
    replacementMatrix: matrix,
    fixedPoints: input.corrected ? null : replacementFixedPoints(matrix),
    limitingShare: limitingShare(input.rates, input.reported, input.corrected),
    runaway: !input.corrected && input.reported === 0 && input.rates[0] !== input.rates[1],
    betaLimit: polya ? betaSummary(polyaLimit(a, b, input.balls)) : null,
  };
}

// Every visit adds c balls with probability λ (equal for both), which only slows time: the
// urn is the standard one, and the limit is Beta(a/c, b/c).
function betaSummary({ alpha: a, beta: b }: { alpha: number; beta: number }) {
  const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  return { alpha: a, beta: b, mean: a / (a + b), sd, cdfAt: [0.1, 0.25, 0.5, 0.75, 0.9].map((x) => ({ share: x, cdf: betaI(a, b, x) })) };
}

function rows(r: ReturnType<typeof urnReport>): Row[] {
  const out: Row[] = [
    ["region 0's true share λ₀/(λ₀ + λ₁)", r.trueShare],
    ['mean replacement matrix R[i][j]', r.replacementMatrix.map((row) => `[${row.map((x) => x.toPrecision(4)).join(', ')}]`).join(' ')],
    ["limit of region 0's attention share", r.limitingShare ?? 'random (Beta law below)'],
    ['runaway', r.runaway ? 'yes: the higher rate takes all attention' : 'no'],
  ];
  if (r.fixedPoints) out.push(['fixed points of the mean flow', r.fixedPoints.length ? r.fixedPoints.map((f) => `${f.share.toPrecision(6)} ${f.stability}`).join(', ') : 'every share (Pólya urn)']);
  if (r.betaLimit) {
    out.push(['limit law', `Beta(${r.betaLimit.alpha}, ${r.betaLimit.beta}): mean ${r.betaLimit.mean.toPrecision(6)}, sd ${r.betaLimit.sd.toPrecision(6)}`]);
    for (const c of r.betaLimit.cdfAt) out.push([`P(limit ≤ ${c.share})`, c.cdf]);
  }
  return out;
}
