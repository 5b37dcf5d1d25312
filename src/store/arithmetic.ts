// What besides the config decides a run's bytes: for the transformer, the GEMM, the compiled
// kernels and their build, and the CPU kernels OpenBLAS chose (another core type rounds
// differently; docs/security.md says what was measured). config.json records it as
// `arithmetic`; a resume on other arithmetic, and a sweep cell computed (here or by a queue
// worker) on other arithmetic than the sweep's complete cells, are refused, so no run or sweep
// mixes the two silently.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from './rundir.ts';
import { cellStatus, type SweepIndex } from './sweepdir.ts';

export type Arithmetic = Readonly<Record<string, string | null>>;

/** The arithmetic config.json (its text) records, or undefined for runs that record none (other families, older runs). */
export function arithmeticIn(configText: string): Arithmetic | undefined {
  try {
    const a = (JSON.parse(configText) as { arithmetic?: unknown }).arithmetic;
    return a !== null && typeof a === 'object' && !Array.isArray(a) ? (a as Arithmetic) : undefined;
  } catch {
    return undefined; // an unreadable config.json is reported by whoever reads it for its config
  }
}

/** The arithmetic the run in `dir` records, if any. */
export function arithmeticOf(dir: string): Arithmetic | undefined {
  const path = join(dir, FILES.config);
  return existsSync(path) ? arithmeticIn(readFileSync(path, 'utf8')) : undefined;
}

/** The arithmetic the sweep's complete cells were computed on (the first that records one), which every other cell must share. */
export function sweepArithmetic(dir: string, index: SweepIndex): { arithmetic: Arithmetic; runId: string } | undefined {
  for (const c of index.cells) {
    if (cellStatus(dir, c) !== 'complete') continue;
    const arithmetic = arithmeticOf(join(dir, c.dir));
    if (arithmetic) return { arithmetic, runId: c.runId };
  }
  return undefined;
}

/** Where `a` and `b` differ, as `key: a vs b`, or undefined when they agree (or either is unknown). */
export function arithmeticDifference(a: Arithmetic | undefined, b: Arithmetic | undefined, names: readonly [string, string]): string | undefined {
  if (!a || !b) return undefined;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => (a[k] ?? null) !== (b[k] ?? null));
  if (keys.length === 0) return undefined;
  return keys.map((k) => `${k} ${show(a[k])} ${names[0]}, ${show(b[k])} ${names[1]}`).join('; ');
}

function show(v: string | null | undefined): string {
  if (v === null || v === undefined) return 'none';
  return /^[0-9a-f]{64}$/.test(v) ? v.slice(0, 12) : v; // a build digest, shortened as git shortens commits
}
