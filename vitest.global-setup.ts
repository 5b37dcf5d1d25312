// Runs once around the whole test run: compiles the sources (bin/build.js) so that tests
// starting `ouro` in parallel find a fresh build instead of each building one; with
// OURO_REQUIRE_ALL=1 (CI) a missing system package fails at once; otherwise the run ends with
// one line naming what was skipped. Every test process caches generation 0 of pretrained
// families in one temporary OURO_CACHE, removed at the end, never in the user's ~/.cache.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missing, skipLine } from './src/system.test-support.ts';

export function setup(): () => void {
  execFileSync(process.execPath, ['bin/build.js'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const lacking = missing();
  if (lacking.length > 0 && process.env.OURO_REQUIRE_ALL === '1') {
    throw new Error(`OURO_REQUIRE_ALL=1 but this machine lacks what some tests need. ${skipLine(lacking)}`);
  }
  const cache = mkdtempSync(join(tmpdir(), 'ouro-test-cache-'));
  process.env.OURO_CACHE = cache;
  return () => {
    rmSync(cache, { recursive: true, force: true });
    if (lacking.length > 0) process.stdout.write(`\n${skipLine(lacking)}\n`);
  };
}
