// `npm run bench -- transformer [--threads 1,2] [--steps S] [--repeat R] [--sequences N]`: the
// transformer family at the documented full-size setting of claim 7 (src/reproduce/sizes.ts:
// a GPT of 2 layers, d 128, BPE 2,048, 4,000 samples of 30 tokens per generation) against the
// same GPT in PyTorch on CPU (bench/transformer.py, Debian's /usr/bin/python3 with python3-torch),
// at each thread count in one run: training tokens/s on fine-tuning rows (<s> + 30 tokens),
// sampling tokens/s with a KV cache, and the seconds of one generation of the loop (sample, then
// fine-tune one epoch; ours also with its probe metrics). Threads: OpenBLAS's for ours (the rest
// is single-threaded), torch.set_num_threads, OMP and OpenBLAS for PyTorch. Ours and the peer
// alternate `repeat` times and each keeps its best, so a burst of load penalises neither alone;
// each rate is also given per CPU second of the process, which a loaded machine disturbs less.
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

interface Rates {
  train: number;
  sample: number;
  generation: number;
}

/**
 * Wall-clock rates, and the same per CPU second of the whole process (all its threads): on a
 * machine loaded by other jobs the wall clock measures the share of a core a side was given,
 * while CPU seconds stay near the work done (at 2 threads they also count threads waiting).
 */
interface Side extends Rates {
  cpu: Rates;
}

/** Ours at the current thread count: training and sampling tokens/s, and one generation's seconds without and with the probe metrics. */
function ours(steps: number, sequences: number, params: Float32Array, data: ReturnType<typeof packSentences>, heldOut: ReturnType<typeof packSentences>): Side & { withProbe: number } {
  let t = clock();
  train(be, c, data, { ...o, steps }, key(2), params, 'sequences');
  const training = t();
  t = clock();
  const g = generate(be, c, params, 2 * SLOTS, PLAIN, { kind: 'sequences', length: L }, key(4), SLOTS);
  const sampling = t();
  t = clock();
  const samples = generate(be, c, params, sequences, PLAIN, { kind: 'sequences', length: L }, key(5), SLOTS).data;
  train(be, c, samples, { ...o, epochs: FULL.finetune.epochs }, key(6), params, 'sequences');
  const generation = t();
  generate(be, c, params, FULL.probe, PLAIN, { kind: 'sequences', length: L }, key(7), SLOTS);
  itemLogProbs(be, c, params, heldOut, 'sentences');
  const withProbe = t();
  const rates = (at: 'wall' | 'cpu'): Rates => ({ train: (steps * o.batch * L) / training[at], sample: g.data.tokens.length / sampling[at], generation: generation[at] });
  return { ...rates('wall'), cpu: rates('cpu'), withProbe: withProbe.wall };
}

/** Starts a stopwatch; calling it gives the wall-clock and process CPU seconds since. */
function clock(): () => { wall: number; cpu: number } {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
  };
}

/** The better of two measurements of one side: higher rates, fewer seconds. */
function better(a: Rates, b: Rates): Rates {
  return { train: Math.max(a.train, b.train), sample: Math.max(a.sample, b.sample), generation: Math.min(a.generation, b.generation) };
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
    const none: Rates = { train: 0, sample: 0, generation: Infinity };
    const best = { ours: { ...none, cpu: none, withProbe: Infinity }, peer: { ...none, cpu: none }, torch: '' };
    for (let r = 0; r < repeat; r++) {
      const a = ours(steps, sequences, params, data, heldOut);
      const p = JSON.parse(execFileSync('/usr/bin/python3', [script, JSON.stringify(settings)], { encoding: 'utf8', env })) as Side & { torch: string };
      best.ours = { ...better(best.ours, a), cpu: better(best.ours.cpu, a.cpu), withProbe: Math.min(best.ours.withProbe, a.withProbe) };
      best.peer = { ...better(best.peer, p), cpu: better(best.peer.cpu, p.cpu) };
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
    const { ours: a, peer: p } = row;
    const ratio = (x: number, y: number) => `(ratio ${(x / y).toFixed(2)})`;
    out.push([`${t} train tokens/s  ours / PyTorch`, `${f(a.train)} / ${f(p.train)}  ${ratio(a.train, p.train)}; per CPU second ${f(a.cpu.train)} / ${f(p.cpu.train)}  ${ratio(a.cpu.train, p.cpu.train)}`]);
    out.push([`${t} sample tokens/s ours / PyTorch`, `${f(a.sample)} / ${f(p.sample)}  ${ratio(a.sample, p.sample)}; per CPU second ${f(a.cpu.sample)} / ${f(p.cpu.sample)}  ${ratio(a.cpu.sample, p.cpu.sample)}`]);
    out.push([`${t} s per generation ours / PyTorch`, `${a.generation.toFixed(1)} / ${p.generation.toFixed(1)}  (ours with probe metrics ${a.withProbe.toFixed(1)}); CPU s ${a.cpu.generation.toFixed(1)} / ${p.cpu.generation.toFixed(1)}`]);
  }
  return out;
}
