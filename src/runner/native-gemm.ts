// Installs OpenBLAS's sgemm and the compiled element-wise kernels (the optional ouro-blas addon,
// native/blas) into the transformer family. Called once at startup by the CLI and workers;
// families cannot load it themselves because they stay free of Node imports.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setGemm, type Sgemm } from '../families/transformer/gemm.ts';
import { setKernels, type Kernels } from '../families/transformer/layers.ts';

/** Which GEMM float32 work uses, why, and what OpenBLAS reports about itself. */
export interface GemmStatus {
  readonly active: 'openblas' | 'typescript';
  readonly reason: string;
  readonly blas?: { readonly config: string; readonly corename: string; readonly threads: number };
  /** SHA-256 of the compiled addon: what float32 results depend on besides the sources (base-cache.ts keys on it). */
  readonly addon?: string;
}

/** Every compiled kernel the TypeScript side calls (layers.ts Kernels): an addon lacking one is stale. */
const KERNELS: readonly (keyof Kernels)[] = [
  'geluForward', 'geluBackward', 'layernormForward', 'layernormBackward', 'biasBackward', 'attentionStep', 'attentionForward', 'attentionBackward',
  'crossEntropyForward', 'crossEntropyBackward', 'sampleRows', 'sumSquares', 'scale', 'adamw',
];

interface Addon extends Partial<Kernels> {
  sgemm: Sgemm;
  info(): { config: string; corename: string; threads: number };
  setThreads(n: number): void;
}

let status: GemmStatus | undefined;
let loaded: Addon | undefined;

/** OpenBLAS's threads from now on (a benchmark's thread counts); no effect without the addon. */
export function setBlasThreads(n: number): void {
  loaded?.setThreads(n);
}

/**
 * Loads the addon unless OURO_GEMM=typescript; on failure keeps the TypeScript GEMM and says why.
 * Idempotent: later calls return the first call's status.
 */
export function installNativeGemm(env: NodeJS.ProcessEnv = process.env): GemmStatus {
  if (status) return status;
  if (env.OURO_GEMM === 'typescript') return (status = { active: 'typescript', reason: 'OURO_GEMM=typescript asks for the TypeScript GEMM' });
  let addon: Addon;
  let digest: string;
  try {
    const require = createRequire(import.meta.url);
    addon = require('ouro-blas') as Addon;
    digest = createHash('sha256').update(readFileSync(join(dirname(require.resolve('ouro-blas')), 'build', 'Release', 'ouro_blas.node'))).digest('hex');
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    return (status = {
      active: 'typescript',
      reason: `the ouro-blas addon is not built (${why}); install libopenblas-dev and run npm ci (or npm rebuild ouro-blas)`,
    });
  }
  // One thread (OpenBLAS's and the kernels') unless OPENBLAS_NUM_THREADS says otherwise: sweeps
  // and claim 7 run one cell per core, which keeps every core busy with no hand-offs; a lone
  // run can share its GEMMs and kernel loops among threads (bench/transformer.ts measures both).
  // An addon built from older sources lacks kernels the TypeScript side calls: use none of it.
  const missing = KERNELS.filter((k) => typeof addon[k] !== 'function');
  if (missing.length > 0) return (status = { active: 'typescript', reason: `the ouro-blas addon was built from older sources (it lacks ${missing.join(', ')}); run npm rebuild ouro-blas` });
  const explicit = env.OPENBLAS_NUM_THREADS !== undefined;
  addon.setThreads(explicit ? Math.max(1, Number(env.OPENBLAS_NUM_THREADS) || 1) : 1);
  setGemm({ sgemm: addon.sgemm, name: 'openblas' });
  setKernels(addon as Addon & Kernels);
  loaded = addon;
  const blas = addon.info();
  const threads = explicit ? `OPENBLAS_NUM_THREADS=${env.OPENBLAS_NUM_THREADS}` : '1 thread by default (set OPENBLAS_NUM_THREADS to change)';
  return (status = { active: 'openblas', reason: `the ouro-blas addon loaded; ${threads}`, blas, addon: digest });
}
