// Installs OpenBLAS's sgemm and the compiled element-wise kernels (the optional ouro-blas addon,
// native/blas) into the transformer family. Called once at startup by the CLI and workers;
// families cannot load it themselves because they stay free of Node imports.
import { createRequire } from 'node:module';
import { setGemm, type Sgemm } from '../families/transformer/gemm.ts';
import { setKernels, type Kernels } from '../families/transformer/layers.ts';

/** Which GEMM float32 work uses, why, and what OpenBLAS reports about itself. */
export interface GemmStatus {
  readonly active: 'openblas' | 'typescript';
  readonly reason: string;
  readonly blas?: { readonly config: string; readonly corename: string; readonly threads: number };
}

interface Addon extends Partial<Kernels> {
  sgemm: Sgemm;
  info(): { config: string; corename: string; threads: number };
  setThreads(n: number): void;
}

let status: GemmStatus | undefined;

/**
 * Loads the addon unless OURO_GEMM=typescript; on failure keeps the TypeScript GEMM and says why.
 * Idempotent: later calls return the first call's status.
 */
export function installNativeGemm(env: NodeJS.ProcessEnv = process.env): GemmStatus {
  if (status) return status;
  if (env.OURO_GEMM === 'typescript') return (status = { active: 'typescript', reason: 'OURO_GEMM=typescript asks for the TypeScript GEMM' });
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)('ouro-blas') as Addon;
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    return (status = {
      active: 'typescript',
      reason: `the ouro-blas addon is not built (${why}); install libopenblas-dev and run npm ci (or npm rebuild ouro-blas)`,
    });
  }
  // One OpenBLAS thread unless OPENBLAS_NUM_THREADS says otherwise: the per-head attention
  // GEMMs (128×32×128) ran 10× slower with a second thread's hand-offs on 2 cores, and the large
  // GEMMs gained nothing (measured on the 2-core machine this was written on; bench/transformer.ts).
  const explicit = env.OPENBLAS_NUM_THREADS !== undefined;
  if (!explicit) addon.setThreads(1);
  setGemm({ sgemm: addon.sgemm, name: 'openblas' });
  // An addon built before the kernels existed has only sgemm; the TypeScript kernels stay then.
  if (typeof addon.geluForward === 'function') setKernels(addon as Addon & Kernels);
  const blas = addon.info();
  const threads = explicit ? `OPENBLAS_NUM_THREADS=${env.OPENBLAS_NUM_THREADS}` : '1 thread by default (set OPENBLAS_NUM_THREADS to change)';
  return (status = { active: 'openblas', reason: `the ouro-blas addon loaded; ${threads}`, blas });
}
