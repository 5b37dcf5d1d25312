// Reading a config file from disk; every failure is a ConfigError naming the file.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, parseConfig } from './load.ts';
import type { Config } from './schema.ts';

/** Largest config file read: a config holds settings, not data (data belongs in a corpus file). */
export const MAX_CONFIG_BYTES = 8 * 2 ** 20;

/** Reads, parses and validates the config at `path` with `--set` overrides. */
export function loadConfigFile(path: string, sets: readonly string[] = []): Config {
  return parseConfig(readConfigText(path), path, sets, undefined, dirname(path));
}

/** The text of the config file at `path`: a regular file of at most MAX_CONFIG_BYTES; ConfigError otherwise. */
export function readConfigText(path: string): string {
  const refuse = (why: string): never => {
    throw new ConfigError([{ where: path, path: '', message: `cannot read the config: ${why}. Give the path of a YAML or JSON config, e.g. examples/coin-20.yaml.` }]);
  };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO or device does not block the open
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return refuse(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return refuse('it is a directory');
    if (!st.isFile()) return refuse('it is not a regular file');
    if (st.size > MAX_CONFIG_BYTES) return refuse(`it is ${(st.size / 2 ** 20).toFixed(1)} MB, and a config is at most ${MAX_CONFIG_BYTES / 2 ** 20} MB: it holds settings; put data (texts, points) in a corpus file`);
    const buf = Buffer.alloc(st.size);
    for (let n = 0, got; n < buf.length && (got = readSync(fd, buf, n, buf.length - n, n)) > 0; ) n += got;
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
