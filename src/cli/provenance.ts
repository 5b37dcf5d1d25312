// What produced a run: the package version and, in a git checkout, the commit.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function provenance(): { version: string; commit: string | null } {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' });
  return { version: pkg.version, commit: git.status === 0 ? git.stdout.trim() : null };
}
