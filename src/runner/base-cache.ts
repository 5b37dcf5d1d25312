// A content-addressed cache of generation 0 for families whose generation 0 is a costly
// pretrained model (FamilyEntry.base): made once, then reused by every seed, temperature, sweep
// cell, worker and resume that asks for the same one. The address is the SHA-256 of everything
// generation 0 depends on (the family's description of its inputs, and FORMAT); the entry is
// one file, a JSON header line then the model in the family's checkpoint encoding. Nothing in
// an entry is trusted: a torn or damaged one (its payload hash does not match) is rebuilt; one
// that verifies but was made for another address (another version or config) is an error,
// since something other than this cache wrote it. Entries are written to a temporary file and
// renamed, and a lock file keeps two processes from building the same one at once.
//
// Where: $OURO_CACHE, else ~/.cache/ouroboros (docs/transformer.md).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Experiment } from '../core/loop.ts';
import type { FamilyEntry, Settings } from '../families/entry.ts';

const FORMAT = 'ouroboros-base-cache-1';

/** The cache directory: $OURO_CACHE, else ~/.cache/ouroboros. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.OURO_CACHE && env.OURO_CACHE.length > 0 ? env.OURO_CACHE : join(homedir(), '.cache', 'ouroboros');
}

/** A cache problem the user must fix (exit 2): a directory that cannot be written, a foreign entry. */
export class CacheError extends Error {
  override name = 'CacheError';
}

/** One entry: where it lives and the key it must carry. */
export interface Slot {
  readonly path: string;
  readonly key: string;
}

/**
 * The slot of generation 0 of the seed with setup key `setupKey`: the family's description of
 * its inputs, the compiled code it computes with included (another build may round differently).
 */
export function slotOf(dir: string, entry: FamilyEntry, settings: Settings, resources: unknown, setupKey: readonly [number, number]): Slot {
  const { settings: inputs, data } = entry.base!(settings, resources, setupKey);
  const h = createHash('sha256').update(`${FORMAT}\n${entry.name}\n${JSON.stringify(inputs)}\n`);
  for (const d of data) {
    h.update(`${d.byteLength}\n`);
    h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  const key = h.digest('hex');
  return { path: join(dir, `${entry.name}-${key.slice(0, 32)}.base`), key };
}

/** Makes `dir` if needed and checks that files can be created in it; a CacheError saying how to fix it otherwise. */
export function checkWritable(dir: string): void {
  const probe = join(dir, `.probe-${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new CacheError(`cache: cannot write the cache directory ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); set OURO_CACHE to a writable directory`);
  }
}

type Read = { kind: 'missing' } | { kind: 'damaged'; why: string } | { kind: 'ok'; payload: Uint8Array };

/** The entry at `slot`, verified: missing, damaged (to rebuild), or its payload; a foreign entry throws. */
export function readSlot(slot: Slot): Read {
  if (!existsSync(slot.path)) return { kind: 'missing' };
  const bytes = new Uint8Array(readFileSync(slot.path));
  const nl = bytes.indexOf(0x0a);
  let header: { format?: unknown; key?: unknown; bytes?: unknown; sha256?: unknown };
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, nl < 0 ? 0 : nl))) as typeof header;
  } catch {
    return { kind: 'damaged', why: 'its header is not readable' };
  }
  const payload = bytes.subarray(nl + 1);
  if (payload.length !== header.bytes || sha256(payload) !== header.sha256) return { kind: 'damaged', why: 'its contents do not match their hash' };
  if (header.format !== FORMAT || header.key !== slot.key) {
    throw new CacheError(`cache: ${slot.path} holds generation 0 of another ${header.format === FORMAT ? 'config' : `version (${String(header.format)})`}, not of this one; it was not written by this cache. Remove it (rm ${slot.path}) or set OURO_CACHE to another directory`);
  }
  return { kind: 'ok', payload };
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Writes `payload` as the entry of `slot`: a temporary file, then a rename, so no reader sees half an entry. */
export function writeSlot(slot: Slot, payload: Uint8Array): void {
  const header = JSON.stringify({ format: FORMAT, key: slot.key, bytes: payload.length, sha256: sha256(payload) });
  const tmp = `${slot.path}.tmp-${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, header + '\n');
    writeSync(fd, payload);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, slot.path);
}

const STALE_MS = 24 * 3600 * 1000;
const POLL_MS = 500;

/**
 * Runs `build` holding the slot's lock file; while another live process holds it, waits (the
 * other is building this very entry) and returns without building once the entry appears.
 * A lock whose holder died on this host, or older than a day, is taken over.
 */
export function withLock(slot: Slot, build: () => void): void {
  const lock = `${slot.path}.lock`;
  const me = JSON.stringify({ host: hostname(), pid: process.pid });
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, me);
        closeSync(fd);
        if (readSlot(slot).kind !== 'ok') build();
      } finally {
        rmSync(lock, { force: true });
      }
      return;
    }
    if (staleLock(lock)) rmSync(lock, { force: true });
    else sleep(POLL_MS);
    if (readSlot(slot).kind === 'ok') return;
  }
}

function staleLock(lock: string): boolean {
  try {
    const holder = JSON.parse(readFileSync(lock, 'utf8')) as { host?: string; pid?: number };
    if (Date.now() - statSync(lock).mtimeMs > STALE_MS) return true;
    if (holder.host !== hostname() || typeof holder.pid !== 'number') return false;
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    // ESRCH: no such process. A lock read while its holder is still writing it is not stale.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `exp` with its generation 0 taken from the cache, or made by `exp` and stored there; the
 * model is decoded with the family's checkpoint encoding, so it is the same bits either way.
 */
export function cachedInitial(entry: FamilyEntry, slot: Slot, exp: Experiment<unknown, unknown>, note: (line: string) => void): unknown {
  const ck = entry.checkpoint!;
  const load = (): unknown => {
    const r = readSlot(slot);
    if (r.kind === 'ok') return ck.decode(r.payload, exp).model;
    if (r.kind === 'damaged') note(`cache: ${slot.path}: ${r.why}; making it again`);
    return undefined;
  };
  const found = load();
  if (found !== undefined) return found;
  let made: unknown;
  withLock(slot, () => {
    made = exp.initial;
    writeSlot(slot, ck.encode({ generation: 0, model: made, history: [], collapsed: false }));
  });
  // Another process made it while this one waited for the lock.
  return made ?? load() ?? exp.initial;
}
