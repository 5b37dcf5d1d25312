// Data of the continuous families: n points in d dimensions, row-major, with the item-level
// operations the loop and the filters need (join, select; subsample is core/samplers.ts).
// Shared by the gaussian, mixture and classifier families.
import type { Sampling } from '../../core/family.ts';

/** n = x.length / dim points; point i is x[i·dim .. (i+1)·dim). */
export interface Points {
  readonly dim: number;
  readonly x: Float64Array;
}

/** The number of points. */
export function count(p: Points): number {
  return p.x.length / p.dim;
}

/** The points of every part, in order (parts share one dimension). */
export function concatPoints(parts: readonly Points[]): Points {
  const dim = parts[0]?.dim ?? 1;
  const x = new Float64Array(parts.reduce((s, p) => s + p.x.length, 0));
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at);
    at += p.x.length;
  }
  return { dim, x };
}

/** The points at `indices`, in that order. */
export function selectPoints(p: Points, indices: ArrayLike<number>): Points {
  const x = new Float64Array(indices.length * p.dim);
  for (let j = 0; j < indices.length; j++) x.set(p.x.subarray(indices[j]! * p.dim, (indices[j]! + 1) * p.dim), j * p.dim);
  return { dim: p.dim, x };
}

/** Why the families of points refuse truncation (their LoopSupport reason). */
export const DENSITY = 'top-k, top-p and min-p keep the most probable of finitely many outcomes, and a density has no such set';

/**
 * Throws unless `how` applies no truncation: top-k, top-p and min-p act on a finite set of
 * outcomes and have no meaning for a density. Temperature does (p^{1/T}); each family says how.
 */
export function checkNoTruncation(family: string, how: Sampling): void {
  if (how.topK !== 0 || how.topP !== 1 || how.minP !== 0) {
    throw new Error(`loop.topK/topP/minP: the ${family} family samples a density, where truncation to the most probable outcomes has no meaning; remove them (topK: 0, topP: 1, minP: 0)`);
  }
}
