// How big each experiment is. `quick` finishes in minutes on 2 cores (CI runs it); `smoke`
// is smaller still, for the test suite; `full` is the reproduction the report headlines.

export type SizeName = 'smoke' | 'quick' | 'full';

export interface Size {
  readonly name: SizeName;
  /** The ecosystems study (docs/ecosystems.md): seeds and horizon of its coin experiments, and the Brown pair. */
  readonly ecosystem: {
    readonly seeds: number;
    readonly horizon: number;
    readonly brown: { readonly categories: readonly string[] | undefined; readonly tokens: number; readonly seeds: number; readonly generations: number };
  };
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
    /** Brown categories the model is pretrained on (all 500 texts when absent). */
    readonly categories: readonly string[] | undefined;
    /** BPE ids in all. */
    readonly vocab: number;
    readonly model: { readonly n_layer: number; readonly d_model: number; readonly n_head: number; readonly block_size: number };
    /** Generation 0 (shared by every run) and each generation's fine-tuning. */
    readonly pretrain: { readonly epochs: number; readonly batch: number; readonly lr: number; readonly warmup: number };
    /**
     * No weight decay when fine-tuning: decay pulls every weight towards 0, so each generation
     * would move the model towards the uniform distribution (higher entropy) whatever it was
     * fed; at T = 1 the loop itself has no such drift (E over its own samples of the gradient
     * of their log-likelihood is 0), and fine-tuning recipes for GPT-2 use none by default.
     */
    readonly finetune: { readonly epochs: number; readonly batch: number; readonly lr: number; readonly warmup: number; readonly weightDecay: number };
    /** Samples per generation and their length in tokens. */
    readonly sequences: number;
    readonly length: number;
    /** Generations of every temperature (identical probe samples are not absorbing, so every seed runs them all). */
    readonly generations: number;
    readonly seeds: number;
    /** Probe samples per model (entropyMC, repetition) and held-out sentences scored. */
    readonly probe: number;
    readonly heldOut: number;
    /** Generations per window of the verdicts (trajectory.ts). */
    readonly window: number;
  };
}

/** `size` with every experiment at `seeds` seeds (ouro reproduce --seeds). */
export function withSeeds(size: Size, seeds: number): Size {
  return {
    ...size,
    seeds,
    stepSeeds: seeds,
    classifier: { ...size.classifier, seeds },
    ecosystem: { ...size.ecosystem, seeds, brown: { ...size.ecosystem.brown, seeds } },
    ngram: { ...size.ngram, seeds },
    transformer: { ...size.transformer, seeds },
  };
}

export const SIZES: Record<SizeName, Size> = {
  smoke: {
    name: 'smoke',
    seeds: 200,
    ecosystem: { seeds: 200, horizon: 60, brown: { categories: ['humor'], tokens: 200, seeds: 6, generations: 20000 } },
    stepSeeds: 600,
    classifier: { seeds: 60, generations: 40 },
    ngram: { categories: ['humor'], tokens: 300, seeds: 2, generations: 20000, groundedGenerations: 100 },
    transformer: {
      categories: ['humor'], vocab: 320, model: { n_layer: 1, d_model: 16, n_head: 2, block_size: 32 },
      pretrain: { epochs: 0.2, batch: 8, lr: 3e-3, warmup: 5 }, finetune: { epochs: 1, batch: 8, lr: 1e-3, warmup: 2, weightDecay: 0 },
      sequences: 16, length: 12, generations: 3, seeds: 2, probe: 8, heldOut: 8, window: 1,
    },
  },
  quick: {
    name: 'quick',
    seeds: 2000,
    ecosystem: { seeds: 1000, horizon: 300, brown: { categories: ['humor'], tokens: 500, seeds: 10, generations: 50000 } },
    stepSeeds: 4000,
    classifier: { seeds: 400, generations: 100 },
    ngram: { categories: ['humor'], tokens: 2000, seeds: 4, generations: 50000, groundedGenerations: 1000 },
    transformer: {
      categories: ['humor', 'romance', 'adventure'], vocab: 1024, model: { n_layer: 2, d_model: 64, n_head: 4, block_size: 48 },
      pretrain: { epochs: 3, batch: 32, lr: 3e-3, warmup: 100 }, finetune: { epochs: 1, batch: 32, lr: 1e-3, warmup: 10, weightDecay: 0 },
      sequences: 1000, length: 30, generations: 30, seeds: 3, probe: 200, heldOut: 300, window: 3,
    },
  },
  full: {
    name: 'full',
    seeds: 10000,
    ecosystem: { seeds: 10000, horizon: 1000, brown: { categories: ['humor', 'romance', 'adventure'], tokens: 2000, seeds: 20, generations: 100000 } },
    stepSeeds: 20000,
    classifier: { seeds: 2000, generations: 200 },
    ngram: { categories: undefined, tokens: 10000, seeds: 4, generations: 100000, groundedGenerations: 2000 },
    transformer: {
      categories: undefined, vocab: 2048, model: { n_layer: 2, d_model: 128, n_head: 4, block_size: 64 },
      pretrain: { epochs: 4, batch: 32, lr: 3e-3, warmup: 200 }, finetune: { epochs: 1, batch: 32, lr: 1e-3, warmup: 10, weightDecay: 0 },
      sequences: 4000, length: 30, generations: 200, seeds: 3, probe: 500, heldOut: 500, window: 10,
    },
  },
};
