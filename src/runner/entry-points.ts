// Where the package's own files are, and how to start code in its own thread or process, the
// same from the TypeScript sources (src/<layer>/…, as tests and `npm run bench` run) and from
// the compiled build (dist/<hash>/, as `ouro` runs; bin/build.js).
//
// To start code in a worker thread, name its source relative to the caller:
//   const worker = startWorker(new URL('./worker-thread.ts', import.meta.url));
// in a child process, run `entryFile(source)` with `childExecArgv()` as Node flags. Then add
// the source to ENTRY_POINTS in bin/build.js, which compiles each entry point to
// dist/<hash>/<base name>.js beside every other compiled module, so the same relative URL
// finds it there.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Whether this code runs from the compiled build rather than the TypeScript sources. */
export const COMPILED = !import.meta.url.endsWith('.ts');

/** The package's root (package.json, assets/, examples/, bin/): the nearest directory above this module holding package.json. */
export const PACKAGE_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
})();

/**
 * The file to run for the entry point whose source is `source` (a .ts URL): its compiled
 * .js sibling when this code is compiled, else the source itself. A compiled entry point
 * that is missing means bin/build.js does not list it: that is said, not guessed around.
 */
export function entryFile(source: URL): string {
  const path = fileURLToPath(source);
  if (!COMPILED) return path;
  const js = path.replace(/\.ts$/, '.js');
  if (!existsSync(js)) throw new Error(`${js} is not in the compiled build: add its source to ENTRY_POINTS in bin/build.js`);
  return js;
}

/** Node flags for a child process that runs `entryFile(source)`: none when compiled, tsx's loader for the sources. */
export function childExecArgv(): string[] {
  return COMPILED ? [] : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

/**
 * A worker thread running the entry point `source`. From the sources, `--import tsx` in a
 * worker's execArgv does not reach its entry module on Node 20, so the thread starts from a
 * small script that registers tsx's ESM hooks and then imports the module.
 */
export function startWorker(source: URL): Worker {
  if (COMPILED) return new Worker(entryFile(source));
  const req = createRequire(import.meta.url);
  const pkg = req.resolve('tsx/package.json');
  const api = pathToFileURL(join(dirname(pkg), (JSON.parse(readFileSync(pkg, 'utf8')) as TsxPackage).exports['./esm/api'].import.default)).href;
  return new Worker(`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); })`, { eval: true });
}

interface TsxPackage {
  exports: { './esm/api': { import: { default: string } } };
}
