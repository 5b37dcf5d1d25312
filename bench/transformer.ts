// `npm run bench -- transformer [--threads 1,2] [--steps S] [--repeat R] [--sequences N]`: the
// transformer family at the documented full-size setting of claim 7 (src/reproduce/sizes.ts:
// a GPT of 2 layers, d 128, BPE 2,048, 4,000 samples of 30 tokens per generation) against the
// same GPT in PyTorch on CPU (bench/transformer.py, Debian's /usr/bin/python3 with python3-torch),
// at each thread count in one run: training tokens/s on fine-tuning rows (<s> + 30 tokens),
// sampling tokens/s with a KV cache, and the seconds of one generation of the loop (sample, then
// fine-tune one epoch; ours also with its probe metrics). Threads: OpenBLAS's for ours (the rest
// is single-threaded), torch.set_num_threads, OMP and OpenBLAS for PyTorch. Ours and the peer
// alternate `repeat` times and each keeps its best, so a burst of load penalises neither alone.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PLAIN } from '../src/core/family.ts';
import { key, Rng } from '../src/core/random.ts';
import { backendOf, gemmName, kernelsName, NATIVE_MODULE } from '../src/families/transformer/backend.ts';
import { packSentences } from '../src/families/text/index.ts';
import { generate } from '../src/families/transformer/sample.ts';
import { itemLogProbs } from '../src/families/transformer/score.ts';
import { train } from '../src/families/transformer/train.ts';
import { loadNative, setNativeThreads } from '../src/runner/native.ts';
import { SIZES } from '../src/reproduce/sizes.ts';
import type { BenchResult } from './run.ts';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
}

const FULL = SIZES.full.transformer;
const c = { vocab_size: FULL.vocab, ...FULL.model, tied: true };
const o = { lr: 1e-3, warmup: 2, minLrFraction: 0.1, weightDecay: 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-8, clip: 1, batch: FULL.finetune.batch };
const L = FULL.length;
const SLOTS = 64;
/** The backend `ouro run` uses here: OpenBLAS and the compiled kernels when ouro-blas is built. */
const native = backendOf(loadNative(NATIVE_MODULE));
const be = native.backend;

interface Side {
  train: number;
  sample: number;
  generation: number;
}

/** Ours at the current thread count: training and sampling tokens/s, and one generation's seconds without and with the probe metrics. */
function ours(steps: number, sequences: number, params: Float32Array, data: ReturnType<typeof packSentences>, heldOut: ReturnType<typeof packSentences>): Side & { withProbe: number } {
  let t0 = performance.now();
  train(be, c, data, { ...o, steps }, key(2), params, 'sequences');
  const trainTps = (steps * o.batch * L) / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  const g = generate(be, c, params, 2 * SLOTS, PLAIN, { kind: 'sequences', length: L }, key(4), SLOTS);
  const sampleTps = g.data.tokens.length / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  const samples = generate(be, c, params, sequences, PLAIN, { kind: 'sequences', length: L }, key(5), SLOTS).data;
  train(be, c, samples, { ...o, epochs: FULL.finetune.epochs }, key(6), params, 'sequences');
  const generation = (performance.now() - t0) / 1000;
  generate(be, c, params, FULL.probe, PLAIN, { kind: 'sequences', length: L }, key(7), SLOTS);
  itemLogProbs(be, c, params, heldOut, 'sentences');
  return { train: trainTps, sample: sampleTps, generation, withProbe: (performance.now() - t0) / 1000 };
}

