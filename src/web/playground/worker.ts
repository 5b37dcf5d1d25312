// The playground's simulation, in a Web Worker: the same config schema, family entries, loop
// and seed keys (core/seeds.ts) as `ouro run`, so a config gives here the numbers it gives on
// the command line. Seeds advance in lockstep, one message per generation; a seed that stopped
// for good carries its last values forward, by the same rule as the runner's aggregates.
import { loop } from '../../core/loop.ts';
import { seedKey, setupKey, standingAt, type SeedEnd } from '../../core/seeds.ts';
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
  type Last = SeedEnd & { readonly values: Record<string, number> };
  const runs = seeds.map((s) => {
    const exp = entry.setup(settings, resources, setupKey(config.seed, s));
    return { exp, it: loop(exp, opts, seedKey(config.seed, s)), last: undefined as Last | undefined, done: false };
  });
  let started = Date.now();
  for (let g = 0; g <= opts.generations; g++) {
    const metrics: Record<string, number[]> = {};
    runs.forEach((r, i) => {
      let own: Record<string, number> | undefined;
      const step = r.done ? undefined : r.it.next();
      if (step?.done) r.done = true;
      else if (step) {
        const st = step.value;
        own = r.exp.family.metrics(st.model, { initial: r.exp.initial, ...(r.exp.heldOut !== undefined ? { heldOut: r.exp.heldOut } : {}) });
        r.last = { generation: st.generation, collapsedAt: r.last?.collapsedAt ?? (st.collapsed ? st.generation : null), values: own };
      }
      // A seed that stopped carries its values forward as the runner's aggregates do (core/seeds.ts).
      const values = standingAt(g, own, r.done ? r.last : undefined, opts.generations) ?? {};
      for (const [m, v] of Object.entries(values)) (metrics[m] ??= new Array<number>(runs.length).fill(NaN))[i] = v;
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
