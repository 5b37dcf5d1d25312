// `ouro pretrain CONFIG`: makes generation 0 of a config ahead of time and stores it in the
// cache ($OURO_CACHE, else ~/.cache/ouroboros), so runs, sweeps and queue workers that need
// it start from it at once. Prints, per distinct generation 0, its cache entry, whether it was
// made or already there, the seconds it took and its losses.
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { loadConfigFile } from '../../config/file.ts';
import { ConfigError } from '../../config/load.ts';
import { readSlot, slotOf } from '../../runner/base-cache.ts';
import { nodeIo } from '../../runner/io.ts';
import { setupKey } from '../../core/seeds.ts';
import { experimentOf, prepare } from '../../runner/prepare.ts';
import { UsageError } from '../errors.ts';

interface Flags {
  set: string[];
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('pretrain')
    .description(COMMANDS.pretrain.description)
    .argument('<config>', 'the config file')
    .option('--set <key=value>', 'override a config field (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--json', 'print one JSON document')
    .action(async (path: string, flags: Flags) => {
      const rows = await pretrain(path, flags.set);
      if (flags.json) return void process.stdout.write(JSON.stringify(rows) + '\n');
      for (const r of rows) {
        process.stdout.write(`${r.made ? 'made' : 'already cached'}: ${r.entry} (seed ${r.seeds.join(', ')}; ${r.seconds.toFixed(1)} s)\n`);
        process.stdout.write(`  trainLoss ${fmt(r.trainLoss)}, heldOutLoss ${fmt(r.heldOutLoss)} nats per token\n`);
      }
    });
}

const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(4));

interface Row {
  entry: string;
  seeds: number[];
  made: boolean;
  seconds: number;
  trainLoss?: number;
  heldOutLoss?: number;
}

async function pretrain(path: string, sets: readonly string[]): Promise<Row[]> {
  let prep;
  try {
    prep = await prepare(loadConfigFile(path, sets), nodeIo);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  const cache = prep.cache;
  if (cache === undefined) throw new UsageError(`${path}: the ${prep.entry.name} family has no pretrained generation 0 to make ahead of time (only families whose generation 0 is trained, like transformer, do)`);
  const rows = new Map<string, Row>();
  for (const seed of prep.seeds) {
    const slot = slotOf(cache, prep.entry, prep.settings, prep.resources, setupKey(prep.config.seed, seed));
    const known = rows.get(slot.key);
    if (known) {
      known.seeds.push(seed);
      continue;
    }
    const made = readSlot(slot).kind !== 'ok';
    const t0 = performance.now();
    const exp = experimentOf(prep, seed);
    const m = exp.family.metrics(exp.initial, { initial: exp.initial, ...(exp.heldOut !== undefined ? { heldOut: exp.heldOut } : {}) });
    rows.set(slot.key, { entry: slot.path, seeds: [seed], made, seconds: (performance.now() - t0) / 1000, ...pick(m, 'trainLoss'), ...pick(m, 'heldOutLoss') });
  }
  return [...rows.values()];
}

function pick(m: Record<string, number>, k: 'trainLoss' | 'heldOutLoss'): Partial<Record<typeof k, number>> {
  return m[k] === undefined ? {} : { [k]: m[k] };
}
