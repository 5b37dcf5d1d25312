// The commit read from the repository's files is the one `git rev-parse HEAD` names: in this
// checkout (a repository or a worktree), on a branch whose ref is loose or packed, detached,
// and outside git.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './entry-points.ts';
import { headCommit } from './provenance.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-git-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' }).trim();

describe('headCommit', () => {
  it('names the commit git names, in this checkout', () => {
    expect(headCommit(PACKAGE_ROOT)).toBe(git(PACKAGE_ROOT, 'rev-parse', 'HEAD'));
  });

  it('follows loose and packed refs, a worktree and a detached HEAD; null outside git', () => {
    const repo = join(tmp, 'repo');
    git(tmp, 'init', '-q', '-b', 'main', repo);
    writeFileSync(join(repo, 'a'), '1');
    git(repo, 'add', 'a');
    git(repo, 'commit', '-qm', 'one');
    expect(headCommit(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    git(repo, 'pack-refs', '--all');
    expect(headCommit(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    git(repo, 'worktree', 'add', '-q', '-b', 'side', join(tmp, 'wt'));
    writeFileSync(join(tmp, 'wt', 'b'), '2');
    git(join(tmp, 'wt'), 'add', 'b');
    git(join(tmp, 'wt'), 'commit', '-qm', 'two');
    expect(headCommit(join(tmp, 'wt'))).toBe(git(join(tmp, 'wt'), 'rev-parse', 'HEAD'));
    expect(headCommit(join(tmp, 'wt'))).not.toBe(headCommit(repo));
    git(repo, 'checkout', '-q', '--detach');
    expect(headCommit(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    expect(headCommit(tmp)).toBeNull();
  });
});
