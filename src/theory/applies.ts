// "Does a closed form apply to this loop?", answered in one place from the typed loop options.
// Every result in theory/ describes a loop that draws from the model itself (no curation, no
// top-k/top-p/min-p truncation) and refits it (fine-tuning keeps nothing of the old model);
// each result then says which policies, grounding and temperatures it covers.
import type { LoopOptions, Policy } from '../core/loop.ts';

export interface Domain {
  /** The policies the result covers (accumulate: with every generation kept, unless `window`). */
  readonly policies: readonly Policy[];
  /** accumulate with a window of the last W generations is covered. */
  readonly window?: boolean;
  /** λ > 0 (real data each generation) is covered. */
  readonly grounded?: boolean;
  /** T ≠ 1 is covered. */
  readonly tempered?: boolean;
  /** The result needs the same n every generation. */
  readonly constantSamples?: boolean;
  /** Outcomes of the model: top-k ≥ this truncates nothing (default: any top-k truncates). */
  readonly outcomes?: number;
}

/** Whether the loop `l` lies inside `d`, the domain of a closed form. */
export function applies(d: Domain, l: LoopOptions): boolean {
  const s = l.sampling;
  const untruncated = (s.topK === 0 || s.topK >= (d.outcomes ?? Infinity)) && s.topP >= 1 && s.minP <= 0;
  const refit = l.training === 'scratch' || l.finetuneKeep === 0;
  return (
    untruncated &&
    refit &&
    l.filter.kind === 'none' &&
    d.policies.includes(l.policy) &&
    (d.window === true || l.accumulateWindow === undefined || l.policy !== 'accumulate') &&
    (d.grounded === true || l.realFraction === 0) &&
    (d.tempered === true || s.temperature === 1) &&
    (d.constantSamples !== true || l.constantSamples !== undefined)
  );
}
