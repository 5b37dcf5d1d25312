// The seeds of a run, in one place for every ring that runs or reads them (runner, exports,
// report, playground): the keys a seed draws from, and which values stand for a seed at a
// generation after it stopped. Pure and browser-safe (docs/architecture.md, "Keys").
import { foldIn, key, type Key } from './random.ts';

/** The key of seed s of the run with root seed `root`: foldIn(key(root), s). Generation t ≥ 1 of the seed draws from generationKey(seedKey, t). */
export function seedKey(root: number, seed: number): Key {
  return foldIn(key(root), seed);
}

/** The key generation t ≥ 1 of a seed draws from (loop.ts splits it into its streams; an ecosystem into its authors'). */
export function generationKey(seedKey: Key, t: number): Key {
  return foldIn(seedKey, t);
}

/** Generation 0's key (setup: the initial model, the fixed real data): foldIn(seedKey, 0), which no generation of the loop uses. */
export function setupKey(root: number, seed: number): Key {
  return foldIn(seedKey(root, seed), 0);
}

/** How a seed's log ends: its last generation, and its first collapsed one (null if none). */
export interface SeedEnd {
  readonly generation: number;
  readonly collapsedAt: number | null;
}

/**
 * Whether a seed stopped for good: it ended before the `horizon` (the run's generations) with
 * a collapse. The loop ends a seed early only at an absorbing collapse (stopWhenCollapsed and
 * collapseIsAbsorbing), after which its model never changes, so its last values are exact at
 * every later generation. A seed that ended early without one has no values past its end.
 */
export function stoppedForGood(end: SeedEnd, horizon: number): boolean {
  return end.collapsedAt !== null && end.generation < horizon;
}

/**
 * The values that stand for a seed at generation g: its own (`own`, its values recorded at g)
 * while it ran; its end's values at any g past an end where it stopped for good; else none
 * (a seed still running, or a damaged log, has no value there).
 */
export function standingAt<V>(g: number, own: V | undefined, end: (SeedEnd & { readonly values: V }) | undefined, horizon: number): V | undefined {
  if (own !== undefined) return own;
  return end !== undefined && g > end.generation && stoppedForGood(end, horizon) ? end.values : undefined;
}
