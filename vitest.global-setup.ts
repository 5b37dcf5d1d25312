// Runs once around the whole test run: with OURO_REQUIRE_ALL=1 (CI) a missing system package
// fails at once; otherwise the run ends with one line naming what was skipped.
import { missing, skipLine } from './src/system.test-support.ts';

export function setup(): () => void {
  const lacking = missing();
  if (lacking.length > 0 && process.env.OURO_REQUIRE_ALL === '1') {
    throw new Error(`OURO_REQUIRE_ALL=1 but this machine lacks what some tests need. ${skipLine(lacking)}`);
  }
  return () => {
    if (lacking.length > 0) process.stdout.write(`\n${skipLine(lacking)}\n`);
  };
}
