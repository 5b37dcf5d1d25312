// Locks on run and sweep directories. A lock is a file created with O_EXCL (so of two
// processes only one gets it) that names its owner: pid, the process's start time (field 22
// of /proc/<pid>/stat), the boot id and the host name. A lock whose process is gone, whose
// pid now belongs to another process (a different start time) or that was made before the
// last reboot is stale and may be broken; a lock from another host is never judged stale.
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync, linkSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RunDirError } from './dir-error.ts';

/** Who holds a lock, as written in the lock file. */
export interface LockOwner {
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (Linux), or null where unknown. */
  readonly start: string | null;
  readonly boot: string | null;
  readonly host: string;
  /** Distinguishes two locks of one process, so a release removes only its own file. */
  readonly nonce: string;
}

/** A held lock; `release` removes the file only if it is still this lock's. */
export interface Lock {
  readonly path: string;
  release(): void;
}

/** An unreadable lock younger than this is being written right now (open, then write). */
const FRESH_MS = 5000;

/** Takes the lock at `path` (breaking a stale one); throws RunDirError naming the holder if it is held. */
export function acquireLock(path: string, what: string): Lock {
  const mine: LockOwner = { ...processIdentity(process.pid), nonce: randomUUID() };
  const text = JSON.stringify(mine) + '\n';
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const seen = readLockText(path);
      if (seen === undefined) continue; // released between our open and our read
      const owner = heldBy(path, seen);
      if (owner) throw new RunDirError(`${what} is being written by ${describeOwner(owner)}; wait for it to end or stop it first`);
      breakStale(path, seen);
      continue;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return { path, release: () => releaseIfMine(path, text) };
  }
  throw new RunDirError(`${what}: could not take ${path}; other processes keep taking it`);
}

/** The live owner of the lock at `path`, or undefined when there is no lock or it is stale. */
export function lockHolder(path: string): LockOwner | undefined {
  const seen = readLockText(path);
  return seen === undefined ? undefined : heldBy(path, seen);
}

/** "process 123" (or "process 123 on host h", for a lock taken on another machine). */
export function describeOwner(o: LockOwner): string {
  return o.host === hostname() ? `process ${o.pid}` : `process ${o.pid} on host ${o.host}`;
}

function heldBy(path: string, text: string): LockOwner | undefined {
  const owner = parseOwner(text);
  if (owner) return alive(owner) ? owner : undefined;
  // Unreadable: a lock being written this instant, or one whose writer died mid-write.
  const young = Date.now() - mtimeMs(path) < FRESH_MS;
  return young ? { pid: 0, start: null, boot: null, host: hostname(), nonce: '' } : undefined;
}

/** Moves the stale lock aside and deletes it; if another process replaced it meanwhile, puts that one back. */
function breakStale(path: string, seen: string): void {
  const aside = `${path}.stale-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (readLockText(aside) !== seen) {
    try {
      linkSync(aside, path); // not ours to break: restore it (link fails if a third process locked meanwhile)
    } catch {
      // The third process holds the lock now; the restored owner loses it, which it cannot notice.
    }
  }
  rmSync(aside, { force: true });
}

function releaseIfMine(path: string, text: string): void {
  if (readLockText(path) === text) rmSync(path, { force: true });
}

function readLockText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Reads the JSON lock, or a bare pid (locks written before owners were recorded). */
function parseOwner(text: string): LockOwner | undefined {
  const t = text.trim();
  if (/^[1-9]\d*$/.test(t)) return { pid: Number(t), start: null, boot: null, host: hostname(), nonce: '' };
  try {
    const o = JSON.parse(t) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid < 1 || typeof o.host !== 'string') return undefined;
    return { pid: o.pid, start: typeof o.start === 'string' ? o.start : null, boot: typeof o.boot === 'string' ? o.boot : null, host: o.host, nonce: String(o.nonce ?? '') };
  } catch {
    return undefined;
  }
}

function alive(o: LockOwner): boolean {
  if (o.host !== hostname()) return true; // another machine's process: we cannot tell, so we do not break it
  const now = processIdentity(o.pid);
  if (o.boot !== null && now.boot !== null && o.boot !== now.boot) return false;
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return o.start === null || now.start === null || o.start === now.start; // a reused pid starts later
}

/** pid, start time and boot id as Linux reports them (null fields elsewhere). */
export function processIdentity(pid: number): Omit<LockOwner, 'nonce'> {
  return { pid, start: startTime(pid), boot: bootId(), host: hostname() };
}

function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

let boot: string | null | undefined;
function bootId(): string | null {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      boot = null;
    }
  }
  return boot;
}
