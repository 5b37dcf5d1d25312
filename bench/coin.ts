// `npm run bench -- coin [--coins N] [--flips N] [--json]`: 10,000 coins × 1,000 flips per
// generation (start p = ½, T = 1, replace), every coin run until it fixates, through the real
// loop (src/core/loop.ts) and categorical family, against a vectorized numpy loop
// (bench/coin.py) in one process with one thread. Both mean fixation times should match
// Kimura & Ohta's −2n[p ln p + (1−p) ln(1−p)] = 2n ln 2 at p = ½ within standard errors.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loop, type LoopOptions } from '../src/core/loop.ts';
import { settingsFor } from '../src/config/schema.ts';
import { foldIn, key } from '../src/core/random.ts';
import { entry } from '../src/families/categorical/index.ts';
import type { BenchResult } from './run.ts';

interface Settings {
  coins: number;
  flips: number;
  start: number;
  seed: number;
}

interface Side {
  seconds: number;
  /** Process CPU time: steadier than wall time on a machine shared with other work. */
  cpuSeconds: number;
  meanFixation: number;
  sdFixation: number;
  fixedOnHeads: number;
}

function parse(args: string[]): Settings {
  const s: Settings = { coins: 10_000, flips: 1_000, start: 0.5, seed: 0 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!.replace(/^--/, '');
    const v = Number(args[i + 1]);
    if (!(flag in s) || !Number.isFinite(v)) throw new Error(`coin bench: unknown option or bad value '${args[i]} ${args[i + 1]}'; use --coins N --flips N --start P --seed S`);
    s[flag as keyof Settings] = v;
  }
  if (!(s.start > 0 && s.start < 1) || !Number.isInteger(s.coins) || s.coins < 2 || !Number.isInteger(s.flips) || s.flips < 1) {
    throw new Error('coin bench: need --coins ≥ 2 and --flips ≥ 1 (integers) and 0 < --start < 1');
  }
  return s;
}

/** Every coin through the generic loop until it fixates; one core. */
function ours(s: Settings): Side {
  const config = settingsFor(entry, { init: { probs: [s.start, 1 - s.start] }, loop: { samples: s.flips } });
  const opts: LoopOptions = { ...config.loop, generations: Number.MAX_SAFE_INTEGER };
  const root = key(s.seed);
  const fixedAt = new Float64Array(s.coins);
  let heads = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let c = 0; c < s.coins; c++) {
    const seedKey = foldIn(root, c); // the runner's keys: seed c, setup foldIn(seedKey, 0)
    const exp = entry.setup(config, undefined, foldIn(seedKey, 0));
    let last;
    for (const state of loop(exp, opts, seedKey)) last = state;
    fixedAt[c] = last!.generation;
    if ((last!.model as { probs: readonly number[] }).probs[0] === 1) heads++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, ...moments(fixedAt), fixedOnHeads: heads / s.coins };
}

function moments(x: Float64Array): { meanFixation: number; sdFixation: number } {
  let m = 0;
  for (const v of x) m += v / x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  return { meanFixation: m, sdFixation: Math.sqrt(ss / (x.length - 1)) };
}

function peer(s: Settings): Side & { numpy: string } {
  const script = fileURLToPath(new URL('./coin.py', import.meta.url));
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  let out: string;
  try {
    out = execFileSync('python3', [script, String(s.coins), String(s.flips), String(s.start), String(s.seed)], { env, encoding: 'utf8' });
  } catch (e) {
    throw new Error(`coin bench: the numpy peer (bench/coin.py) failed; it needs python3 with numpy (Debian: python3-numpy).\n${String(e)}`);
  }
  return JSON.parse(out) as Side & { numpy: string };
}

export async function run(args: string[]): Promise<BenchResult> {
  const s = parse(args);
  const o = ours(s);
  const p = peer(s);
  const q = s.start;
  const kimuraOhta = -2 * s.flips * (q * Math.log(q) + (1 - q) * Math.log(1 - q));
  const se = (side: Side): number => side.sdFixation / Math.sqrt(s.coins);
  return {
    name: 'coin',
    unit: 's',
    ours: o.seconds,
    peer: p.seconds,
    ratio: o.seconds / p.seconds,
    settings: { ...s, temperature: 1, policy: 'replace', threads: 1, peer: `numpy ${p.numpy}` },
    meanFixation: { ours: o.meanFixation, oursSe: se(o), peer: p.meanFixation, peerSe: se(p), kimuraOhta },
    fixedOnHeads: { ours: o.fixedOnHeads, peer: p.fixedOnHeads },
    cpuSeconds: { ours: o.cpuSeconds, peer: p.cpuSeconds, ratio: o.cpuSeconds / p.cpuSeconds },
    coinGenerationsPerSecond: (o.meanFixation * s.coins) / o.seconds,
  };
}

export function table(r: BenchResult): [string, string][] {
  const m = r.meanFixation as { ours: number; oursSe: number; peer: number; peerSe: number; kimuraOhta: number };
  const st = r.settings as unknown as Settings;
  const c = r.cpuSeconds as { ours: number; peer: number; ratio: number };
  return [
    ['setting', `${st.coins} coins × ${st.flips} flips/generation, start p = ${st.start}, T = 1, replace, until fixation`],
    ['ouroboros (loop + categorical)', `${r.ours.toFixed(3)} s`],
    [`peer (${String(r.settings.peer)}, 1 thread)`, `${r.peer.toFixed(3)} s`],
    ['ratio ours / peer (wall)', r.ratio.toFixed(3)],
    ['ratio ours / peer (CPU time)', `${c.ratio.toFixed(3)} (${c.ours.toFixed(3)} s / ${c.peer.toFixed(3)} s)`],
    ['mean fixation, ours', `${m.ours.toFixed(1)} ± ${m.oursSe.toFixed(1)} generations`],
    ['mean fixation, peer', `${m.peer.toFixed(1)} ± ${m.peerSe.toFixed(1)} generations`],
    ['ours − peer', `${(m.ours - m.peer).toFixed(1)} generations = ${((m.ours - m.peer) / Math.hypot(m.oursSe, m.peerSe)).toFixed(2)} combined SE`],
    ['Kimura–Ohta diffusion', `${m.kimuraOhta.toFixed(1)} generations (an approximation: O(1) generations off at finite n)`],
  ];
}
