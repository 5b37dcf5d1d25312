// What travels through the queue: a cell's resolved config out, its run directory's files
// back (gzip + base64 in the job's return value, so no shared filesystem is needed).
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Config } from '../config/schema.ts';

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
}

export interface CellResult {
  readonly runId: string;
  /** File name → gzip-compressed bytes in base64. */
  readonly files: Readonly<Record<string, string>>;
}

export function packFiles(runId: string, files: Readonly<Record<string, Uint8Array>>): CellResult {
  return { runId, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, gzipSync(v).toString('base64')])) };
}

/** The files of a job's return value; throws if it is not a CellResult for `runId`. */
export function unpackFiles(runId: string, value: unknown): Record<string, Uint8Array> {
  const r = value as Partial<CellResult> | null;
  if (!r || r.runId !== runId || typeof r.files !== 'object' || r.files === null) throw new Error(`job ${runId}: its return value is not a cell result`);
  return Object.fromEntries(Object.entries(r.files).map(([k, v]) => [k, new Uint8Array(gunzipSync(Buffer.from(v, 'base64')))]));
}
