// Every file the dashboard touches is named by a path relative to the runs directory, and is
// resolved here: absolute paths, `..` segments, NUL bytes and symlinks that lead outside the
// runs directory are refused, so no request can read or write anywhere else.
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A request naming a path it may not have; `status` is the HTTP status to answer with. */
export class PathError extends Error {
  override name = 'PathError';
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
  }
}

/** The absolute path of `rel` inside `root`, which must exist; throws PathError otherwise. */
export function confine(root: string, rel: string | undefined): string {
  if (rel === undefined || rel === '') throw new PathError('missing ?dir=: give a run directory relative to the runs directory', 400);
  if (rel.includes('\0') || isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) throw new PathError(`dir '${rel}': must be a path inside the runs directory (no '..', not absolute)`, 400);
  const base = realpathSync(root);
  const full = resolve(base, rel);
  if (!inside(base, full)) throw new PathError(`dir '${rel}': outside the runs directory`, 400);
  if (!existsSync(full)) throw new PathError(`dir '${rel}': no such run in the runs directory`, 404);
  if (!inside(base, realpathSync(full))) throw new PathError(`dir '${rel}': links outside the runs directory`, 400);
  return full;
}

/** `full` as the dashboard names it: relative to the runs directory, with forward slashes ('.' for the runs directory itself). */
export function relName(root: string, full: string): string {
  return relative(realpathSync(root), full).split(sep).join('/') || '.';
}

function inside(base: string, p: string): boolean {
  return p === base || p.startsWith(base.endsWith(sep) ? base : base + sep);
}
