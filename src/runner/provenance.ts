// What produced a run: the package version and, in a git checkout, the commit. The commit is
// read from the repository's files (HEAD, then the branch's ref, loose or packed), which costs
// a few file reads where starting `git` costs ~50 ms of every run's start; a layout these reads
// do not cover (another ref store, a detached worktree oddity) asks `git` itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from './entry-points.ts';

export function provenance(): { version: string; commit: string | null } {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return { version: pkg.version, commit: headCommit(PACKAGE_ROOT) };
}

const SHA = /^[0-9a-f]{40}$/;

/** The commit checked out in `root` (a repository or a worktree of one), or null outside git. */
export function headCommit(root: string): string | null {
  const dot = join(root, '.git');
  if (!existsSync(dot)) return null;
  try {
    // A worktree's .git is a file naming its git directory; its branches live in the common one.
    const gitDir = statSync(dot).isDirectory() ? dot : resolveFrom(root, /^gitdir: (.+)$/m.exec(readFileSync(dot, 'utf8'))![1]!.trim());
    const common = existsSync(join(gitDir, 'commondir')) ? resolveFrom(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (SHA.test(head)) return head;
    const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
    if (ref) {
      for (const dir of [gitDir, common]) {
        const loose = join(dir, ref);
        if (existsSync(loose)) {
          const sha = readFileSync(loose, 'utf8').trim();
          if (SHA.test(sha)) return sha;
        }
      }
      const packed = join(common, 'packed-refs');
      const line = existsSync(packed) ? readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` ${ref}`)) : undefined;
      if (line && SHA.test(line.slice(0, 40))) return line.slice(0, 40);
    }
  } catch {
    // fall through to git
  }
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : null;
}

function resolveFrom(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}
