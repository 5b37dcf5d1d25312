// System packages some tests need. On a machine without one, those tests skip and the run ends
// with one line naming what was skipped and the apt-get line that enables it
// (vitest.global-setup.ts). Under OURO_REQUIRE_ALL=1 (.ci/run sets it) nothing may skip: a
// missing package fails the run before any test starts.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export type Requirement = 'redis' | 'chromium' | 'torch' | 'openblas';

/** Debian's package for each requirement (what `apt-get install` needs). */
export const PACKAGES: Readonly<Record<Requirement, string>> = {
  redis: 'redis-server',
  chromium: 'chromium',
  torch: 'python3-torch',
  openblas: 'libopenblas-dev build-essential', // then `npm rebuild ouro-blas`
};

const probes: Record<Requirement, () => boolean> = {
  redis: () => runs('redis-server', ['--version']),
  chromium: () => runs('/usr/bin/chromium', ['--version']),
  torch: () => runs('/usr/bin/python3', ['-c', 'import torch']),
  openblas: () => {
    try {
      createRequire(import.meta.url)('ouro-blas');
      return true;
    } catch {
      return false;
    }
  },
};

function runs(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const known = new Map<Requirement, boolean>();

/** Whether this machine has `r` (probed once per process). Use as `describe.skipIf(!has('redis'))`. */
export function has(r: Requirement): boolean {
  let v = known.get(r);
  if (v === undefined) known.set(r, (v = probes[r]()));
  return v;
}

/** The requirements this machine lacks. */
export function missing(): Requirement[] {
  return (Object.keys(probes) as Requirement[]).filter((r) => !has(r));
}

/** One line naming what skips here and how to enable it; empty when nothing is missing. */
export function skipLine(lacking: readonly Requirement[]): string {
  if (lacking.length === 0) return '';
  const pkgs = lacking.map((r) => PACKAGES[r]).join(' ');
  return `skipped: tests that need ${lacking.map((r) => PACKAGES[r].split(' ')[0]).join(', ')}; to run them: sudo apt-get install ${pkgs}${lacking.includes('openblas') ? ' && npm rebuild ouro-blas' : ''}`;
}
