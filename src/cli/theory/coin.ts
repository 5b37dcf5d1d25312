// `ouro theory coin`: the exact Markov chain of the coin loop (src/theory/coin-chain.ts) —
// mean generations to collapse and the probability that outcome 0 is the one that survives —
// beside the diffusion approximations and closed forms that apply to these settings.
import type { Command } from 'commander';
import { absorption, censoredCollapse, coinChain, collapsedBy, expectations, fixationProbability, MAX_RESOLVED_TIME, meanAbsorption, shareMoments, stationary, type CoinChain, type CoinLoop } from '../../theory/coin-chain.ts';
import { groundedVariance, kimuraOhta, weakTemperatureDiffusion } from '../../theory/diffusion.ts';
import { giniSimpsonReplace } from '../../theory/heterozygosity.ts';
import { coinFixedPoints } from '../../theory/temperature-map.ts';
import { emit, parseNumber, type Row } from './output.ts';

/** Dense solves keep (n − 1)² doubles: n = 5000 is 200 MB and 6–9 s (measured on a loaded machine). */
const MAX_SAMPLES = 5000;

export function register(theory: Command): void {
  theory
    .command('coin')
    .description('exact Markov-chain predictions for a coin refit on its own flips (policy replace, training scratch)')
    .requiredOption('--samples <n>', 'n, flips per generation')
    .option('--temperature <T>', 'sampling temperature (0 = argmax)', '1')
    .option('--start <p>', "p₀, generation 0's probability of outcome 0", '0.5')
    .option('--real-fraction <λ>', 'share of each generation drawn fresh from p₀', '0')
    .option('--generations <G>', 'also give P(collapsed by g) for g = 1..G, and what a run of G generations observes: P(τ ≤ G), E[τ | τ ≤ G], E[min(τ, G)]')
    .option('--json', 'print one JSON document')
    .action((raw: { samples: string; temperature: string; start: string; realFraction: string; generations?: string; json?: boolean }) => {
      const loop = parseCoinFlags(raw);
      const g = raw.generations === undefined ? undefined : parseNumber('--generations', raw.generations, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', 'Give how many generations the curve should cover, e.g. --generations 100.');
      printCoin(coinReport(loop, g), raw.json === true);
    });
}

/** The coin's flags as numbers, or a UsageError naming the bad flag (exit 2). */
export function parseCoinFlags(raw: { samples: string; temperature: string; start: string; realFraction: string }): CoinLoop {
  return {
    samples: parseNumber('--samples', raw.samples, (x) => Number.isInteger(x) && x >= 1 && x <= MAX_SAMPLES, `an integer from 1 to ${MAX_SAMPLES}`, 'Give the flips per generation as a whole number, e.g. --samples 20.'),
    temperature: parseNumber('--temperature', raw.temperature, (x) => x >= 0, 'a number ≥ 0', 'Use a non-negative temperature; 1 samples the model as it is, 0 is argmax.'),
    start: parseNumber('--start', raw.start, (x) => x >= 0 && x <= 1, 'a probability in [0, 1]', 'Give the probability of outcome 0 in generation 0, e.g. --start 0.5.'),
    realFraction: parseNumber('--real-fraction', raw.realFraction, (x) => x >= 0 && x <= 1, 'a fraction in [0, 1]', 'Give the share of real data per generation, e.g. --real-fraction 0.1.'),
  };
}

/** What `ouro theory coin` prints (the JSON document); pure, so tests call it directly. */
export function coinReport(loop: CoinLoop, generations?: number) {
  const chain = coinChain(loop);
  const abs = absorption(chain);
  const n = loop.samples;
  const neutral = loop.temperature === 1 && chain.nReal === 0;
  const grounded = chain.nReal > 0 && loop.start > 0 && loop.start < 1;
  const gs = (p: number): number => 2 * p * (1 - p);
  const curve = generations === undefined ? undefined : Array.from({ length: generations }, (_, i) => i + 1);
  const stat = grounded ? shareMoments(stationary(chain)) : undefined;
  const mean = meanAbsorption(chain, abs);
  const notes: string[] = [];
  if (!Number.isFinite(mean)) notes.push(`the mean time to collapse exceeds ${MAX_RESOLVED_TIME.toExponential()} generations (beyond what the chain resolves): this loop practically never collapses`);
  if (loop.realFraction > 0 && chain.nReal === 0) notes.push(`λn = ${loop.realFraction * n} rounds to 0 real flips per generation, so this loop is not grounded; use λ ≥ ${0.5 / n} for at least one real flip`);
  return {
    samples: n,
    temperature: loop.temperature,
    start: loop.start,
    realFraction: loop.realFraction,
    realFlips: chain.nReal,
    meanAbsorption: Number.isFinite(mean) ? mean : null,
    fixationProbability: fixationProbability(chain, abs),
    diffusion: diffusion(loop, chain.nReal),
    fixedPoints: coinFixedPoints(loop.temperature),
    notes,
    byState: { times: Array.from(abs.times, (x) => (Number.isFinite(x) ? x : null)), fixation: Array.from(abs.fixation) },
    ...(stat ? { stationary: { mean: stat.mean, variance: stat.variance, varianceClosedForm: loop.temperature === 1 ? groundedVariance(loop.start, n, chain.nReal / n) : null } } : {}),
    ...(curve
      ? {
          // What `ouro run` of G generations sets beside its seeds (collapse times censored at G).
          censored: censored(chain, curve.length),
          collapsedBy: collapsedBy(chain, curve),
          giniSimpson: expectations(chain, gs, curve),
          giniSimpsonClosedForm: neutral ? curve.map((t) => giniSimpsonReplace(gs(loop.start), n, t)) : null,
        }
      : {}),
  };
}

/** P(τ ≤ H), E[τ | τ ≤ H] and E[min(τ, H)] of the exact chain: the censored times a run of H generations observes. */
function censored(chain: CoinChain, horizon: number): { horizon: number; probability: number; meanIfCollapsed: number | null; restrictedMean: number } {
  const c = censoredCollapse(chain, horizon)!; // no step limit: never null
  return { horizon, probability: c.probability, meanIfCollapsed: c.meanIfCollapsed, restrictedMean: c.restrictedMean };
}

/** Prints a report as one JSON document (json) or as a table. */
export function printCoin(r: ReturnType<typeof coinReport>, json: boolean): void {
  emit(json, r, `coin: n = ${r.samples}, T = ${r.temperature}, p₀ = ${r.start}, λ = ${r.realFraction}`, rows(r));
}

/** Kimura–Ohta at T = 1; the weak-temperature diffusion otherwise; none when grounded or T = 0. */
function diffusion(loop: CoinLoop, nReal: number): { formula: string | null; meanAbsorption: number | null; fixationProbability: number | null } {
  const { samples: n, temperature: t, start: p } = loop;
  if (nReal > 0 || t === 0) return { formula: null, meanAbsorption: null, fixationProbability: null };
  if (t === 1) return { formula: 'Kimura–Ohta', meanAbsorption: kimuraOhta(p, n), fixationProbability: p };
  const d = weakTemperatureDiffusion(p, n, t);
  return { formula: 'weak-temperature diffusion', meanAbsorption: Number.isFinite(d.meanAbsorption) ? d.meanAbsorption : null, fixationProbability: d.fixationProbability };
}

function rows(r: ReturnType<typeof coinReport>): Row[] {
  const firstHit = r.realFlips > 0 ? ' (first point mass)' : '';
  const out: Row[] = [
    [''],
    ['', 'exact chain', r.diffusion.formula ?? 'diffusion'],
    [`meanAbsorption${firstHit}`, r.meanAbsorption ?? `> ${MAX_RESOLVED_TIME.toExponential()}`, r.diffusion.meanAbsorption],
    [`fixationProbability of outcome 0${firstHit}`, r.fixationProbability, r.diffusion.fixationProbability],
  ];
  if (r.stationary) out.push(['stationary mean of p', r.stationary.mean, null], ['stationary variance of p', r.stationary.variance, r.stationary.varianceClosedForm]);
  out.push([`fixed points of τ_T: ${r.fixedPoints.map((f) => `${f.p} ${f.stability}`).join(', ')}`]);
  if (r.censored) {
    const h = r.censored.horizon;
    out.push([''], [`a run of ${h} generations (collapse times censored at ${h})`, 'exact chain']);
    out.push([`P(τ ≤ ${h}), share of seeds collapsed${firstHit}`, r.censored.probability]);
    out.push([`E[τ | τ ≤ ${h}], mean over the seeds collapsed`, r.censored.meanIfCollapsed]);
    out.push([`E[min(τ, ${h})], mean over all seeds`, r.censored.restrictedMean]);
  }
  if (r.collapsedBy) {
    out.push([''], ['generation', 'P(collapsed by g)', 'E[Gini–Simpson]', 'closed form']);
    for (const g of logSpaced(r.collapsedBy.length)) out.push([String(g), r.collapsedBy[g - 1]!, r.giniSimpson?.[g - 1] ?? null, r.giniSimpsonClosedForm?.[g - 1] ?? null]);
  }
  for (const note of r.notes) out.push([`note: ${note}`]);
  return out;
}

/** 1, 2, 5, 10, 20, 50, … up to G, and G itself. */
function logSpaced(last: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= last; d *= 10) for (const m of [1, 2, 5]) if (m * d < last) out.push(m * d);
  out.push(last);
  return out;
}
