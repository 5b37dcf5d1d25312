// Where the GPT's float32 work runs: a value passed to every function that computes, never a
// module-level switch. TYPESCRIPT is the loops in gemm.ts and layers.ts (the definitions);
// a native backend routes GEMMs to OpenBLAS's sgemm and the element-wise work to the compiled
// kernels of the optional ouro-blas package (native/blas), which the outer ring loads and hands
// to the family's resolve through Io.native. Float64Array work (the gradient check) always
// takes the TypeScript loops.
import type { NativeModule } from '../entry.ts';
import type { Sgemm } from './gemm.ts';
import type { Kernels } from './layers.ts';

export interface Backend {
  /** cblas_sgemm for Float32 GEMMs; undefined: the TypeScript loop. */
  readonly sgemm?: Sgemm | undefined;
  /** The compiled element-wise kernels; undefined: the TypeScript loops. */
  readonly kernels?: Kernels | undefined;
  /** SHA-256 of the compiled package: float32 results depend on it besides the sources. */
  readonly digest?: string | undefined;
  /** OpenBLAS's build and the CPU kernels it chose (another core type may round differently). */
  readonly blas?: string | undefined;
}

/** The TypeScript loops for everything. */
export const TYPESCRIPT: Backend = Object.freeze({});

/** The package the native backend comes from. */
export const NATIVE_MODULE = 'ouro-blas';

/** Every compiled kernel the TypeScript side calls: a package lacking one was built from older sources. */
const KERNELS: readonly (keyof Kernels)[] = [
  'geluForward', 'geluBackward', 'layernormForward', 'layernormBackward', 'biasBackward', 'attentionStep', 'attentionForward', 'attentionBackward',
  'crossEntropyForward', 'crossEntropyBackward', 'sampleRows', 'sumSquares', 'scale', 'adamw',
];

interface Addon extends Kernels {
  sgemm: Sgemm;
  info(): { config: string; corename: string; threads: number };
}

/** The backend the loaded package gives (TYPESCRIPT without one, or a stale one), why, and OpenBLAS's threads. */
export function backendOf(m: NativeModule | undefined): { backend: Backend; reason: string; threads?: number } {
  if (!m?.exports) return { backend: TYPESCRIPT, reason: m?.reason ?? `${NATIVE_MODULE} cannot load here` };
  const addon = m.exports as Partial<Addon>;
  const missing = KERNELS.filter((k) => typeof addon[k] !== 'function');
  if (typeof addon.sgemm !== 'function' || missing.length > 0) {
    return { backend: TYPESCRIPT, reason: `the ${NATIVE_MODULE} addon was built from older sources (it lacks ${missing.join(', ') || 'sgemm'}); run npm rebuild ${NATIVE_MODULE}` };
  }
  const a = addon as Addon;
  const info = a.info();
  return { backend: Object.freeze({ sgemm: a.sgemm, kernels: a, digest: m.digest, blas: `${info.config} (core ${info.corename})` }), reason: m.reason, threads: info.threads };
}

/** The GEMM float32 work uses under `be`. */
export function gemmName(be: Backend): string {
  return be.sgemm ? 'openblas' : 'typescript';
}

/** Whether compiled element-wise kernels do float32 work under `be`. */
export function kernelsName(be: Backend): string {
  return be.kernels ? 'native' : 'typescript';
}
