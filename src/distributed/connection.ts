// Where the queue lives: a redis:// URL → connection options, and a quick reachability check
// so an unreachable Redis is a clear error within seconds instead of endless reconnecting.
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueError } from './queue-error.ts';

/** The BullMQ queue that holds sweep cells (job id = run-<the cell's run id>). */
export const QUEUE_NAME = 'ouro-cells';

/** Seconds to wait for Redis before giving up. */
const CONNECT_TIMEOUT_MS = 3000;


/** Connection options for `redis://[user:password@]host[:port][/db]` (or rediss:// for TLS). */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueError(`--queue: expected a Redis URL such as redis://127.0.0.1:6379, got '${url}'`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new QueueError(`--queue: expected a redis:// or rediss:// URL, got '${url}'`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new QueueError(`--queue: the path of '${url}' must be a database number, e.g. redis://host:6379/0`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(db ? { db: Number(db) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Connects once and pings; throws QueueError naming the URL and the cause if Redis does not answer in time. */
export async function checkRedis(url: string): Promise<void> {
  const client = new Redis({ ...(redisOptions(url) as { host: string; port: number }), lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let cause = '';
  client.on('error', (e: Error & { code?: string }) => (cause ||= e.code ?? e.message)); // the first error names the cause (ECONNREFUSED, ENOTFOUND…)
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS).unref());
  try {
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (e) {
    throw new QueueError(`cannot reach Redis at ${url}: ${cause || (e as Error).message}. Start it (e.g. redis-server --port 6379) or correct --queue.`);
  } finally {
    client.disconnect();
  }
}
