// Rebuilds the model of any seed at any generation of a saved run by running its loop again:
// keyed randomness makes the replay bit-identical, so run directories need not store models.
import { loop, type Experiment, type LoopState } from '../core/loop.ts';
import { parseConfig } from '../config/load.ts';
import { FILES, RunDirError, readJson } from '../store/rundir.ts';
import type { Io } from '../families/entry.ts';
import { experimentOf, prepare, type Prepared } from './prepare.ts';
import { seedKey } from '../core/seeds.ts';

/** The prepared run saved in `dir` (its config.json), checked against its runId. */
export async function preparedOf(dir: string, io: Io): Promise<Prepared> {
  const { runId, version, commit, arithmetic, ...config } = readJson<Record<string, unknown>>(dir, FILES.config);
  void version, void commit, void arithmetic;
  const prep = await prepare(parseConfig(JSON.stringify(config), `${dir}/${FILES.config}`), io);
  if (prep.runId !== runId) throw new RunDirError(`${dir}: config.json does not match its runId; the directory was edited or corrupted`);
  return prep;
}

/**
 * The state of `seed` at `generation` (default: where the seed stopped), replayed from the
 * run's config. A generation past the seed's stop gives the state it stopped in.
 */
export async function replay(dir: string, seed: number, io: Io, generation = Infinity): Promise<{ prep: Prepared; experiment: Experiment<unknown, unknown>; state: LoopState<unknown, unknown> }> {
  const prep = await preparedOf(dir, io);
  if (!prep.seeds.includes(seed)) throw new RunDirError(`${dir}: seed ${seed} is not in this run (seeds ${prep.seeds[0]}…${prep.seeds.at(-1)})`);
  const experiment = experimentOf(prep, seed);
  let state: LoopState<unknown, unknown> | undefined;
  for (const st of loop(experiment, prep.options, seedKey(prep.config.seed, seed))) {
    state = st;
    if (st.generation >= generation) break;
  }
  return { prep, experiment, state: state! };
}
