// The contract every model family keeps, as one vitest suite that each family's test file
// calls (after hono's shared adapter tests): keyed determinism, JSON round-trip of models,
// consistent sizes, resumable loops, and that fitting a large sample recovers the model (or a
// stated reason why the family's fit cannot, e.g. a network trained for a fixed number of steps).
// Test support only: imported by *.test.ts files, never by library code.
import { describe, expect, it } from 'vitest';
import { PLAIN } from './family.ts';
import { loop, type Experiment, type LoopOptions, type LoopState } from './loop.ts';
import { foldIn, key, type Key } from './random.ts';

/** fit(sample(m, largeN)) must land within `tolerance` of m by `distance`; derive the tolerance from the sampling error. */
interface Recovery<M> {
  /** Distance between two models (e.g. total variation, or a parameter norm). */
  distance(a: M, b: M): number;
  readonly largeN: number;
  readonly tolerance: number;
}

/**
 * A family whose fit is not a consistent estimator at any affordable size (a network trained
 * for a fixed number of steps) says why instead; its own tests then check what its fit does reach.
 */
interface NoRecovery {
  readonly noRecovery: string;
}

export type ContractOptions<M> = Common<M> & (Recovery<M> | NoRecovery);

interface Common<M> {
  /** Items per sample in the other checks (small enough to be fast, large enough to vary). */
  readonly n?: number;
  /** Rebuilds a model from its JSON form (typed arrays come back as arrays); default: as parsed. */
  revive?(json: unknown): M;
  /** Whether fit draws randomness from its key (then different keys must give different fits). */
  readonly fitUsesKey?: boolean;
  /** Models to check besides the experiment's initial one (which must not be a point mass). */
  models?(exp: Experiment<M, unknown>): M[];
  /** Overrides of the small loop the resume check runs (e.g. fewer samples for a slow family). */
  readonly loop?: Partial<LoopOptions>;
}

const contractLoop: LoopOptions = {
  generations: 6,
  samples: () => 50,
  constantSamples: 50,
  sampling: PLAIN,
  policy: 'accumulate',
  accumulateWindow: 3,
  realFraction: 0.2,
  training: 'finetune',
  finetuneKeep: 0,
  filter: { kind: 'none' },
  stopWhenCollapsed: false,
};

/** Registers the shared family contract suite under `describe(name)`. */
export function describeFamilyContract<M, D>(name: string, makeExperiment: () => Experiment<M, D>, opts: ContractOptions<M>): void {
  const n = opts.n ?? 200;
  const half = Math.floor(n / 2);
  const loopOpts: LoopOptions = { ...contractLoop, ...opts.loop };
  const root = key(31337);
  const k = (i: number): Key => foldIn(root, i);
  const revive = (x: M): M => (opts.revive ?? ((j: unknown) => j as M))(JSON.parse(JSON.stringify(x)));
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

  describe(`${name}: family contract`, () => {
    const exp = makeExperiment();
    const f = exp.family;
    const models = (): M[] => [exp.initial, ...(opts.models?.(exp as Experiment<M, unknown>) ?? [])];

    it('same key → same output (sample, fit, subsample)', () => {
      for (const m of models()) {
        const d = f.sample(m, n, PLAIN, k(1));
        expect(f.sample(m, n, PLAIN, k(1))).toEqual(d);
        expect(f.fit(d, { key: k(2) })).toEqual(f.fit(d, { key: k(2) }));
        expect(f.subsample(d, half, k(3))).toEqual(f.subsample(d, half, k(3)));
      }
    });

    it('different keys → different output', () => {
      // Eight keys all giving one output would mean the key is ignored (for any family with
      // more than a handful of possible samples of size n).
      const distinct = (xs: unknown[]): number => new Set(xs.map((x) => JSON.stringify(x))).size;
      const d = f.sample(exp.initial, n, PLAIN, k(1));
      expect(distinct(Array.from({ length: 8 }, (_, i) => f.sample(exp.initial, n, PLAIN, k(100 + i))))).toBeGreaterThan(1);
      expect(distinct(Array.from({ length: 8 }, (_, i) => f.subsample(d, half, k(200 + i))))).toBeGreaterThan(1);
      if (opts.fitUsesKey) expect(distinct(Array.from({ length: 8 }, (_, i) => f.fit(d, { key: k(300 + i) })))).toBeGreaterThan(1);
    });

    it('a model survives a JSON round-trip and behaves identically', () => {
      const fitted = f.fit(f.sample(exp.initial, n, PLAIN, k(4)), { key: k(5) });
      for (const m of [...models(), fitted]) {
        const r = revive(m);
        expect(same(f.sample(r, n, PLAIN, k(6)), f.sample(m, n, PLAIN, k(6)))).toBe(true);
        expect(f.metrics(r, { initial: exp.initial })).toEqual(f.metrics(m, { initial: exp.initial }));
        expect(f.collapsed(r)).toBe(f.collapsed(m));
        const d = f.sample(m, n, PLAIN, k(7));
        if (f.logLikelihood) expect(Array.from(f.logLikelihood(r, d))).toEqual(Array.from(f.logLikelihood(m, d)));
        expect(same(f.fit(d, { key: k(8), from: r }), f.fit(d, { key: k(8), from: m }))).toBe(true);
      }
    });

    it('size, concat and subsample agree', () => {
      const a = f.sample(exp.initial, n, PLAIN, k(9));
      const b = f.sample(exp.initial, n + 7, PLAIN, k(10));
      expect(f.size(a)).toBe(n);
      expect(f.size(b)).toBe(n + 7);
      expect(f.size(f.concat([a, b]))).toBe(2 * n + 7);
      expect(f.size(f.concat([a]))).toBe(n);
      expect(f.size(f.subsample(b, half, k(11)))).toBe(half);
      expect(f.size(f.subsample(b, 10 * n, k(12)))).toBe(n + 7); // asking for more keeps all
      expect(f.size(exp.drawReal(13, k(13)))).toBe(13);
      // concat and subsample do not change their inputs.
      const before = JSON.stringify([a, b]);
      f.subsample(f.concat([a, b]), n, k(14));
      expect(JSON.stringify([a, b])).toBe(before);
    });

    if ('largeN' in opts) {
      it('fit(sample(m, large n)) ≈ m', () => {
        for (const m of models()) {
          const fitted = f.fit(f.sample(m, opts.largeN, PLAIN, k(15)), { key: k(16) });
          expect(opts.distance(fitted, m)).toBeLessThan(opts.tolerance);
        }
      });
    }

    it('metrics are finite numbers', () => {
      for (const [metric, v] of Object.entries(f.metrics(exp.initial, { initial: exp.initial }))) {
        expect({ metric, finite: Number.isFinite(v) }).toEqual({ metric, finite: true });
      }
    });

    it('the loop is deterministic per key and resumes bit-identically from any generation', () => {
      const run = (start?: LoopState<M, D>): LoopState<M, D>[] => [...loop(exp, loopOpts, k(17), start)];
      const full = run();
      expect(full.map((s) => s.generation)).toEqual(Array.from({ length: loopOpts.generations + 1 }, (_, t) => t));
      expect(same(run(), full)).toBe(true);
      const at = Math.floor(loopOpts.generations / 2);
      const { train: _train, ...mid } = full[at]!;
      expect(same(run({ ...mid, model: revive(mid.model) }), full.slice(at + 1))).toBe(true);
      expect(same([...loop(exp, loopOpts, k(18))], full)).toBe(false);
    });
  });
}
