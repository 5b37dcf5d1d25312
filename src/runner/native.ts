// Loads the project's compiled optional packages (ouro-blas, built from native/blas) for the
// families that ask for one through Io.native: the runner never installs anything into a
// family; a family's resolve receives the package and makes its own backend from it. Loaded
// once per process, since a compiled addon cannot be unloaded.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NativeModule } from '../families/entry.ts';

const require = createRequire(import.meta.url);
const loaded = new Map<string, NativeModule>();

/** What a compiled package exports for thread control (ouro-blas: OpenBLAS's threads and the kernels'). */
interface Threaded {
  setThreads?(n: number): void;
}

/**
 * The package `module`, or why it cannot be used: OURO_GEMM=typescript asks for none, or it is
 * not built. Threads: one unless OPENBLAS_NUM_THREADS says otherwise, since sweeps and claim 7
 * run one cell per core, which keeps every core busy with no hand-offs; a lone run can share its
 * GEMMs and kernel loops among threads (bench/transformer.ts measures both).
 */
export function loadNative(module: string, env: NodeJS.ProcessEnv = process.env): NativeModule {
  const known = loaded.get(module);
  if (known) return known;
  let m: NativeModule;
  if (env.OURO_GEMM === 'typescript') m = { reason: 'OURO_GEMM=typescript asks for the TypeScript loops' };
  else {
    try {
      const exports = require(module) as Threaded;
      const explicit = env.OPENBLAS_NUM_THREADS !== undefined;
      exports.setThreads?.(explicit ? Math.max(1, Number(env.OPENBLAS_NUM_THREADS) || 1) : 1);
      const threads = explicit ? `OPENBLAS_NUM_THREADS=${env.OPENBLAS_NUM_THREADS}` : '1 thread by default (set OPENBLAS_NUM_THREADS to change)';
      m = { exports, reason: `the ${module} addon loaded; ${threads}`, digest: digestOf(module) };
    } catch (e) {
      const why = (e as Error).message.split('\n')[0];
      m = { reason: `the ${module} addon is not built (${why}); install libopenblas-dev and run npm ci (or npm rebuild ${module})` };
    }
  }
  loaded.set(module, m);
  return m;
}

/** The threads of a loaded package from now on (a benchmark's thread counts); no effect if it is not loaded. */
export function setNativeThreads(module: string, n: number): void {
  (loaded.get(module)?.exports as Threaded | undefined)?.setThreads?.(n);
}

/** SHA-256 of the compiled files of `module` (build/Release/*.node): results depend on them besides the sources. */
function digestOf(module: string): string {
  const dir = join(dirname(require.resolve(module)), 'build', 'Release');
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.node')).sort()) h.update(readFileSync(join(dir, f)));
  return h.digest('hex');
}
