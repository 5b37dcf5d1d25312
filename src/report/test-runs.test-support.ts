// Test fixtures: real coin run directories written by the runner (src/runner), recording
// every generation. `killed` leaves what a kill leaves: no summary, a torn last line.
// `texts` adds a samples.jsonl as a text family would write it.
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../config/load.ts';
import { nodeIo } from '../runner/io.ts';
import { prepare } from '../runner/prepare.ts';
import { runToDir } from '../runner/run.ts';

/** A fair-coin fixture: n flips per generation at temperature T, `seeds` seeds. */
export interface CoinRun {
  readonly samples: number;
  readonly temperature: number;
  readonly seeds: number;
  readonly generations: number;
  readonly name?: string;
  readonly killed?: boolean;
  readonly texts?: boolean;
}

/** Runs the config `yaml` into `dir` (overwriting it). */
export async function writeRun(dir: string, yaml: string): Promise<void> {
  runToDir(await prepare(parseConfig(yaml, 'fixture.yaml'), nodeIo), dir, true);
}

/** Runs a fair coin with these settings into `dir` (overwriting it). */
export async function writeCoinRun(dir: string, r: CoinRun): Promise<void> {
  await writeRun(dir, `name: ${r.name ?? 'coin'}\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nseeds: ${r.seeds}\nrecord: every\nloop: { samples: ${r.samples}, temperature: ${r.temperature}, generations: ${r.generations} }\n`);
  if (r.texts) {
    for (const g of [0, 1, 2]) appendFileSync(join(dir, 'samples.jsonl'), JSON.stringify({ seed: 0, generation: g, samples: [`the cat sat ${g}`, `a <dog> & ${g}`] }) + '\n');
  }
  if (r.killed) {
    rmSync(join(dir, 'summary.json'));
    rmSync(join(dir, 'metrics.parquet'), { force: true });
    appendFileSync(join(dir, 'generations.jsonl'), '{"seed":0,"generation":');
  }
}
