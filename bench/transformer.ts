// `npm run bench -- transformer [--threads N] [--steps S] [--repeat R]`: training and sampling tokens/s of the
// transformer family's GPT against the same GPT in PyTorch on CPU (bench/transformer.py, run by
// Debian's /usr/bin/python3 with python3-torch), with the same thread count for both: OpenBLAS
// threads for ours (element-wise work is single-threaded JavaScript), torch.set_num_threads,
// OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for PyTorch.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PLAIN } from '../src/core/family.ts';
import { key, Rng } from '../src/core/random.ts';
import { gemmName } from '../src/families/transformer/gemm.ts';
import { kernelsName } from '../src/families/transformer/layers.ts';
import { packSentences } from '../src/families/text/index.ts';
import { generate } from '../src/families/transformer/sample.ts';
import { train } from '../src/families/transformer/train.ts';
import type { BenchResult } from './run.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export async function run(args: string[]): Promise<BenchResult> {
  const threads = arg(args, '--threads', 2);
  const steps = arg(args, '--steps', 20);
  const repeat = arg(args, '--repeat', 2);
  process.env.OPENBLAS_NUM_THREADS = String(threads); // read by OpenBLAS when the addon loads
  const { installNativeGemm } = await import('../src/runner/native-gemm.ts');
  const status = installNativeGemm();
  const c = { vocab_size: 100, block_size: 128, n_layer: 2, n_head: 4, d_model: 128, tied: true };
  const batch = 32;
  const sampleBatch = 64;
  const rng = new Rng(key(1));
  const data = packSentences(Array.from({ length: 2000 }, () => Int32Array.from({ length: 20 + rng.int(100) }, () => 2 + rng.int(98))));
  const o = { lr: 1e-3, warmup: 2, minLrFraction: 0.1, weightDecay: 0.1, beta1: 0.9, beta2: 0.95, eps: 1e-8, clip: 1, batch };
  const warm = train(c, data, { ...o, steps: 3 }, key(2));
  const settings = { vocab: 100, n_layer: 2, d_model: 128, n_head: 4, block_size: 128, batch, steps, threads, sample_batch: sampleBatch, sample_len: 127, repeat };
  const script = fileURLToPath(new URL('./transformer.py', import.meta.url));
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  // Alternate ours and the peer `repeat` times and keep each side's best, so a burst of load
  // from other processes on the machine penalises neither side alone.
  let ours = 0;
  let oursSample = 0;
  const peer = { train: 0, sample: 0, torch: '' };
  for (let r = 0; r < repeat; r++) {
    let t0 = performance.now();
    const trained = train(c, data, { ...o, steps }, key(2), warm.params);
    ours = Math.max(ours, (steps * batch * c.block_size) / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    const g = generate(c, trained.params, 2 * sampleBatch, PLAIN, { kind: 'sentences', maxLength: 127 }, key(4), sampleBatch);
    const sampled = g.data.tokens.length + g.data.offsets.length - 1 - g.truncated.reduce((s, x) => s + x, 0);
    oursSample = Math.max(oursSample, sampled / ((performance.now() - t0) / 1000));
    const p = JSON.parse(execFileSync('/usr/bin/python3', [script, JSON.stringify(settings)], { encoding: 'utf8', env })) as { train: number; sample: number; torch: string };
    peer.train = Math.max(peer.train, p.train);
    peer.sample = Math.max(peer.sample, p.sample);
    peer.torch = p.torch;
  }
  return {
    name: 'transformer',
    unit: 'training tokens/s (higher is better)',
    ours,
    peer: peer.train,
    ratio: ours / peer.train,
    settings: { ...settings, gemm: gemmName(), kernels: kernelsName(), gemmReason: status.reason, torch: peer.torch },
    sampleOurs: oursSample,
    samplePeer: peer.sample,
    sampleRatio: oursSample / peer.sample,
  };
}

export function table(r: BenchResult): [string, string][] {
  const f = (x: unknown) => Math.round(x as number).toLocaleString('en-US');
  return [
    ['model', '2 layers, d_model 128, 4 heads, context 128, vocabulary 100, AdamW'],
    ['threads', `${(r.settings as { threads: number }).threads} (OpenBLAS for ours; torch, OMP and OpenBLAS for PyTorch)`],
    ['GEMM, element-wise kernels', `${(r.settings as { gemm: string }).gemm}, ${(r.settings as { kernels: string }).kernels}`],
    ['timing', `best of ${(r.settings as { repeat: number }).repeat} alternating runs per side`],
    ['train tokens/s  ours', f(r.ours)],
    ['train tokens/s  PyTorch', f(r.peer)],
    ['train ratio (ours / PyTorch)', r.ratio.toFixed(2)],
    ['sample tokens/s  ours (64 slots, KV cache)', f(r.sampleOurs)],
    ['sample tokens/s  PyTorch (64 rows, KV cache)', f(r.samplePeer)],
    ['sample ratio (ours / PyTorch)', (r.sampleRatio as number).toFixed(2)],
  ];
}
