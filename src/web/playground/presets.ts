// What the playground's knobs mean for each family it offers: data, not branches. A preset
// builds a config (the same shape as a config file) from the slider values.

/** The slider and menu values. */
export interface Knobs {
  readonly n: number;
  readonly k: number;
  readonly temperature: number;
  readonly realFraction: number;
  readonly policy: 'replace' | 'augment' | 'accumulate';
  readonly training: 'scratch' | 'finetune';
  readonly generations: number;
  readonly seeds: number;
  readonly seed: number;
}

/** One family as the playground offers it. */
export interface Preset {
  readonly family: string;
  readonly label: string;
  readonly n: { readonly label: string; readonly min: number; readonly max: number; readonly value: number };
  readonly k: { readonly label: string; readonly min: number; readonly max: number; readonly value: number };
  /** The metric plotted first. */
  readonly metric: string;
  config(knobs: Knobs): Record<string, unknown>;
}

/** A small built-in corpus: short sentences sharing words, so a bigram model has branches to lose. */
const CORPUS = [
  'the cat sat on the mat',
  'the dog sat on the log',
  'a cat saw the dog',
  'the dog saw a bird on the mat',
  'a bird sat on the cat',
  'the cat ran to the log',
  'a dog ran to the bird',
  'the bird saw the cat on the log',
].join('\n');

const loopOf = (k: Knobs): Record<string, unknown> => ({
  generations: k.generations, temperature: k.temperature, realFraction: k.realFraction, policy: k.policy, training: k.training,
  ...(k.training === 'finetune' ? { finetuneKeep: 0.5 } : {}),
});

/** The families the playground offers, shown when the worker's registry has them. */
export const PRESETS: readonly Preset[] = [
  {
    family: 'categorical',
    label: 'categorical (k outcomes, uniform start)',
    n: { label: 'n (samples per generation)', min: 2, max: 500, value: 20 },
    k: { label: 'k (outcomes)', min: 2, max: 10, value: 2 },
    metric: 'giniSimpson',
    config: (k) => ({ family: 'categorical', init: { probs: Array.from({ length: k.k }, () => 1 / k.k) }, loop: { ...loopOf(k), samples: k.n }, seeds: k.seeds, seed: k.seed }),
  },
  {
    family: 'ngram',
    label: 'n-gram on a built-in corpus (k = order)',
    n: { label: 'n (sentences per generation)', min: 2, max: 200, value: 20 },
    k: { label: 'k (model order)', min: 1, max: 4, value: 2 },
    metric: 'entropy',
    config: (k) => ({
      family: 'ngram', corpus: { source: 'toy', text: CORPUS, level: 'word', heldOut: 0 }, model: { order: k.k },
      loop: { ...loopOf(k), sentences: k.n, maxLength: 30 }, seeds: k.seeds, seed: k.seed,
    }),
  },
];

/** The ecosystem view's sliders (ecosystem.html): sizes, read weights, stubbornness, b's temperature and start. */
export const ECOSYSTEM_KNOBS = ['n', 'cross', 'human', 's', 'T', 'start', 'generations', 'seeds'] as const;
export type EcosystemKnobs = Readonly<Record<(typeof ECOSYSTEM_KNOBS)[number], number>>;

/** The ecosystem config the sliders describe: two coin agents (a at the truth ½, b at `start`) and people who read both. */
export function ecosystemConfig(k: EcosystemKnobs, seed: number): Record<string, unknown> {
  const self = Math.max(0, 1 - k.cross - k.human);
  return {
    family: 'categorical',
    init: { probs: [0.5, 0.5] },
    ecosystem: {
      agents: [{ name: 'a' }, { name: 'b', init: { probs: [k.start, 1 - k.start] }, temperature: k.T }],
      humans: { name: 'people', posts: k.n, reads: { a: 1, b: 1 }, stubbornness: k.s },
      reads: { a: { a: self, b: k.cross, people: k.human }, b: { a: k.cross, b: self, people: k.human } },
    },
    loop: { generations: k.generations, samples: k.n },
    seeds: k.seeds,
    seed,
  };
}
