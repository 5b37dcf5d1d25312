// Small models and corpora for the transformer tests. Test support only.
import { key, Rng } from '../../core/random.ts';
import type { Packed } from '../text/index.ts';
import { initParams, layout, type GptConfig } from './params.ts';
import { packSentences } from '../text/index.ts';
import type { TrainOptions } from './train.ts';

export const tiny: GptConfig = { vocab_size: 6, block_size: 16, n_layer: 2, n_head: 2, d_model: 16, tied: true };

/** Random weights, scaled up so the next-token distributions are far from uniform. */
export function randomParams(c: GptConfig, seed: number, gain = 20): Float32Array {
  const p = initParams(c, key(seed), new Float32Array(layout(c).total));
  for (let i = 0; i < p.length; i++) p[i] = p[i]! * gain;
  return p;
}

/** Sentences "2 3 4 2 3 4 …" of varying length and phase: a corpus a model can learn fast. */
export function patternCorpus(n: number, seed: number): Packed {
  const rng = new Rng(key(seed));
  return packSentences(Array.from({ length: n }, () => Int32Array.from({ length: 3 + rng.int(8) }, (_, j) => 2 + ((j + rng.int(1)) % 3))));
}

export const quickTrain: TrainOptions = { lr: 1e-2, warmup: 5, minLrFraction: 0.1, weightDecay: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, clip: 1, batch: 4, steps: 60 };
