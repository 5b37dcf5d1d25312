// Claim 7 in the shape of the work we follow: one pretrained GPT (here a subword GPT trained on
// the Brown corpus, made once and cached) fine-tuned on its own samples of 30 tokens for
// hundreds of generations, at T = 1, 0.8 and 1.3, several seeds each, the runs of all
// temperatures and seeds shared among the cores. The verdicts (trajectory.ts) compare
// per-seed quantities across seeds.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nodeIo } from '../../runner/io.ts';
import { experimentOf, prepare } from '../../runner/prepare.ts';
import { parseConfig } from '../../config/load.ts';
import { FILES, readJsonl } from '../../store/rundir.ts';
import type { Claim, Figure, Row } from '../claim.ts';
import { notRun } from '../claim.ts';
import { curves, type Point } from '../figures.ts';
import { logLines, type Ran } from '../lab.ts';
import type { Size } from '../sizes.ts';
import { at, endsHigher, riseAndFall, sooner, type Curve } from '../trajectory.ts';
import { fmt, meanOf, pm } from '../verdict.ts';
import { tokenLabel } from '../../report/wording.ts';

const TEMPERATURES = [1, 0.8, 1.3] as const;

function transformerConfig(size: Size, temperature: number, seed: number) {
  const s = size.transformer;
  return {
    name: `c7-gpt-t${temperature}-s${seed}`,
    family: 'transformer',
    corpus: { source: 'brown', heldOut: 0.05, ...(s.categories ? { categories: [...s.categories] } : {}) },
    tokenizer: { kind: 'bpe', vocab: s.vocab },
    base: 'shared',
    model: { ...s.model },
    train: { ...s.pretrain },
    finetune: { ...s.finetune },
    metrics: { samples: s.probe, heldOutSentences: s.heldOut },
    loop: { generations: s.generations, sequences: s.sequences, length: s.length, training: 'finetune', temperature },
    seeds: [seed],
    seed: 2021,
    record: 'every',
  };
}

/** A seed's curve of `metric` from its run's log. */
function curveOf(ran: Ran, metric: string): Curve {
  const seen = new Map<number, number>();
  for (const l of logLines(ran)) if (!seen.has(l.generation)) seen.set(l.generation, l.metrics[metric] ?? NaN);
  const gens = [...seen.keys()].sort((a, b) => a - b);
  return { generations: gens, values: gens.map((g) => seen.get(g)!) };
}

/** What a run's model wrote at generation g: texts and top tokens (samples.jsonl). */
function writing(ran: Ran, g: number): string {
  const path = join(ran.dir, FILES.samples);
  if (!existsSync(path)) return '—';
  const lines = readJsonl<{ generation: number; samples: string[]; topTokens?: { token: string; share: number }[] }>(path).lines;
  const l = lines.filter((x) => x.generation <= g).at(-1);
  if (!l) return '—';
  const top = (l.topTokens ?? []).map((t) => `${tokenLabel(t.token)} ${fmt(100 * t.share)}%`).join(', ');
  return `generation ${l.generation}: ${l.samples.slice(0, 3).map((t) => `“${t}”`).join(' · ')} — top tokens ${top}`;
}

