// What an ecosystem of n-gram agents needs beyond the family: the entropy of the pool, the
// sentence entropy of the n-gram model the pooled sentences make (unsmoothed counts, so it is
// the law of the pool itself). Every agent shares the run's vocabulary (resources, built once
// from the corpus), so any agent can read any other's sentences. People post real sentences;
// they do not drift (a mixture of sentence distributions is not an n-gram model).
import type { EcosystemHooks } from '../../core/ecosystem.ts';
import type { Packed } from '../text/vocab.ts';
import { sentenceEntropy, visits } from './graph.ts';
import { fitCounts, type NgramModel } from './model.ts';

export const NO_DRIFT = 'a mixture of sentence distributions is not an n-gram model';

export function ngramHooks(order: number): EcosystemHooks<NgramModel, Packed> {
  return {
    poolEntropy(data) {
      const m = fitCounts(order, data);
      return sentenceEntropy(m, visits(m));
    },
  };
}
