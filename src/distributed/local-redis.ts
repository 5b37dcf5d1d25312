// A throwaway redis-server on a free loopback port, for tests and benchmarks of the queue.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { checkRedis } from './connection.ts';

export interface LocalRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server; resolves once it has exited (its port is free again). */
  stop(): Promise<void>;
}

/** Starts Debian's redis-server (no persistence) on 127.0.0.1 (on `port`, or a free one) and waits until it answers. */
export async function startLocalRedis(port?: number): Promise<LocalRedis> {
  port ??= await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      await checkRedis(url);
      break;
    } catch (e) {
      if (i > 50) {
        proc.kill('SIGTERM');
        throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { url, port, stop: () => (proc.kill('SIGTERM'), exited) };
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
