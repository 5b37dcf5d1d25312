// `ouro serve [--port 8080] [--runs DIR] [--host H]`: the local dashboard and playground.
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { PACKAGE_ROOT } from '../../runner/entry-points.ts';
import { createApp } from '../../web/app.ts';
import { hostsFor, isLoopback, newToken } from '../../web/guard.ts';
import { corpusPolicy, DEFAULT_MAX_CORPUS_MB } from '../../runner/confined-io.ts';
import { Launcher } from '../../web/launch.ts';
import { exitOnError, UsageError } from '../errors.ts';

const EXAMPLES = join(PACKAGE_ROOT, 'examples');

export function register(program: Command): void {
  program
    .command('serve')
    .description(COMMANDS.serve.description)
    .option('--port <n>', 'port to listen on', '8080')
    .option('--runs <dir>', 'the runs directory (created if missing)', 'runs')
    .option('--host <host>', 'address to bind; beyond loopback (127.0.0.1, ::1) other machines can connect, and every request needs the printed token', '127.0.0.1')
    .option('--allow-host <name>', 'another name this server is addressed by, e.g. its DNS name (repeatable)', many, [])
    .option('--allow-corpus <dir>', 'a directory whose files runs started here may read as corpora (repeatable; the built-in corpora are always allowed)', many, [])
    .option('--max-corpus-mb <n>', 'corpus megabytes one run started here may read', String(DEFAULT_MAX_CORPUS_MB))
    .option('--max-runs <n>', `runs started here going at once; 4 per slot more may wait, beyond that a start is refused (default: the number of cores)`)
    .addHelpText('after', '\nOn a network: ouro serve --host 0.0.0.0 --allow-host lab.example.org --allow-corpus /data/corpora (see docs/security.md)')
    .action((flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a whole number 0–65535, got '${flags.port}'`);
      const maxRunning = flags.maxRuns === undefined ? availableParallelism() : whole('--max-runs', flags.maxRuns, 1);
      const corpus = inputError(() => corpusPolicy(flags.allowCorpus, whole('--max-corpus-mb', flags.maxCorpusMb, 0)));
      if (existsSync(flags.runs) && !statSync(flags.runs).isDirectory()) throw new UsageError(`--runs ${flags.runs}: not a directory`);
      mkdirSync(flags.runs, { recursive: true });
      const runsDir = realpathSync(flags.runs);
      const launcher = new Launcher(runsDir, { corpus, maxRunning });
      // Every bind checks Host; a bind other machines can reach also asks for a token on every request.
      const local = isLoopback(flags.host);
      const token = local ? undefined : newToken();
      const app = createApp({ runsDir, examplesDir: EXAMPLES, launcher, hosts: hostsFor(flags.host, flags.allowHost), ...(token !== undefined && { token }) });
      const server = serve({ fetch: app.fetch, port, hostname: flags.host }, (info) => {
        const shown = local ? (flags.host.includes(':') ? `[${flags.host.replace(/^\[|\]$/g, '')}]` : flags.host) : ['0.0.0.0', '::', '[::]'].includes(flags.host) ? hostname() : flags.host;
        const url = `http://${shown}:${info.port}/${token !== undefined ? `?token=${token}` : ''}`;
        process.stdout.write(`ouro serve: ${url} (runs in ${runsDir}; Ctrl-C stops)\n`);
        if (!local) process.stderr.write(`ouro serve: reachable from the network on ${flags.host}: whoever has this URL can read every run in ${runsDir} and start runs. Plain HTTP: use it on a network you trust, or behind a TLS proxy (docs/security.md).\n`);
      });
      server.on('error', (e: NodeJS.ErrnoException) => {
        launcher.stopAll();
        exitOnError(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? new UsageError(`--port ${port} on ${flags.host}: ${e.code === 'EADDRINUSE' ? 'already in use' : 'not permitted'}; choose another --port (0 picks a free one)`) : e);
      });
      const stop = (): void => {
        launcher.stopAll();
        server.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}

interface ServeFlags {
  port: string;
  runs: string;
  host: string;
  allowHost: string[];
  allowCorpus: string[];
  maxCorpusMb: string;
  maxRuns?: string;
}

function many(v: string, acc: string[]): string[] {
  return [...acc, v];
}

function whole(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) throw new UsageError(`${flag}: expected a whole number ≥ ${min}, got '${v}'`);
  return n;
}

function inputError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
}
