// What "collapsed" means in a run's summary. Two senses, which differ whenever collapse is
// not absorbing (grounding λ > 0, policy augment): a seed collapsed *ever* if its model was
// collapsed at some generation ≤ H (its collapsedAt is set), and *at the end* if its last
// model is collapsed. Collapse times are censored at the horizon H: the mean over collapsed
// seeds estimates E[τ | τ ≤ H], never the unconditional E[τ]; the restricted mean
// E[min(τ, H)] uses every seed. Every censored seed is censored at the same H, so the
// Kaplan–Meier estimate of P(τ > g) is the empirical one and its restricted mean is this plain
// mean of min(τ, H).
import { stats, type Stats } from './aggregate.ts';

/** How many of `of` seeds, with the binomial standard error of the fraction. */
export interface Share {
  readonly seeds: number;
  readonly of: number;
  readonly fraction: number;
  readonly se: number;
}

export interface CollapseSummary {
  /** What the family calls collapsed (its entry's `collapse`), or null when it does not say. */
  readonly meaning: string | null;
  /** Whether a collapsed model stays collapsed under these loop options (then ever = at the end). */
  readonly absorbing: boolean;
  /** H: the generations each seed runs unless it stops in an absorbing collapse. */
  readonly horizon: number;
  /** Seeds whose model was collapsed at some generation ≤ H. */
  readonly ever: Share;
  /** Seeds whose last model is collapsed; null when some seed's is unknown (a log written before it was recorded). */
  readonly atEnd: Share | null;
  /** Collapse generation τ over the seeds with τ ≤ H: conditional on collapsing within the horizon. */
  readonly time: Stats | null;
  /** min(τ, H) over every seed: the restricted mean, with its standard error. */
  readonly restrictedTime: { readonly mean: number; readonly se: number } | null;
}

/** One seed's end: its first collapsed generation and whether its last model is collapsed (null: unknown). */
export interface SeedEnd {
  readonly collapsedAt: number | null;
  readonly collapsedAtEnd: boolean | null;
}

/** Both senses of collapse over the seeds' ends, censored at `horizon`. */
export function collapseSummary(ends: readonly SeedEnd[], horizon: number, absorbing: boolean, meaning: string | null): CollapseSummary {
  const times = ends.flatMap((e) => (e.collapsedAt === null ? [] : [e.collapsedAt]));
  const atEnd = ends.map((e) => e.collapsedAtEnd);
  const restricted = stats(ends.map((e) => Math.min(e.collapsedAt ?? horizon, horizon)));
  return {
    meaning,
    absorbing,
    horizon,
    ever: share(times.length, ends.length),
    atEnd: atEnd.includes(null) ? null : share(atEnd.filter(Boolean).length, ends.length),
    time: stats(times),
    restrictedTime: restricted && { mean: restricted.mean, se: restricted.se },
  };
}

function share(seeds: number, of: number): Share {
  const fraction = of ? seeds / of : 0;
  return { seeds, of, fraction, se: of ? Math.sqrt((fraction * (1 - fraction)) / of) : 0 };
}
