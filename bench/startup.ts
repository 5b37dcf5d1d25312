// `npm run bench -- startup [--repeats N] [--workers N] [--json]`: how long a user waits before
// anything happens. Three whole processes, alternating so that all see the same machine load:
//
// - peer: `node -e ''`, Node's own start, the floor no Node program can go under;
// - `ouro --help`, start to exit;
// - `ouro run examples/coin-20.yaml`, start to its first generation: the moment the run prints
//   its first progress line (`generation 1/…`), which it does as soon as a block of seeds has
//   stepped once (config parsed, run directory created, worker threads started). The process is
//   then killed, so the rest of the run is not timed.
//
// Wall times grow with the machine's load; CPU times (GNU time) much less, so the CPU times of
// `node -e ''`, `ouro --help` and of the run cut to 16 seeds × 1 generation (whole process: an
// upper bound of the CPU spent reaching the first generation) are reported too.
//
// A warm-up round first, untimed: the first start after a change to the sources builds dist/
// (about a second, once), which is not what a user waits for at every start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.ts';

interface Settings {
  repeats: number;
  workers: number;
}

function parse(args: string[]): Settings {
  const s: Settings = { repeats: 9, workers: availableParallelism() };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!.replace(/^--/, '');
    const v = Number(args[i + 1]);
    if (!(flag in s) || !Number.isInteger(v) || v < 1) throw new Error(`startup bench: unknown option or bad value '${args[i]} ${args[i + 1]}'; use --repeats N --workers N (whole numbers ≥ 1)`);
    s[flag as keyof Settings] = v;
  }
  return s;
}

const repo = fileURLToPath(new URL('..', import.meta.url));
const ouro = join(repo, 'bin/ouro.js');
const FIRST_GENERATION = /generation [1-9]\d*\//;

const TIME = '/usr/bin/time';

/**
 * Seconds from spawning `node args` until it exits (code 0 required), or, with `until`, until
 * its stderr matches `until`; the process is then killed.
 */
function timed(args: readonly string[], until?: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let seen: number | undefined;
    p.stderr.on('data', (d: Buffer) => {
      err += String(d);
      if (until && seen === undefined && until.test(err)) {
        seen = (performance.now() - t0) / 1000;
        p.kill('SIGKILL');
      }
    });
    p.on('error', reject);
    p.on('close', (code) => {
      const at = until ? seen : code === 0 ? (performance.now() - t0) / 1000 : undefined;
      if (at === undefined) reject(new Error(`startup bench: node ${args.join(' ')} ${until ? `ended (code ${code}) before printing ${String(until)}` : `failed (code ${code})`}:\n${err.slice(-2000)}`));
      else resolve(at);
    });
  });
}

/** CPU seconds (user + system) of `node args` run to its end, from GNU time: less sensitive to the machine's load than wall time. */
function cpuOf(args: readonly string[]): number {
  if (!existsSync(TIME)) throw new Error(`startup bench: ${TIME} (GNU time) is needed to measure CPU time; Debian: apt-get install time`);
  const r = spawnSync(TIME, ['-f', 'OURO-TIME %U %S', process.execPath, ...args], { cwd: repo, encoding: 'utf8' });
  const m = /OURO-TIME (\S+) (\S+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`startup bench: node ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return Number(m[1]) + Number(m[2]);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function run(args: string[]): Promise<BenchResult> {
  const s = parse(args);
  const tmp = mkdtempSync(join(tmpdir(), 'ouro-bench-startup-'));
  const runArgs = (out: string) => [ouro, 'run', 'examples/coin-20.yaml', '--out', join(tmp, out), '--workers', String(s.workers)];
  const node: number[] = [];
  const help: number[] = [];
  const first: number[] = [];
  const cpu = { node: [] as number[], help: [] as number[], oneGeneration: [] as number[] };
  const oneGeneration = (i: number) => [...runArgs(`one-${i}`), '--seeds', '16', '--set', 'loop.generations=1'];
  try {
    await timed([ouro, '--help']); // warm-up: builds dist/ if the sources changed
    await timed(runArgs('warm-up'), FIRST_GENERATION);
    for (let i = 0; i < s.repeats; i++) {
      node.push(await timed(['-e', '']));
      help.push(await timed([ouro, '--help']));
      first.push(await timed(runArgs(`first-${i}`), FIRST_GENERATION));
      cpu.node.push(cpuOf(['-e', '']));
      cpu.help.push(cpuOf([ouro, '--help']));
      cpu.oneGeneration.push(cpuOf(oneGeneration(i)));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const over = (xs: readonly number[]) => median(xs.map((x, i) => x - node[i]!));
  return {
    name: 'startup',
    unit: 's',
    ours: median(help),
    peer: median(node),
    ratio: median(help) / median(node),
    settings: { repeats: s.repeats, workers: s.workers, run: 'ouro run examples/coin-20.yaml', peer: `node -e '' (Node ${process.version})`, targets: { help: 0.2, firstGeneration: 0.4 } },
    runs: { node, help, firstGeneration: first },
    firstGeneration: median(first),
    overNode: { help: over(help), firstGeneration: over(first) },
    cpuSeconds: { node: median(cpu.node), help: median(cpu.help), oneGeneration: median(cpu.oneGeneration) },
  };
}

export function table(r: BenchResult): [string, string][] {
  const st = r.settings as { repeats: number; workers: number; run: string; peer: string };
  const over = r.overNode as { help: number; firstGeneration: number };
  const cpu = r.cpuSeconds as { node: number; help: number; oneGeneration: number };
  const ms = (x: number) => `${(1000 * x).toFixed(0)} ms`;
  return [
    ['setting', `whole processes, alternating, median of ${st.repeats}; after one untimed warm-up round`],
    [`peer: ${st.peer}`, `${ms(r.peer)} (CPU ${ms(cpu.node)})`],
    ['ouro --help, start to exit', `${ms(r.ours)} (CPU ${ms(cpu.help)}; ${r.ratio.toFixed(2)}× Node's own start; ${ms(over.help)} beyond it) — target ≤ 200 ms`],
    [`${st.run} --workers ${st.workers}, start to first generation`, `${ms(r.firstGeneration as number)} (${ms(over.firstGeneration)} beyond Node's own start) — target ≤ 400 ms`],
    ['the same run cut to 16 seeds × 1 generation, whole process', `CPU ${ms(cpu.oneGeneration)} (every thread; start, first generation, theory, log, Parquet, summary)`],
  ];
}
