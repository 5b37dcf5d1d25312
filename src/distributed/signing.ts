// Jobs and results are signed with a secret the coordinator and its workers share
// (OURO_QUEUE_SECRET): anyone who can write to Redis but does not hold the secret can neither
// give workers a job nor hand the coordinator a result. HMAC-SHA256 over a fixed layout of the
// payload; the job id (a hash of the config) alone proves nothing, anyone can compute it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { QueueError } from './queue-error.ts';

export const QUEUE_SECRET_ENV = 'OURO_QUEUE_SECRET';

/** The shortest secret accepted (characters). */
const MIN_SECRET = 16;

/** The secret of `env`; throws with how to set one if it is missing or short. */
export function queueSecret(env: NodeJS.ProcessEnv = process.env): Buffer {
  const s = env[QUEUE_SECRET_ENV];
  const how = `set ${QUEUE_SECRET_ENV} to the same random string on the coordinator and every worker, e.g. export ${QUEUE_SECRET_ENV}=$(openssl rand -hex 32) (docs/security.md)`;
  if (s === undefined || s === '') throw new QueueError(`the queue needs a shared secret: ${how}`);
  if (s.length < MIN_SECRET) throw new QueueError(`${QUEUE_SECRET_ENV} is ${s.length} characters; use at least ${MIN_SECRET}: ${how}`);
  return Buffer.from(s, 'utf8');
}

/** The signature of a cell job (its run id and config). */
export function signJob(secret: Buffer, runId: string, config: unknown): string {
  return mac(secret, ['job', runId, JSON.stringify(config)]);
}

/** The signature of a cell result (its run id and every file, by name). */
export function signResult(secret: Buffer, runId: string, files: Readonly<Record<string, string>>): string {
  return mac(secret, ['result', runId, ...Object.keys(files).sort().flatMap((k) => [k, files[k]!])]);
}

/** Whether `signature` is `expected` (constant time). */
export function sameSignature(signature: unknown, expected: string): boolean {
  return typeof signature === 'string' && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

function mac(secret: Buffer, parts: readonly string[]): string {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:`).update(p); // length-prefixed: no two payloads share a byte stream
  return h.digest('hex');
}
