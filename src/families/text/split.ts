// The seeded held-out split of a corpus into training and held-out sentences.
import type { Key } from '../../core/random.ts';
import { subsampleIndices } from '../../core/samplers.ts';

export interface Split<T> {
  readonly train: T[];
  readonly heldOut: T[];
}

/**
 * Holds out round(fraction · n) sentences chosen uniformly at random with `key`
 * (subsampleIndices); both parts keep corpus order. Training must keep at least one sentence.
 */
export function splitHeldOut<T>(sentences: readonly T[], fraction: number, key: Key): Split<T> {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`heldOut must be in [0, 1), got ${fraction}`);
  const n = sentences.length;
  const m = Math.round(fraction * n);
  if (m >= n) throw new Error(`corpus: holding out ${m} of ${n} sentences leaves nothing to train on; lower corpus.heldOut or use a larger corpus`);
  const held = new Uint8Array(n);
  for (const i of subsampleIndices(n, m, key)) held[i] = 1;
  return { train: sentences.filter((_, i) => !held[i]), heldOut: sentences.filter((_, i) => held[i]) };
}
