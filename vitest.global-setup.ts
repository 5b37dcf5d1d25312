// Runs once around the whole test run: compiles the sources (bin/build.js) so that tests
// starting `ouro` in parallel find a fresh build instead of each building one; with
// OURO_REQUIRE_ALL=1 (CI) a missing system package fails at once; otherwise the run ends with
// one line naming what was skipped.
import { execFileSync } from 'node:child_process';
import { missing, skipLine } from './src/system.test-support.ts';

export function setup(): () => void {
  execFileSync(process.execPath, ['bin/build.js'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const lacking = missing();
  if (lacking.length > 0 && process.env.OURO_REQUIRE_ALL === '1') {
    throw new Error(`OURO_REQUIRE_ALL=1 but this machine lacks what some tests need. ${skipLine(lacking)}`);
  }
  return () => {
    if (lacking.length > 0) process.stdout.write(`\n${skipLine(lacking)}\n`);
  };
}
