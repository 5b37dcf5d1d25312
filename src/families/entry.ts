// What a family folder exports besides its Family: the config sections it adds, which loop
// settings it supports, and how to set up one seed's experiment from the typed settings.
// The config layer composes these (docs/architecture.md, "The family seam"); nothing else
// needs to know a family by name.
import type { z } from 'zod';
import type { EcosystemHooks } from '../core/ecosystem.ts';
import type { Experiment, LoopOptions, LoopState, Policy, SampleSpec } from '../core/loop.ts';
import type { Key } from '../core/random.ts';
import type { PoolPlan } from '../theory/pool-moments.ts';

/** Effects a family's setup may need, supplied by the outer ring (Node, a worker, a web page). */
export interface Io {
  readFile(path: string): Promise<Uint8Array>;
  importModule(specifier: string): Promise<unknown>;
  /** A compiled optional package (e.g. ouro-blas), loaded once per process; absent where none can load (a web page). */
  native?(module: string): NativeModule;
}

/** A compiled package as the outer ring loaded it: its exports, or none and why. */
export interface NativeModule {
  readonly exports?: unknown;
  /** Why it is (or is not) in use, for `ouro doctor`. */
  readonly reason: string;
  /** SHA-256 of the compiled file: results computed with it depend on it besides the sources. */
  readonly digest?: string;
}

/** Bytes a run needs for `what`, sized by the config key `field` (dotted, e.g. loop.tokens). */
export interface MemoryNeed {
  readonly field: string;
  readonly bytes: number;
  readonly what: string;
}

/** `true` when a family supports a setting, else the reason it does not (shown in the config error). */
export type Support = true | string;

/**
 * The loop settings a family supports. A setting it does not support keeps its neutral
 * default, and the schema refuses any other value at file:line:column with the reason given.
 */
export interface LoopSupport {
  /** One item of loop.samples, for messages and docs ("outcome", "point", "sentence", …). */
  readonly unit: string;
  /** loop.samples sizes a generation (else the family sizes it itself). */
  readonly samples: Support;
  /** loop.temperature ≠ 1. */
  readonly temperature: Support;
  /** loop.topK, loop.topP, loop.minP (they need a finite set of outcomes). */
  readonly truncation: Support;
  /** loop.training: finetune. */
  readonly finetune: Support;
  /** loop.finetuneKeep: fine-tuning keeps this share of the previous model. */
  readonly finetuneKeep: Support;
  /** loop.policy values. */
  readonly policies: readonly Policy[];
  /** loop.filter by: likelihood (keepTop, choice). */
  readonly likelihood: Support;
  /** loop.filter by: reward (needs the config's `reward` section). */
  readonly reward: Support;
  /** loop.filter kind: reject (needs the config's `reject` section). */
  readonly reject: Support;
}

/** What a block of seeds reports, by the seed's index `i` in the block, in generation order per seed. */
export interface BlockSink {
  record(i: number, generation: number, metrics: Record<string, number>): void;
  end(i: number, generation: number, collapsedAt: number | null, collapsedAtEnd: boolean, final: Record<string, string | number | null>, metrics: Record<string, number>): void;
  /** Every live seed of the block has stepped to `generation`. */
  progress?(generation: number): void;
}

/**
 * Steps a block of seeds together, each on its own keys (seedKeys[i] = foldIn(root, seed);
 * setupKeys[i] its generation-0 key), and reports exactly what loop() would per seed: the
 * metrics at every generation of `recorded` it reaches, then its end.
 */
export type SeedBlock = (seedKeys: readonly Key[], setupKeys: readonly Key[], recorded: readonly number[], sink: BlockSink) => void;

/** No keys: an entry typed this way (the registry's view) knows only the base settings. */
type None = Record<never, never>;

