// Starting a run from the dashboard: the pasted text is validated with the same parser as
// `ouro run` (errors keep their line and column), then `ouro run` runs it in a child process
// writing into the runs directory, so a run started here is the same as one started by hand,
// except that it reads corpora only where the operator allows (src/runner/confined-io.ts).
// At most `maxRunning` runs go at once; a few more wait their turn; beyond that the caller is
// told to come back later.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig, type ConfigIssue } from '../config/load.ts';
import { CORPUS_POLICY_ENV, DEFAULT_MAX_CORPUS_MB, type CorpusPolicy } from '../runner/confined-io.ts';
import { PACKAGE_ROOT } from '../runner/entry-points.ts';
import { FILES } from '../store/rundir.ts';

const OURO = join(PACKAGE_ROOT, 'bin', 'ouro.js');

/** What a POSTed config became: started, queued (a directory is claimed), refused as invalid, or refused because the server is full. */
export type LaunchResult =
  | { status: 'started' | 'queued'; name: string; dir: string }
  | { status: 'invalid'; issues: readonly ConfigIssue[] }
  | { status: 'busy'; message: string };

export interface LaunchOptions {
  /** Where runs may read corpora. */
  readonly corpus: CorpusPolicy;
  /** Runs going at once. */
  readonly maxRunning: number;
}

/** How many runs may wait per running slot. */
const WAITING_PER_SLOT = 4;

interface Pending {
  readonly file: string;
  readonly out: string;
}

/** Runs started by this server, so stopping the server stops them. */
export class Launcher {
  private readonly children = new Set<ChildProcess>();
  private readonly waiting: Pending[] = [];
  private readonly opts: LaunchOptions;

  constructor(
    private readonly runsDir: string,
    opts: Partial<LaunchOptions> = {},
  ) {
    this.opts = { corpus: opts.corpus ?? { roots: [], maxBytes: DEFAULT_MAX_CORPUS_MB * 2 ** 20 }, maxRunning: opts.maxRunning ?? availableParallelism() };
  }

  /** Validates `text` and, if valid and there is room, starts (or queues) `ouro run` on it into a fresh directory under the runs directory. */
  start(text: string): LaunchResult {
    let name: string;
    try {
      name = parseConfig(text, 'config').name;
    } catch (e) {
      if (e instanceof ConfigError) return { status: 'invalid', issues: e.issues };
      throw e;
    }
    const room = this.opts.maxRunning - this.children.size;
    if (room <= 0 && this.waiting.length >= WAITING_PER_SLOT * this.opts.maxRunning) {
      return { status: 'busy', message: `this server runs at most ${this.opts.maxRunning} run(s) at once and ${this.children.size} are running with ${this.waiting.length} waiting; try again when one has finished` };
    }
    const dir = freshName(this.runsDir, name);
    const file = join(mkdtempSync(join(tmpdir(), 'ouro-serve-')), `${name}.yaml`);
    writeFileSync(file, text);
    const job = { file, out: join(this.runsDir, dir) };
    if (room > 0) this.spawn(job);
    else this.waiting.push(job);
    return { status: room > 0 ? 'started' : 'queued', name, dir };
  }

  /** Stops every run this server started that is still going, and drops the waiting ones. */
  stopAll(): void {
    for (const c of this.children) c.kill('SIGTERM');
    for (const job of this.waiting.splice(0)) {
      rmSync(join(job.file, '..'), { recursive: true, force: true });
      writeFileSync(join(job.out, FILES.failed), 'the server stopped before this run started\n');
    }
  }

  private spawn(job: Pending): void {
    const env = { ...process.env, [CORPUS_POLICY_ENV]: JSON.stringify(this.opts.corpus) };
    const child = spawn(process.execPath, [OURO, 'run', job.file, '--out', job.out], { stdio: ['ignore', 'ignore', 'pipe'], env });
    this.children.add(child);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8192)));
    child.on('exit', (code, signal) => {
      this.children.delete(child);
      rmSync(join(job.file, '..'), { recursive: true, force: true }); // the config's temporary directory
      // A run that fails before its first generation (e.g. a corpus it may not read) leaves
      // only this note; the runner writes the same file for failures during the run.
      if (code !== 0 && !existsSync(join(job.out, FILES.failed))) writeFileSync(join(job.out, FILES.failed), `ouro run ended with ${signal ?? `exit code ${code}`}\n${stderr}`);
      const next = this.waiting.shift();
      if (next) this.spawn(next);
    });
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
