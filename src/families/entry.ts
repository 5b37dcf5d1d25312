// What a family folder exports besides its Family: the config sections it adds and how to
// set up one seed's experiment. The config layer composes these; nothing else needs to know
// a family by name.
import type { z } from 'zod';
import type { Experiment, LoopOptions, LoopState } from '../core/loop.ts';
import type { Key } from '../core/random.ts';

/** Effects a family's setup may need, supplied by the outer ring (Node, a worker, a web page). */
export interface Io {
  readFile(path: string): Promise<Uint8Array>;
  importModule(specifier: string): Promise<unknown>;
}

/** The validated config as the base layer sees it; families read their own sections from it. */
export interface BaseConfig {
  readonly family: string;
  readonly loop: { readonly [k: string]: unknown };
  readonly [section: string]: unknown;
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

export interface FamilyEntry<C extends BaseConfig = BaseConfig, R = unknown> {
  readonly name: string;
  /** One line for `ouro --help` and the schema. */
  readonly description: string;
  /** What `collapsed` means for this family, in words a run summary shows beside the counts. */
  readonly collapse: string;
  /** Top-level config sections this family adds (init, model, corpus, reward, …). */
  readonly sections: z.ZodRawShape;
  /** Extra keys this family adds to `loop` (they may override base keys' schemas). */
  readonly loop?: z.ZodRawShape;
  /** Reads what setup needs from outside (files, packages) once per run. */
  resolve?(config: C, io: Io): Promise<R>;
  /** One seed's experiment, pure: uses `key` for anything random in generation 0. */
  setup(config: C, resources: R, key: Key): Experiment<unknown, unknown>;
  /**
   * Many seeds at once over typed arrays, bit-identical to the per-seed loop; undefined
   * where these options need the generic loop (the runner then steps seed by seed).
   */
  block?(config: C, resources: R, options: LoopOptions): SeedBlock | undefined;
  /** Training items per generation, when the family sizes it other than by `loop.samples`. */
  samples?(config: C): ((generation: number) => number) | undefined;
  /**
   * What theory predicts for this config: per metric name, the expected value at each of
   * `generations` (an array), or a scalar (e.g. meanAbsorption). Written to summary.json
   * `theory` so plots overlay it; null where no closed form applies to this config.
   */
  theory?(config: C, generations: readonly number[]): Record<string, readonly number[] | number | null>;
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
  base?(config: C, resources: R, key: Key): { readonly settings: unknown; readonly data: readonly ArrayBufferView[] };
}
