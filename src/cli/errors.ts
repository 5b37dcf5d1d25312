// How the CLI ends on an error. Input errors (bad config, flags, files, run directories, queue
// set-up) and the environment's refusals (a read-only or full disk, a missing directory, no
// permission) exit 2 with a message saying what and where; anything else is a bug in
// Ouroboros: exit 1, the stack, and a request to report it.

/** An error in what the user gave us; its message says what is wrong and how to fix it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Errors the lower layers raise about their input; each message already says what to change. */
const INPUT_ERRORS = new Set(['UsageError', 'ConfigError', 'RunDirError', 'ReportInputError', 'QueueError', 'CacheError', 'ResultError', 'PathError']);

/** What the system's error codes mean, said plainly (Node reports them as codes). */
const SYSTEM: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory (does its directory exist?)',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'it exists already',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EMFILE: 'too many open files (raise ulimit -n)',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'an input/output error from the device',
  EFBIG: 'the file is too large for the file system',
};

/** The message for an error of the environment (a Node system error with a path), or undefined. */
export function environmentMessage(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (!(err instanceof Error) || typeof e.code !== 'string' || !(e.code in SYSTEM)) return undefined;
  const what = e.path !== undefined ? `cannot ${e.syscall ?? 'use'} ${e.path}${e.dest !== undefined ? ` → ${e.dest}` : ''}` : err.message.split('\n')[0]!;
  return `${what}: ${SYSTEM[e.code]} (${e.code})`;
}

export function exitOnError(err: unknown): never {
  const env = environmentMessage(err);
  if (err instanceof Error && (INPUT_ERRORS.has(err.name) || env !== undefined)) {
    process.stderr.write(`ouro: ${env ?? err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`ouro: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.stderr.write('ouro: this is a bug in Ouroboros, not in your input; please report it with the command you ran and the lines above.\n');
  process.exit(1);
}
