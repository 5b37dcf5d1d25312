// Test fixtures: small run directories laid out as docs/run-directory.md says, made by the
// real loop on the categorical family (a coin), with the coin's exact-chain theory in the
// summary. `complete: false` leaves what a killed run leaves: no summary, a torn last line.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loop, type LoopOptions } from '../core/loop.ts';
import { foldIn, key } from '../core/random.ts';
import { PLAIN } from '../core/family.ts';
import { entry } from '../families/categorical/index.ts';
import { coinChain, collapsedBy, meanAbsorption } from '../theory/coin-chain.ts';
import { readRun } from './run-dir.ts';

export interface CoinRun {
  readonly samples: number;
  readonly temperature: number;
  readonly seeds: number;
  readonly generations: number;
  readonly complete?: boolean;
  readonly name?: string;
  /** Text lines to write to samples.jsonl (as a text family would). */
  readonly texts?: boolean;
}

/** Writes a coin run directory at `dir`, recording every generation. */
export function writeCoinRun(dir: string, r: CoinRun): void {
  mkdirSync(dir, { recursive: true });
  const config = {
    name: r.name ?? 'coin', family: 'categorical', init: { probs: [0.5, 0.5] }, model: { smoothing: 0 },
    loop: { generations: r.generations, samples: r.samples, temperature: r.temperature, topK: 0, topP: 1, minP: 0, policy: 'replace', realFraction: 0, training: 'scratch', finetuneKeep: 0, filter: { kind: 'none' }, stopWhenCollapsed: true },
    seeds: Array.from({ length: r.seeds }, (_, i) => i), seed: 0, record: 'every', runId: 'fixture', version: '0.0.0', commit: null,
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const opts: LoopOptions = {
    generations: r.generations, samples: () => r.samples, sampling: { ...PLAIN, temperature: r.temperature }, policy: 'replace',
    realFraction: 0, training: 'scratch', filter: { kind: 'none' }, stopWhenCollapsed: true,
  };
  const log = join(dir, 'generations.jsonl');
  writeFileSync(log, '');
  const perSeed = [];
  for (let s = 0; s < r.seeds; s++) {
    const exp = entry.setup(config as never, undefined, foldIn(key(0), s));
    let last = { generation: 0, collapsedAt: null as number | null, fixedOn: null as number | null };
    for (const st of loop(exp, opts, foldIn(key(1), s))) {
      const metrics = exp.family.metrics(st.model, { initial: exp.initial });
      appendFileSync(log, JSON.stringify({ seed: s, generation: st.generation, metrics: finite(metrics) }) + '\n');
      if (r.texts) appendFileSync(join(dir, 'samples.jsonl'), JSON.stringify({ seed: s, generation: st.generation, samples: [`heads share ${metrics.p0!.toFixed(2)}`] }) + '\n');
      last = { generation: st.generation, collapsedAt: last.collapsedAt ?? (st.collapsed ? st.generation : null), fixedOn: st.collapsed ? metrics.p0 === 1 ? 0 : 1 : null };
    }
    appendFileSync(log, JSON.stringify({ seed: s, event: 'end', generation: last.generation, collapsedAt: last.collapsedAt, final: { fixedOn: last.fixedOn } }) + '\n');
    perSeed.push({ seed: s, collapsedAt: last.collapsedAt, final: { fixedOn: last.fixedOn } });
  }
  if (r.complete === false) {
    appendFileSync(log, '{"seed":0,"generation":'); // torn by a kill
    return;
  }
  const { recorded, aggregates } = readRun(dir); // no summary yet: recomputed from the log
  const chain = coinChain({ samples: r.samples, temperature: r.temperature, realFraction: 0, start: 0.5 });
  // E[H_t] = H_0 (1 − 1/n)^t: heterozygosity under neutral Wright–Fisher drift (T = 1 only).
  const gini = r.temperature === 1 ? recorded.map((g) => 0.5 * (1 - 1 / r.samples) ** g) : null;
  const theory = { collapsedBy: collapsedBy(chain, recorded), meanAbsorption: meanAbsorption(chain), giniSimpson: gini };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ name: config.name, family: 'categorical', runId: 'fixture', status: 'complete', seeds: r.seeds, generations: r.generations, recorded, aggregates, theory, perSeed }));
}

function finite(m: Record<string, number>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = Number.isFinite(v) ? v : String(v);
  return out;
}
