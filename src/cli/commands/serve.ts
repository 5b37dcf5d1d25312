// `ouro serve [--port 8080] [--runs DIR] [--host H]`: the local dashboard and playground.
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { PACKAGE_ROOT } from '../../runner/entry-points.ts';
import { createApp, LOOPBACK_HOSTS } from '../../web/app.ts';
import { Launcher } from '../../web/launch.ts';
import { exitOnError, UsageError } from '../errors.ts';

const EXAMPLES = join(PACKAGE_ROOT, 'examples');

export function register(program: Command): void {
  program
    .command('serve')
    .description(COMMANDS.serve.description)
    .option('--port <n>', 'port to listen on', '8080')
    .option('--runs <dir>', 'the runs directory (created if missing)', 'runs')
    .option('--host <host>', 'address to bind; other machines can connect only if you bind beyond 127.0.0.1', '127.0.0.1')
    .action((flags: { port: string; runs: string; host: string }) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a whole number 0–65535, got '${flags.port}'`);
      if (existsSync(flags.runs) && !statSync(flags.runs).isDirectory()) throw new UsageError(`--runs ${flags.runs}: not a directory`);
      mkdirSync(flags.runs, { recursive: true });
      const runsDir = realpathSync(flags.runs);
      const launcher = new Launcher(runsDir);
      // Bound to loopback, only loopback names are answered; bound wider, the user chose to be reachable.
      const hosts = LOOPBACK_HOSTS.includes(flags.host) ? { hosts: LOOPBACK_HOSTS } : {};
      const app = createApp({ runsDir, examplesDir: EXAMPLES, launcher, ...hosts });
      const server = serve({ fetch: app.fetch, port, hostname: flags.host }, (info) => {
        process.stdout.write(`ouro serve: http://${flags.host}:${info.port}/ (runs in ${runsDir}; Ctrl-C stops)\n`);
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
