// What produced a run: the package version and, in a git checkout, the commit.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './entry-points.ts';

export function provenance(): { version: string; commit: string | null } {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  return { version: pkg.version, commit: git.status === 0 ? git.stdout.trim() : null };
}