/** The output of a zod shape (of no shape: no keys, not an index of `never`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the type with no known keys
type Out<S extends z.ZodRawShape> = [keyof S] extends [never] ? {} : z.output<z.ZodObject<S>>;

/** The base loop keys; a family's own loop keys with these names override them (e.g. the urn's policy default). */
export type BaseLoopKey = keyof LoopOptions | 'temperature' | 'topK' | 'topP' | 'minP' | 'finetuneKeep';

/**
 * What setup, resolve, theory and checks receive: the family's own config sections (typed by
 * their schema), the root seed, and `loop`, the resolved LoopOptions plus the family's own loop keys.
 */
export type Settings<S extends z.ZodRawShape = None, L extends z.ZodRawShape = None> = Readonly<Out<S>> & {
  readonly seed: number;
  readonly loop: LoopOptions & Readonly<Omit<Out<L>, BaseLoopKey>>;
};

/**
 * A setting the data refutes, found where the data is read (resolve or setup): words a corpus
 * lacks, a corpus too small for a batch. The runner reports it at the setting's
 * file:line:column, as the schema reports what it can see.
 */
export class SettingError extends Error {
  override name = 'SettingError';
  constructor(
    readonly path: readonly (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/** Reports a config problem at `path` (e.g. ['reward'], ['loop', 'maxLength']); the schema turns it into file:line:column. */
export type Issue = (path: readonly (string | number)[], message: string) => void;

/** What theory predicts: per metric, a value at each requested generation, a scalar, or null where nothing applies. */
export type Prediction = Record<string, readonly number[] | number | null>;

/** An ecosystem as its theory sees it: every agent's own settings, the people, who posts and reads how much. */
export interface EcosystemTheoryInput<T> {
  /** The top-level settings: the truth the people start from and every agent's defaults. */
  readonly base: T;
  readonly agents: readonly { readonly name: string; readonly settings: T }[];
  readonly people?: { readonly name: string; readonly drift?: { readonly reads: readonly number[]; readonly stubbornness: number } | undefined } | undefined;
  readonly plan: PoolPlan;
  /** Whether every generation posts and reads the same (constant samples and posts). */
  readonly constant: boolean;
  readonly policy: 'replace' | 'accumulate';
}

/** What ecosystems of a family's agents need (docs/ecosystems.md); a family without it refuses `ecosystem:`. */
export interface EcosystemSupport<S extends z.ZodRawShape = None, L extends z.ZodRawShape = None, R = unknown> {
  /** People who read drift toward it (true), or why they cannot (they then only post real data). */
  readonly drift: Support;
  hooks(settings: Settings<S, L>, resources: R): EcosystemHooks<unknown, unknown>;
  /** Why an agent's settings put its items in another space than the base's (e.g. another number of outcomes), or undefined. */
  mismatch?(base: Settings<S, L>, agent: Settings<S, L>): string | undefined;
  /** Exact predictions keyed like the ecosystem's metrics (a.giniSimpson, disagreementSq, …), at each of `generations`. */
  theory?(eco: EcosystemTheoryInput<Settings<S, L>>, generations: readonly number[]): Prediction;
}

export interface FamilyEntry<S extends z.ZodRawShape = None, L extends z.ZodRawShape = None, R = unknown> {
  readonly name: string;
  /** One line for `ouro --help` and the schema. */
  readonly description: string;
  /** What `collapsed` means for this family, in words a run summary shows beside the counts. */
  readonly collapse: string;
  /** Top-level config sections this family adds (init, model, corpus, reward, …). */
  readonly sections: S;
  /** Which loop settings this family supports; the schema refuses the rest. */
  readonly supports: LoopSupport;
  /** Extra keys this family adds to `loop` (a base key here overrides its schema, e.g. a default). */
  readonly loop?: L;
  /**
   * Dotted keys of this family's config that name files or directories (corpus.path). A
   * relative one is read from the config file's directory (from the working directory when
   * it came from --set); the run's config.json holds it absolute.
   */
  readonly paths?: readonly string[];
  /** The sample spec when the family sizes generations itself, by its own keys (undefined: by loop.samples). */
  samples?(config: Readonly<Out<S>> & { readonly loop: Readonly<Out<L>> }): SampleSpec | undefined;
  /** Checks across fields that one key's schema cannot see (a reward per outcome, n ≥ 2, …). */
  check?(settings: Settings<S, L>, issue: Issue): void;
  /** Reads what setup needs from outside (files, packages) once per run. */
  resolve?(settings: Settings<S, L>, io: Io): Promise<R>;
  /** One seed's experiment, pure: uses `key` for anything random in generation 0. */
  setup(settings: Settings<S, L>, resources: R, key: Key): Experiment<unknown, unknown>;
  /**
   * Many seeds at once over typed arrays, bit-identical to the per-seed loop; undefined
   * where these settings need the generic loop (the runner then steps seed by seed).
   */
  block?(settings: Settings<S, L>, resources: R): SeedBlock | undefined;
  /**
   * The least seeds per block (and per row group of metrics.parquet) where `block` applies: its
   * seeds are cheap, so a block's fixed costs would dominate smaller ones. Absent: blocks are
   * sized as for a per-seed family (the row groups, hence the files, of runs made before).
   */
  readonly blockSeeds?: number;
  /**
   * What theory predicts for these settings at each of `generations`, written to summary.json
   * `theory` so plots overlay it; null where no closed form applies. It must not read the
   * name, the root seed or the seed list: runs that differ only in those share one evaluation.
   */
  theory?(settings: Settings<S, L>, generations: readonly number[]): Prediction;
  /** One model drawn as a graph (`ouro graph`): its data, and Graphviz DOT under `title`. */
  graph?(model: unknown, experiment: Experiment<unknown, unknown>): { readonly data: object; dot(title: string): string };
  /**
   * The least memory one seed of these settings needs while it steps (its model, a generation's
   * samples), part by part with the config key that sizes each: config/budget.ts refuses a run
   * that cannot fit before any work. Lower bounds only: a refusal must be certain.
   */
  memory?(settings: Settings<S, L>): readonly MemoryNeed[];
  /**
   * What besides the config decides the bytes of this family's results here (a GEMM, compiled
   * kernels and their build, the CPU kernels a library chose), recorded in config.json; a resume
   * or queue result on other arithmetic is refused (store/arithmetic.ts). Absent: the sources alone.
   */
  arithmetic?(resources: R): Readonly<Record<string, string | null>>;
  /** Lines this family adds to `ouro doctor` (what it found on this machine: a compiled package in use, and why). */
  doctor?(io: Io): Record<string, string | number | null>;
  /**
   * Binary checkpoints of a loop state (e.g. safetensors for network weights), for families
   * whose models are too large to replay cheaply; without this hook a run resumes by replay.
   */
  checkpoint?: {
    readonly ext: string;
    encode(state: LoopState<unknown, unknown>): Uint8Array;
    decode(bytes: Uint8Array, experiment: Experiment<unknown, unknown>): LoopState<unknown, unknown>;
  };
  /**
   * For families whose generation 0 is costly to make (a pretrained network) and that have a
   * `checkpoint` encoding: everything generation 0 of the seed with setup key `key` depends on,
   * so the runner keeps it in a content-addressed cache and reuses it across seeds, runs and
   * machines (src/runner/base-cache.ts). `settings` is hashed as JSON, `data` byte for byte.
   */
  base?(settings: Settings<S, L>, resources: R, key: Key): { readonly settings: unknown; readonly data: readonly ArrayBufferView[] };
  /** Agents of this family sharing a pool with people (`ecosystem:` configs). */
  readonly ecosystem?: EcosystemSupport<S, L, R>;
}

/** Types an entry from its sections and loop keys (no runtime effect). */
export function defineFamily<S extends z.ZodRawShape, L extends z.ZodRawShape = None, R = undefined>(entry: FamilyEntry<S, L, R>): FamilyEntry<S, L, R> {
  return entry;
}
