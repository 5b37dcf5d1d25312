// `ouro doctor`: what this machine offers Ouroboros — Node, cores, memory, where pretrained
// generation 0 is cached, what each family found here (its doctor hook: the transformer's GEMM
// and kernels, and why), and whether the optional peers (numpy, PyTorch) that benchmarks
// compare against are installed.
import { execFileSync } from 'node:child_process';
import { availableParallelism, totalmem } from 'node:os';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { FAMILIES } from '../../families/index.ts';
import { cacheDir } from '../../runner/base-cache.ts';
import { nodeIo } from '../../runner/io.ts';

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
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    ...Object.assign({}, ...Object.values(FAMILIES).map((e) => e.doctor?.(nodeIo) ?? {})),
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
