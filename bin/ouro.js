#!/usr/bin/env node
// Entry point: runs the compiled CLI (bin/build.js), building it first when the sources have
// changed since the last build, so `npx ouro` works right after `npm install` and never runs
// stale code.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshBuild } from './build.js';

let dir;
try {
  dir = await freshBuild();
} catch (e) {
  process.stderr.write(`ouro: could not compile the sources: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
await import(pathToFileURL(join(dir, 'main.js')).href);
