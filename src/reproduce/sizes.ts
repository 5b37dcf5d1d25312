// How big each experiment is. `quick` finishes in minutes on 2 cores (CI runs it); `smoke`
// is smaller still, for the test suite; `full` is the reproduction the report headlines.

export type SizeName = 'smoke' | 'quick' | 'full';

export interface Size {
  readonly name: SizeName;
  /** Seeds of the coin and categorical experiments. */
  readonly seeds: number;
  /** Seeds of the one-generation step and temperature-map experiments. */
  readonly stepSeeds: number;
  readonly classifier: { readonly seeds: number; readonly generations: number };
  readonly ngram: {
    readonly categories: readonly string[] | undefined;
    readonly tokens: number;
    readonly seeds: number;
    readonly generations: number;
    readonly groundedGenerations: number;
  };
  readonly transformer: {
    readonly categories: readonly string[];
    readonly model: { readonly n_layer: number; readonly d_model: number; readonly n_head: number; readonly block_size: number };
    readonly steps: number;
    readonly finetuneSteps: number;
    readonly sentences: number;
    readonly generations: number;
    readonly probe: number;
  };
}

export const SIZES: Record<SizeName, Size> = {
  smoke: {
    name: 'smoke',
    seeds: 200,
    stepSeeds: 600,
    classifier: { seeds: 60, generations: 40 },
    ngram: { categories: ['humor'], tokens: 300, seeds: 2, generations: 20000, groundedGenerations: 100 },
    transformer: { categories: ['humor'], model: { n_layer: 1, d_model: 16, n_head: 2, block_size: 48 }, steps: 20, finetuneSteps: 5, sentences: 16, generations: 2, probe: 8 },
  },
  quick: {
    name: 'quick',
    seeds: 2000,
    stepSeeds: 4000,
    classifier: { seeds: 400, generations: 100 },
    ngram: { categories: ['humor'], tokens: 2000, seeds: 4, generations: 50000, groundedGenerations: 1000 },
    transformer: { categories: ['humor'], model: { n_layer: 1, d_model: 32, n_head: 2, block_size: 64 }, steps: 200, finetuneSteps: 20, sentences: 100, generations: 4, probe: 64 },
  },
  full: {
    name: 'full',
    seeds: 10000,
    stepSeeds: 20000,
    classifier: { seeds: 2000, generations: 200 },
    ngram: { categories: undefined, tokens: 10000, seeds: 4, generations: 100000, groundedGenerations: 2000 },
    transformer: { categories: ['humor'], model: { n_layer: 1, d_model: 32, n_head: 2, block_size: 64 }, steps: 400, finetuneSteps: 30, sentences: 200, generations: 10, probe: 100 },
  },
};
