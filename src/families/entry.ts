// What a family folder exports besides its Family: the config sections it adds and how to
// set up one seed's experiment. The config layer composes these; nothing else needs to know
// a family by name.
import type { z } from 'zod';
import type { Experiment, LoopState } from '../core/loop.ts';
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
}