/** Makes (or finds in the cache) the shared generation 0 before the runs start, and reports it. */
async function pretrain(size: Size): Promise<string> {
  const config = transformerConfig(size, 1, 0);
  const prep = await prepare(parseConfig(JSON.stringify(config), `${config.name}.json`), nodeIo);
  const t0 = performance.now();
  const exp = experimentOf(prep, 0);
  const m = exp.family.metrics(exp.initial, { initial: exp.initial, ...(exp.heldOut !== undefined ? { heldOut: exp.heldOut } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  return `Generation 0 (shared by every run): held-out loss ${fmt(m['heldOutLoss'] ?? NaN)} nats per token, training loss ${fmt(m['trainLoss'] ?? NaN)}; made or loaded from the cache (${prep.cache}) in ${fmt(seconds)} s.`;
}

export const transformerLoop: Claim = {
  n: 7,
  title: 'A transformer on its own samples rises, then collapses into repetition',
  statement: 'A pretrained transformer fine-tuned on thousands of its own 30-token samples per generation at T = 1 rises in entropy for a while, then falls into repetition; it collapses sooner at T < 1 and drifts to higher entropy at T > 1.',
  async run(lab, size) {
    const s = size.transformer;
    const corpus = s.categories ? `Brown (${s.categories.join(', ')})` : 'Brown (all 500 texts)';
    const setting = `GPT (${plural(s.model.n_layer, 'layer')}, d = ${s.model.d_model}, BPE ${s.vocab}) pretrained on ${corpus}; ${s.sequences} samples × ${s.length} tokens/generation, fine-tune ${plural(s.finetune.epochs, 'epoch')}; ${s.generations} generations; ${s.seeds} seeds`;
    if (!lab.has('transformer')) return { rows: [notRun('7a', setting, 'the transformer family is not registered in this build')], figures: [], notes: [] };
    const base = await pretrain(size);
    const configs = TEMPERATURES.flatMap((t) => Array.from({ length: s.seeds }, (_, seed) => transformerConfig(size, t, seed)));
    const ran = await lab.runMany(configs, availableParallelism());
    const runsAt = (t: number) => ran.filter((_, i) => configs[i]!.loop.temperature === t);
    const entropy = (t: number) => runsAt(t).map((r) => curveOf(r, 'entropyMC'));
    const a = riseAndFall(entropy(1), runsAt(1).map((r) => curveOf(r, 'repetition')), s.generations, s.window);
    const b = sooner(entropy(0.8), entropy(1), s.generations);
    const c = endsHigher(entropy(1.3), entropy(1), s.generations, s.window);
    const w = s.window;
    const rows: Row[] = [
      {
        id: '7a',
        setting: `${setting}, T = 1`,
        result: `entropyMC ${pm(a.start)} (generation 0) → ${pm(a.atPeak)} (peak window, generations ${a.peak}–${a.peak + w - 1}) → ${pm(a.atEnd)} nats per sample (last ${w}); repetition ${pm(a.repetitionStart)} → ${pm(a.repetitionEnd)}`,
        theory: 'rises above generation 0, then falls below its peak, with repetition appearing',
        test: a.test,
      },
      {
        id: '7b',
        setting: `${setting}, T = 0.8 vs T = 1`,
        result: `generations until the entropy halves: T = 0.8: ${pm(b.cold)}, T = 1: ${pm(b.plain)} (${s.generations + 1} = not by the horizon)`,
        theory: 'collapses sooner at T < 1',
        test: b.test,
      },
      {
        id: '7c',
        setting: `${setting}, T = 1.3 vs T = 1`,
        result: `last ${w} generations' entropyMC T = 1.3: ${pm(c.hot)} (its generation 0: ${pm(c.hotStart)}) vs T = 1: ${pm(c.plain)}`,
        theory: 'ends higher at T > 1',
        test: c.test,
      },
    ];
    const figures: Figure[] = [
      figure('transformer-entropy', 'entropyMC (nats per sample)', 'Claim 7: Monte Carlo entropy of the samples (nats per 30-token sample, under the sampling temperature), mean over seeds ± 2 se across seeds.', s, (t) => entropy(t)),
      figure('transformer-repetition', 'repetition (share of repeated 4-grams)', 'Claim 7: share of 4-grams of a sample that repeat an earlier one in it, mean over seeds ± 2 se across seeds.', s, (t) => runsAt(t).map((r) => curveOf(r, 'repetition'))),
    ];
    const t1 = runsAt(1)[0]!;
    const notes = [
      base,
      `What the model writes, T = 1, seed 0 — start: ${writing(t1, 0)}.`,
      `At the peak: ${writing(t1, a.peak)}.`,
      `At the end: ${writing(t1, s.generations)}.`,
      `T = 0.8, seed 0, at the end: ${writing(runsAt(0.8)[0]!, s.generations)}.`,
      `T = 1.3, seed 0, at the end: ${writing(runsAt(1.3)[0]!, s.generations)}.`,
      `Running time of the ${ran.length} runs (seconds each, two or more at a time): ${ran.map((r) => fmt(r.seconds)).join(', ')}.`,
      ...(size.name === 'full' ? [] : [`Claim 7 at the ${size.name} size is far smaller than the work we follow (a small model, ${s.generations} generations): it exercises the whole loop and can show the directions of 7b and 7c; 7a needs the full size.`]),
    ];
    return { rows, figures, notes };
  },
};

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function figure(id: string, y: string, caption: string, s: Size['transformer'], curvesAt: (t: number) => Curve[]): Figure {
  const points: Point[] = TEMPERATURES.flatMap((t) => {
    const cs = curvesAt(t);
    const gens = [...new Set(cs.flatMap((c) => c.generations))].sort((a, b) => a - b);
    return gens.map((g) => {
      const m = meanOf(cs.map((c) => at(c, g)));
      const band = Number.isFinite(m.se) ? { lo: m.value - 2 * m.se, hi: m.value + 2 * m.se } : {};
      return { x: g, y: m.value, series: `T = ${t}`, kind: 'simulation' as const, ...band };
    });
  });
  return { id, caption, spec: curves('A GPT fed its own samples', `${plural(s.model.n_layer, 'layer')}, d = ${s.model.d_model}, BPE ${s.vocab}; ${s.sequences} × ${s.length} tokens per generation; ${s.seeds} seeds`, { x: 'generation', y }, points) };
}
