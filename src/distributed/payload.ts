// What travels through the queue: a cell's resolved config out, its run directory's files
// back (gzip + base64 in the job's return value, so no shared filesystem is needed), each
// signed with the queue secret (signing.ts). The coordinator trusts no result it has not
// checked: signature, run id, file names, sizes once decompressed, and the run's own files.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Config } from '../config/schema.ts';
import { FILES } from '../store/rundir.ts';
import { sameSignature, signJob, signResult } from './signing.ts';

/**
 * The job id of a cell: its run id behind a fixed prefix (BullMQ refuses custom ids that look
 * like integers, and a 12-hex-digit run id can be all digits).
 */
export function jobIdOf(runId: string): string {
  return `run-${runId}`;
}

export interface CellJobData {
  readonly runId: string;
  readonly config: Config;
  /** signJob of runId and config. */
  readonly mac: string;
}

export interface CellResult {
  readonly runId: string;
  /** File name → gzip-compressed bytes in base64. */
  readonly files: Readonly<Record<string, string>>;
  /** signResult of runId and files. */
  readonly mac: string;
}

/** A result the coordinator refuses; the message says why. */
export class ResultError extends Error {
  override name = 'ResultError';
}

/** The files every finished cell sends back. */
const REQUIRED = [FILES.config, FILES.log, FILES.summary, FILES.parquet];
/** Decompressed bytes allowed per file: at least this, or this many times its compressed size (JSON logs compress ~10×; a zip bomb, 1000×). */
const MIN_FILE_BYTES = 64 * 2 ** 20;
const MAX_RATIO = 100;
const MAX_FILE_BYTES = 2 ** 31 - 1;

export function cellJob(secret: Buffer, runId: string, config: Config): CellJobData {
  return { runId, config, mac: signJob(secret, runId, config) };
}

/** Whether a job's data is signed with `secret` for its run id and config. */
export function jobSigned(secret: Buffer, data: Partial<CellJobData>): boolean {
  return typeof data.runId === 'string' && sameSignature(data.mac, signJob(secret, data.runId, data.config));
}

export function packFiles(secret: Buffer, runId: string, files: Readonly<Record<string, Uint8Array>>): CellResult {
  const packed = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, gzipSync(v).toString('base64')]));
  return { runId, files: packed, mac: signResult(secret, runId, packed) };
}

/** The files of a job's return value for the cell `runId`, checked; throws ResultError saying what is wrong. */
export function unpackFiles(secret: Buffer, runId: string, value: unknown): Record<string, Uint8Array> {
  const r = value as Partial<CellResult> | null;
  if (!r || typeof r !== 'object' || typeof r.files !== 'object' || r.files === null) throw new ResultError('its return value is not a cell result');
  if (r.runId !== runId) throw new ResultError(`it is the result of run ${JSON.stringify(r.runId)}, not of this cell`);
  const packed = r.files as Record<string, unknown>;
  if (!Object.values(packed).every((v) => typeof v === 'string')) throw new ResultError('its files are not base64 text');
  if (!sameSignature(r.mac, signResult(secret, runId, packed as Record<string, string>))) throw new ResultError('it is not signed with this coordinator\'s OURO_QUEUE_SECRET (forged, or from a worker with another secret)');
  const files: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(packed as Record<string, string>)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new ResultError(`it holds a file named ${JSON.stringify(name)}`);
    const gz = Buffer.from(text, 'base64');
    try {
      files[name] = new Uint8Array(gunzipSync(gz, { maxOutputLength: Math.min(MAX_FILE_BYTES, Math.max(MIN_FILE_BYTES, MAX_RATIO * gz.length)) }));
    } catch (e) {
      const big = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new ResultError(big ? `${name} decompresses to more than ${MAX_RATIO} times its size (a compression bomb?)` : `${name} is not gzip data`);
    }
  }
  const missing = REQUIRED.filter((f) => !(f in files));
  if (missing.length > 0) throw new ResultError(`it lacks ${missing.join(', ')}; the run did not finish`);
  for (const f of [FILES.config, FILES.summary]) {
    let doc: { runId?: unknown };
    try {
      doc = JSON.parse(new TextDecoder().decode(files[f])) as { runId?: unknown };
    } catch {
      throw new ResultError(`its ${f} is not JSON`);
    }
    if (doc.runId !== runId) throw new ResultError(`its ${f} names run ${JSON.stringify(doc.runId)}, not this cell's ${runId}`);
  }
  return files;
}
