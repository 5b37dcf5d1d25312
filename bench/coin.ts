// `npm run bench -- coin [--coins N] [--flips N] [--workers N] [--repeats N] [--json]`: what a
// user waits for. The whole `ouro run` process (start-up, 10,000 coins × 1,000 flips per
// generation until every coin fixates, the run directory written: log, Parquet, summary)
// against the whole numpy script doing the same loop (bench/coin.py) on one thread, as users
// run it; the two alternate, and each side's median of `repeats` runs is reported. Both mean
// fixation times should match Kimura & Ohta's −2n[p ln p + (1−p) ln(1−p)] = 2n ln 2 at p = ½
// within standard errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.ts';

interface Settings {
  coins: number;
  flips: number;
  start: number;
  seed: number;
  workers: number;
  repeats: number;
}

/** One timed process: wall and CPU seconds, peak resident memory. */
interface Timed {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
}

interface Fixation {
  meanFixation: number;
  sdFixation: number;
  fixedOnHeads: number;
}

function parse(args: string[]): Settings {
  const s: Settings = { coins: 10_000, flips: 1_000, start: 0.5, seed: 0, workers: availableParallelism(), repeats: 3 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!.replace(/^--/, '');
    const v = Number(args[i + 1]);
    if (!(flag in s) || !Number.isFinite(v)) throw new Error(`coin bench: unknown option or bad value '${args[i]} ${args[i + 1]}'; use --coins N --flips N --start P --seed S --workers N --repeats N`);
    s[flag as keyof Settings] = v;
  }
  const whole = (x: number, min: number) => Number.isInteger(x) && x >= min;
  if (!(s.start > 0 && s.start < 1) || !whole(s.coins, 2) || !whole(s.flips, 1) || !whole(s.workers, 1) || !whole(s.repeats, 1)) {
    throw new Error('coin bench: need --coins ≥ 2, --flips ≥ 1, --workers ≥ 1, --repeats ≥ 1 (integers) and 0 < --start < 1');
  }
  return s;
}

const TIME = '/usr/bin/time';

