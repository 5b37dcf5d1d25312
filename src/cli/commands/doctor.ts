// `ouro doctor`: what this machine offers Ouroboros — Node, cores, which GEMM the transformer
// family uses and why, OpenBLAS's threads, where pretrained generation 0 is cached, and whether
// the optional peers (numpy, PyTorch) that benchmarks compare against are installed.
import { execFileSync } from 'node:child_process';
import { availableParallelism, totalmem } from 'node:os';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { kernelsName } from '../../families/transformer/layers.ts';
import { cacheDir } from '../../runner/base-cache.ts';
import { installNativeGemm } from '../../runner/native-gemm.ts';

// Debian's python3-torch lives beside /usr/bin/python3, which another python3 on PATH may hide.
const PYTHONS = ['python3', '/usr/bin/python3'];

/** `module.__version__ (interpreter)` from the first interpreter that imports it, or null. */
function pythonModule(module: string): string | null {
  for (const py of PYTHONS) {
    try {
      const v = execFileSync(py, ['-c', `import ${module}; print(${module}.__version__)`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
      return `${v} (${py})`;
    } catch {
      continue;
    }
  }
  return null;
}

/** The facts doctor reports, as plain data (printed as a table or, with --json, as JSON). */
export function diagnose(): Record<string, unknown> {
  const gemm = installNativeGemm();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    gemm: gemm.active,
    gemmReason: gemm.reason,
    kernels: kernelsName(),
    openblas: gemm.blas ? `${gemm.blas.config} (core ${gemm.blas.corename})` : null,
    openblasThreads: gemm.blas?.threads ?? null,
    OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? null,
    cache: `${cacheDir()} (${process.env.OURO_CACHE ? 'OURO_CACHE' : 'default; set OURO_CACHE to move it'})`,
    numpy: pythonModule('numpy'),
    torch: pythonModule('torch'),
  };
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description(COMMANDS.doctor.description)
    .option('--json', 'print one JSON document')
    .action((opts: { json?: boolean }) => {
      const facts = diagnose();
      if (opts.json) return void process.stdout.write(JSON.stringify(facts) + '\n');
      const w = Math.max(...Object.keys(facts).map((k) => k.length));
      for (const [k, v] of Object.entries(facts)) process.stdout.write(`  ${k.padEnd(w)}  ${v ?? '—'}\n`);
    });
}