export async function run(args: string[]): Promise<BenchResult> {
  const threads = arg(args, '--threads', '1,2').split(',').map(Number);
  const steps = Number(arg(args, '--steps', '20'));
  const repeat = Number(arg(args, '--repeat', '2'));
  const sequences = Number(arg(args, '--sequences', String(FULL.sequences)));
  const rng = new Rng(key(1));
  const tokens = () => Int32Array.from({ length: L }, () => 2 + rng.int(c.vocab_size - 2));
  const data = packSentences(Array.from({ length: 2000 }, tokens));
  const heldOut = packSentences(Array.from({ length: FULL.heldOut }, () => Int32Array.from({ length: 10 + rng.int(40) }, () => 2 + rng.int(c.vocab_size - 2))));
  const params = train(be, c, data, { ...o, steps: 3 }, key(2), undefined, 'sequences').params;
  const script = fileURLToPath(new URL('./transformer.py', import.meta.url));
  const rows = threads.map((n) => {
    setNativeThreads(NATIVE_MODULE, n);
    const settings = { vocab: c.vocab_size, n_layer: c.n_layer, d_model: c.d_model, n_head: c.n_head, block_size: c.block_size, batch: o.batch, length: L, steps, threads: n, sample_batch: SLOTS, sequences };
    const env = { ...process.env, OMP_NUM_THREADS: String(n), OPENBLAS_NUM_THREADS: String(n) };
    const best = { ours: { train: 0, sample: 0, generation: Infinity, withProbe: Infinity }, peer: { train: 0, sample: 0, generation: Infinity }, torch: '' };
    for (let r = 0; r < repeat; r++) {
      const a = ours(steps, sequences, params, data, heldOut);
      const p = JSON.parse(execFileSync('/usr/bin/python3', [script, JSON.stringify(settings)], { encoding: 'utf8', env })) as Side & { torch: string };
      best.ours = { train: Math.max(best.ours.train, a.train), sample: Math.max(best.ours.sample, a.sample), generation: Math.min(best.ours.generation, a.generation), withProbe: Math.min(best.ours.withProbe, a.withProbe) };
      best.peer = { train: Math.max(best.peer.train, p.train), sample: Math.max(best.peer.sample, p.sample), generation: Math.min(best.peer.generation, p.generation) };
      best.torch = p.torch;
    }
    return { threads: n, ...best };
  });
  const first = rows[0]!;
  return {
    name: 'transformer',
    unit: 'training tokens/s (higher is better), at the first thread count',
    ours: first.ours.train,
    peer: first.peer.train,
    ratio: first.ours.train / first.peer.train,
    settings: { ...c, batch: o.batch, length: L, steps, sequences, repeat, slots: SLOTS, gemm: gemmName(be), kernels: kernelsName(be), gemmReason: native.reason, torch: first.torch },
    rows,
  };
}

export function table(r: BenchResult): [string, string][] {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const s = r.settings as { n_layer: number; d_model: number; n_head: number; vocab_size: number; block_size: number; sequences: number; length: number; gemm: string; kernels: string; repeat: number; torch: string };
  const out: [string, string][] = [
    ['model', `${s.n_layer} layers, d_model ${s.d_model}, ${s.n_head} heads, vocabulary ${s.vocab_size}, context ${s.block_size}, AdamW (claim 7 full size)`],
    ['generation', `sample ${s.sequences.toLocaleString('en-US')} × ${s.length} tokens, fine-tune one epoch on them`],
    ['GEMM, kernels; PyTorch', `${s.gemm}, ${s.kernels}; ${s.torch}`],
    ['timing', `best of ${s.repeat} alternating runs per side`],
  ];
  for (const row of r.rows as { threads: number; ours: Side & { withProbe: number }; peer: Side }[]) {
    const t = `${row.threads} thread${row.threads === 1 ? '' : 's'}:`;
    out.push([`${t} train tokens/s  ours / PyTorch`, `${f(row.ours.train)} / ${f(row.peer.train)}  (ratio ${(row.ours.train / row.peer.train).toFixed(2)})`]);
    out.push([`${t} sample tokens/s ours / PyTorch`, `${f(row.ours.sample)} / ${f(row.peer.sample)}  (ratio ${(row.ours.sample / row.peer.sample).toFixed(2)})`]);
    out.push([`${t} s per generation ours / PyTorch`, `${row.ours.generation.toFixed(1)} / ${row.peer.generation.toFixed(1)}  (ours with probe metrics ${row.ours.withProbe.toFixed(1)})`]);
  }
  return out;
}
