// The playground's simulation, in a Web Worker: the same config schema, family entries and
// loop as `ouro run`, seeded the same way (seed s uses foldIn(key(config.seed), s), its
// setup foldIn(that, 0)), so a config gives here the numbers it gives on the command line.
// Seeds advance in lockstep, one message per generation; a seed that stopped (collapse is
// absorbing) carries its last values forward, as the runner's aggregates do.
import { loop, type LoopState } from '../../core/loop.ts';
import { foldIn, key } from '../../core/random.ts';
import { seedList, settingsOf } from '../../config/options.ts';
import { configSchema, type Config } from '../../config/schema.ts';
import type { Io } from '../../families/entry.ts';
import { FAMILIES } from '../../families/index.ts';

/** main → worker */
export type Command = { readonly type: 'start'; readonly config: unknown } | { readonly type: 'stop' };
/** worker → main */
export type Report =
  | { readonly type: 'ready'; readonly families: readonly string[] }
  | { readonly type: 'theory'; readonly theory: Record<string, readonly number[] | number | null> }
  | { readonly type: 'generation'; readonly generation: number; readonly metrics: Record<string, number[]> }
  | { readonly type: 'done'; readonly generation: number }
  | { readonly type: 'error'; readonly message: string };

/** Files cannot be read in a page; families that need them say so through this error. */
const browserIo: Io = {
  readFile: (path) => Promise.reject(new Error(`cannot read ${path} in the browser; use a built-in corpus (source: toy)`)),
  importModule: (specifier) => import(/* @vite-ignore */ specifier) as Promise<unknown>,
};

let current = 0; // a new start or a stop ends the previous simulation at its next batch

/** Validates `raw`, posts the theory, then every generation of every seed; `post` is the worker's postMessage. */
export async function simulate(raw: unknown, post: (r: Report) => void, token: number, batchMs = 30): Promise<void> {
  const family = (raw as { family?: unknown })?.family;
  const entry = typeof family === 'string' ? FAMILIES[family] : undefined;
  if (!entry) return post({ type: 'error', message: `family: expected one of ${Object.keys(FAMILIES).join(', ')}, got ${JSON.stringify(family)}` });
  const parsed = configSchema(entry).safeParse(raw);
  if (!parsed.success) return post({ type: 'error', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') });
  const config: Config = parsed.data;
  const settings = settingsOf(config, entry);
  const opts = settings.loop;
  const seeds = seedList(config);
  const gens = Array.from({ length: opts.generations + 1 }, (_, g) => g);
  const resources = entry.resolve ? await entry.resolve(settings, browserIo) : undefined;
  post({ type: 'theory', theory: entry.theory?.(settings, gens) ?? {} });
  const runs = seeds.map((s) => {
    const seedKey = foldIn(key(config.seed), s);
    const exp = entry.setup(settings, resources, foldIn(seedKey, 0));
    return { exp, it: loop(exp, opts, seedKey), last: {} as Record<string, number> };
  });
  let started = Date.now();
  for (let g = 0; g <= opts.generations; g++) {
    const metrics: Record<string, number[]> = {};
    runs.forEach((r, i) => {
      const step = r.it.next();
      if (!step.done) r.last = r.exp.family.metrics((step.value as LoopState<unknown, unknown>).model, { initial: r.exp.initial, ...(r.exp.heldOut !== undefined ? { heldOut: r.exp.heldOut } : {}) });
      for (const [m, v] of Object.entries(r.last)) (metrics[m] ??= new Array<number>(runs.length).fill(NaN))[i] = v;
    });
    post({ type: 'generation', generation: g, metrics });
    if (Date.now() - started > batchMs) {
      await new Promise((res) => setTimeout(res, 0)); // let a stop or a new start arrive
      if (token !== current) return;
      started = Date.now();
    }
  }
  post({ type: 'done', generation: opts.generations });
}

/** Wires `simulate` to a worker scope's messages. */
export function listen(scope: { onmessage: ((e: MessageEvent<Command>) => void) | null; postMessage(r: Report): void }): void {
  scope.postMessage({ type: 'ready', families: Object.keys(FAMILIES) });
  scope.onmessage = (e) => {
    const token = ++current;
    if (e.data.type === 'start') simulate(e.data.config, (r) => scope.postMessage(r), token).catch((err: Error) => scope.postMessage({ type: 'error', message: err.message }));
  };
}
