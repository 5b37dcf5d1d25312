// Starting a run from the dashboard: the pasted text is validated with the same parser as
// `ouro run` (errors keep their line and column), then `ouro run` runs it in a child process
// writing into the runs directory, so a run started here is the same as one started by hand.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig, type ConfigIssue } from '../config/load.ts';
import { PACKAGE_ROOT } from '../runner/entry-points.ts';
import { FILES } from '../store/rundir.ts';

const OURO = join(PACKAGE_ROOT, 'bin', 'ouro.js');

/** A started run's directory (relative to the runs directory), or why the config was refused. */
export type LaunchResult = { ok: true; name: string; dir: string } | { ok: false; issues: readonly ConfigIssue[] };

/** Runs started by this server, so stopping the server stops them. */
export class Launcher {
  private readonly children = new Set<ChildProcess>();

  constructor(private readonly runsDir: string) {}

  /** Validates `text` and, if valid, starts `ouro run` on it into a fresh directory under the runs directory. */
  start(text: string): LaunchResult {
    let name: string;
    try {
      name = parseConfig(text, 'config').name;
    } catch (e) {
      if (e instanceof ConfigError) return { ok: false, issues: e.issues };
      throw e;
    }
    const dirName = freshName(this.runsDir, name);
    const file = join(mkdtempSync(join(tmpdir(), 'ouro-serve-')), `${name}.yaml`);
    writeFileSync(file, text);
    const out = join(this.runsDir, dirName);
    const child = spawn(process.execPath, [OURO, 'run', file, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.children.add(child);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8192)));
    child.on('exit', (code, signal) => {
      this.children.delete(child);
      // A run that fails before its first generation (e.g. a corpus it cannot read) leaves
      // only this note; the runner writes the same file for failures during the run.
      if (code !== 0 && !existsSync(join(out, FILES.failed))) writeFileSync(join(out, FILES.failed), `ouro run ended with ${signal ?? `exit code ${code}`}\n${stderr}`);
    });
    return { ok: true, name, dir: dirName };
  }

  /** Stops every run this server started that is still going. */
  stopAll(): void {
    for (const c of this.children) c.kill('SIGTERM');
  }
}

/** Creates `<name>-<n>` in `root` for the first n ≥ 1 not taken (mkdir is the atomic claim) and returns it. */
function freshName(root: string, name: string): string {
  for (let n = 1; ; n++) {
    try {
      mkdirSync(join(root, `${name}-${n}`));
      return `${name}-${n}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
