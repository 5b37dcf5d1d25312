// The Node implementation of the effects a family's setup may need.
import { readFile } from 'node:fs/promises';
import type { Io } from '../families/entry.ts';

export const nodeIo: Io = {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  importModule: (specifier) => import(specifier) as Promise<unknown>,
};
