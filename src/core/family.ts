// The one seam between the loop and a model family (docs/architecture.md, "The family seam").
import type { Key } from './random.ts';

/** How a model is sampled: temperature (0 = argmax), top-k (0 = off), top-p (1 = off), min-p (0 = off). */
export interface Sampling {
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly minP: number;
}

/** Sampling the model as it is. */
export const PLAIN: Sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };

/**
 * A model family: how to learn a model from data and how to draw data from a model. Data is
 * the family's own type; the loop only sizes, joins and subsamples it. Models are plain
 * readonly data that round-trip through JSON (typed arrays become arrays; `revive` undoes it).
 */
export interface Family<Model, Data> {
  readonly name: string;
  size(data: Data): number;
  concat(parts: readonly Data[]): Data;
  subsample(data: Data, n: number, key: Key): Data;
  fit(data: Data, opts: { key: Key; from?: Model }): Model; // `from` = fine-tune
  sample(model: Model, n: number, how: Sampling, key: Key): Data;
  logLikelihood?(model: Model, data: Data): Float64Array; // per item: filters, entropy estimates
  metrics(model: Model, ref: { initial: Model; heldOut?: Data }): Record<string, number>;
  collapsed(model: Model): boolean;
  /**
   * Whether collapse is absorbing: `collapsed` is support-based (outcomes of probability 0 are
   * never drawn), so a collapsed model's own samples refit to a collapsed model and nothing can
   * leave it but real data. A threshold (a variance ratio, identical probe samples) is not: the
   * model keeps moving, so a seed collapsed by it is never stopped or carried forward as exact.
   */
  readonly absorbing: boolean;
  /** What a seed ends on, for its summary (e.g. fixedOn for a categorical, the sentence for text). */
  final?(model: Model): Record<string, string | number | null>;
  /** Up to `max` items of `data` as text, saved with recorded generations (text families). */
  show?(data: Data, max: number): string[];
  /**
   * What the model itself writes, saved with recorded generations instead of `show`'s training
   * data (text families): up to `max` texts it samples, and its most frequent tokens with their
   * shares of the tokens it samples.
   */
  inspect?(model: Model, max: number): { texts: string[]; topTokens: { token: string; share: number }[] };
  // Curation (filters.ts): per-item scores over the items of `data` in a fixed order, and
  // the data made of the items at `indices` of that order.
  reward?(data: Data): Float64Array; // the reward the experiment's config supplies
  accept?(data: Data): Uint8Array; // 1 = passes the family's `reject` predicate
  select?(data: Data, indices: ArrayLike<number>): Data;
}