/** Runs `cmd` to completion under /usr/bin/time (GNU), which reports the whole process's CPU time and peak memory. */
function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Timed & { stdout: string } {
  if (!existsSync(TIME)) throw new Error(`coin bench: ${TIME} (GNU time) is needed to measure whole processes; Debian: apt-get install time`);
  const r = spawnSync(TIME, ['-f', 'OURO-TIME %e %U %S %M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /OURO-TIME (\S+) (\S+) (\S+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`coin bench: ${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return { seconds: Number(m[1]), cpuSeconds: Number(m[2]) + Number(m[3]), maxRssMb: Number(m[4]) / 1024, stdout: r.stdout };
}

const repo = fileURLToPath(new URL('..', import.meta.url));

/** `ouro run` of the coin config into a fresh directory: the whole process, start-up and run directory included. */
function ours(s: Settings, dir: string): Timed & Fixation {
  const config = join(dir, 'coin.yaml');
  writeFileSync(config, `name: coin-bench\nfamily: categorical\ninit: { probs: [${s.start}, ${1 - s.start}] }\nloop: { generations: 100000, samples: ${s.flips} }\nseeds: ${s.coins}\nseed: ${s.seed}\nrecord: log\n`);
  const out = join(dir, 'run');
  const t = timed(process.execPath, [join(repo, 'bin/ouro.js'), 'run', config, '--out', out, '--force', '--workers', String(s.workers)], process.env);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { collapse: { ever: { seeds: number }; time: { mean: number; sd: number } }; perSeed: { fixedOn: number | null }[] };
  if (summary.collapse.ever.seeds !== s.coins) throw new Error(`coin bench: ${s.coins - summary.collapse.ever.seeds} coin(s) did not fixate within 10^5 generations`);
  rmSync(out, { recursive: true, force: true });
  return { ...t, meanFixation: summary.collapse.time.mean, sdFixation: summary.collapse.time.sd, fixedOnHeads: summary.perSeed.filter((p) => p.fixedOn === 0).length / s.coins };
}

/** The numpy script as a user runs it: one thread (the BLAS thread pools pinned), the machine's CPU tuning variables unset. */
function peer(s: Settings): Timed & Fixation & { numpy: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  let t;
  try {
    t = timed('python3', [fileURLToPath(new URL('./coin.py', import.meta.url)), String(s.coins), String(s.flips), String(s.start), String(s.seed)], env);
  } catch (e) {
    throw new Error(`coin bench: the numpy peer (bench/coin.py) failed; it needs python3 with numpy (Debian: python3-numpy).\n${String(e)}`);
  }
  const r = JSON.parse(t.stdout) as Fixation & { numpy: string };
  return { ...t, meanFixation: r.meanFixation, sdFixation: r.sdFixation, fixedOnHeads: r.fixedOnHeads, numpy: r.numpy };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function run(args: string[]): Promise<BenchResult> {
  const s = parse(args);
  const dir = mkdtempSync(join(tmpdir(), 'ouro-bench-coin-'));
  const o: ReturnType<typeof ours>[] = [];
  const p: ReturnType<typeof peer>[] = [];
  try {
    for (let i = 0; i < s.repeats; i++) {
      o.push(ours(s, dir)); // alternating, so both sides see the same machine load
      p.push(peer(s));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (xs: readonly Timed[], k: keyof Timed) => median(xs.map((x) => x[k]));
  const q = s.start;
  const kimuraOhta = -2 * s.flips * (q * Math.log(q) + (1 - q) * Math.log(1 - q));
  const se = (side: Fixation): number => side.sdFixation / Math.sqrt(s.coins);
  return {
    name: 'coin',
    unit: 's',
    ours: med(o, 'seconds'),
    peer: med(p, 'seconds'),
    ratio: med(o, 'seconds') / med(p, 'seconds'),
    settings: { coins: s.coins, flips: s.flips, start: s.start, seed: s.seed, threads: { ours: s.workers, peer: 1 }, repeats: s.repeats, temperature: 1, policy: 'replace', record: 'log', peer: `numpy ${p[0]!.numpy}` },
    runs: { ours: o.map((x) => x.seconds), peer: p.map((x) => x.seconds) },
    cpuSeconds: { ours: med(o, 'cpuSeconds'), peer: med(p, 'cpuSeconds'), ratio: med(o, 'cpuSeconds') / med(p, 'cpuSeconds') },
    maxRssMb: { ours: med(o, 'maxRssMb'), peer: med(p, 'maxRssMb') },
    meanFixation: { ours: o[0]!.meanFixation, oursSe: se(o[0]!), peer: p[0]!.meanFixation, peerSe: se(p[0]!), kimuraOhta },
    fixedOnHeads: { ours: o[0]!.fixedOnHeads, peer: p[0]!.fixedOnHeads },
  };
}

export function table(r: BenchResult): [string, string][] {
  const m = r.meanFixation as { ours: number; oursSe: number; peer: number; peerSe: number; kimuraOhta: number };
  const st = r.settings as { coins: number; flips: number; start: number; threads: { ours: number }; repeats: number };
  const c = r.cpuSeconds as { ours: number; peer: number; ratio: number };
  const mem = r.maxRssMb as { ours: number; peer: number };
  const runs = r.runs as { ours: number[]; peer: number[] };
  return [
    ['setting', `${st.coins} coins × ${st.flips} flips/generation, start p = ${st.start}, T = 1, replace, until fixation, record: log`],
    [`ouro run, ${st.threads.ours} thread(s), whole process`, `${r.ours.toFixed(2)} s (median of ${runs.ours.map((x) => x.toFixed(2)).join(', ')})`],
    [`peer (${String(r.settings.peer)}, 1 thread), whole process`, `${r.peer.toFixed(2)} s (median of ${runs.peer.map((x) => x.toFixed(2)).join(', ')})`],
    ['ratio ours / peer (wall)', r.ratio.toFixed(3)],
    ['ratio ours / peer (CPU time)', `${c.ratio.toFixed(3)} (${c.ours.toFixed(2)} s / ${c.peer.toFixed(2)} s)`],
    ['peak memory', `ours ${mem.ours.toFixed(0)} MB, peer ${mem.peer.toFixed(0)} MB`],
    ['mean fixation, ours', `${m.ours.toFixed(1)} ± ${m.oursSe.toFixed(1)} generations`],
    ['mean fixation, peer', `${m.peer.toFixed(1)} ± ${m.peerSe.toFixed(1)} generations`],
    ['ours − peer', `${(m.ours - m.peer).toFixed(1)} generations = ${((m.ours - m.peer) / Math.hypot(m.oursSe, m.peerSe)).toFixed(2)} combined SE`],
    ['Kimura–Ohta diffusion', `${m.kimuraOhta.toFixed(1)} generations (an approximation: O(1) generations off at finite n)`],
  ];
}
