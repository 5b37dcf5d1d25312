// Test support for the continuous families (imported by tests only): a config object run
// through the real config parser and runner preparation, then the loop for a few seeds.
import { loop, type LoopState } from '../core/loop.ts';
import { parseConfig } from '../config/load.ts';
import { experimentOf, prepare, type Prepared } from './prepare.ts';
import { seedKey } from '../core/seeds.ts';

const NO_IO = {
  readFile: () => Promise.reject(new Error('no files in tests')),
  importModule: () => Promise.reject(new Error('no modules in tests')),
};

/** The config parsed and prepared exactly as `ouro run` would. */
export async function prepared(raw: object): Promise<Prepared> {
  return prepare(parseConfig(JSON.stringify(raw), 'test.json'), NO_IO);
}

/** Every yielded state of every seed (0 .. seeds − 1), passed to `visit`. */
export async function runSeeds(raw: object, seeds: number, visit: (seed: number, state: LoopState<any, any>, prep: Prepared) => void): Promise<Prepared> {
  const prep = await prepared(raw);
  for (let s = 0; s < seeds; s++) {
    for (const st of loop(experimentOf(prep, s), prep.options, seedKey(prep.config.seed, s))) visit(s, st, prep);
  }
  return prep;
}

/** Mean and standard error of the mean. */
export function meanSe(xs: readonly number[]): { mean: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(v / n) };
}
