// Reading a config file from disk; every failure is a ConfigError naming the file.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, parseConfig } from './load.ts';
import type { Config } from './schema.ts';

/** Reads, parses and validates the config at `path` with `--set` overrides. */
export function loadConfigFile(path: string, sets: readonly string[] = []): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new ConfigError([{ where: path, path: '', message: `cannot read the config: ${why}. Give the path of a YAML or JSON config, e.g. examples/coin-20.yaml.` }]);
  }
  return parseConfig(text, path, sets, undefined, dirname(path));
}
