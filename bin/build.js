// The compiled build. The CLI, a sweep's worker threads and the queue's sandboxed processor
// run JavaScript that esbuild bundles from src/ into dist/<hash of the sources>/, so no start
// pays for transpiling TypeScript. A build is named by the hash of everything it is made
// from, so a stale build can never run: `freshBuild` hashes the sources at every start and
// builds (once, in about a second) when no build of these sources exists. `npm install` and
// `npm ci` build ahead through `prepare` (`node bin/build.js`).
//
// Plain JavaScript on purpose: it must run before anything is compiled.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

/**
 * Every file that starts in its own process or thread. Each compiles to
 * dist/<hash>/<its base name>.js beside the code that starts it, which finds it with
 * `entryPoint` (src/runner/entry-points.ts). A new worker entry point is one line here.
 */
export const ENTRY_POINTS = ['src/cli/main.ts', 'src/runner/worker-thread.ts', 'src/distributed/processor.ts'];

/**
 * Pure-JavaScript packages every start loads (config, CLI, progress, Parquet): compiled into
 * the build, which saves resolving and loading each of their files (about 40% of the CPU
 * time of `ouro run` reaching its first generation, measured). Every other dependency (native
 * addons, packages that read their own files, large ones only some commands load) is loaded
 * from node_modules as installed.
 */
const BUNDLED = ['zod', 'yaml', 'commander', 'cli-progress', 'hyparquet', 'hyparquet-writer'];

/** Builds kept besides the newest, so a process still running an older one can load its lazy chunks. */
const KEEP = 3;

/** The files a build is made from, relative to the package root: src/, package.json, tsconfig.json and this file. */
function sourceFiles() {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath ?? e.path, e.name)));
  files.push('package.json', 'tsconfig.json', relative(ROOT, fileURLToPath(import.meta.url)));
  return files.sort();
}

/**
 * sha256 over the sources' names and bytes. Reading them all costs ~20 ms, so the hash is
 * kept in dist/sources.json beside every file's size, mtime and ctime, and reused while none
 * of those changed (any write to a file changes its ctime, which no tool can set back).
 */
export function sourceHash() {
  const files = sourceFiles();
  const stamps = files.map((f) => {
    const s = statSync(join(ROOT, f));
    return `${f} ${s.size} ${s.mtimeMs} ${s.ctimeMs}`;
  }).join('\n');
  const cache = join(DIST, 'sources.json');
  try {
    const kept = JSON.parse(readFileSync(cache, 'utf8'));
    if (kept.stamps === stamps) return kept.hash;
  } catch {
    // no cache yet, or a torn one: hash the bytes
  }
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(ROOT, f))).update('\0');
  const digest = hash.digest('hex').slice(0, 16);
  try {
    mkdirSync(DIST, { recursive: true });
    writeFileSync(`${cache}.${process.pid}`, JSON.stringify({ hash: digest, stamps }));
    renameSync(`${cache}.${process.pid}`, cache);
  } catch {
    // a read-only install: hash again next time
  }
  return digest;
}

/** The directory of the build of the current sources, built first if there is none. */
export async function freshBuild() {
  const hash = sourceHash();
  const dir = join(DIST, hash);
  if (existsSync(dir)) return dir;
  await build(dir);
  return dir;
}

/** Bundles ENTRY_POINTS into `dir`: into a temporary directory first, renamed into place, so a concurrent start never sees half a build. */
async function build(dir) {
  const { build: esbuild } = await import('esbuild');
  const names = ENTRY_POINTS.map((p) => basename(p, '.ts'));
  if (new Set(names).size !== names.length) throw new Error(`bin/build.js: entry points need distinct base names, got ${names.join(', ')}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const external = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies }).filter((d) => !BUNDLED.includes(d));
  mkdirSync(DIST, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await esbuild({
      absWorkingDir: ROOT,
      entryPoints: Object.fromEntries(ENTRY_POINTS.map((p, i) => [names[i], p])),
      outdir: tmp,
      bundle: true,
      splitting: true, // each lazily loaded command is its own chunk
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external,
      // CommonJS code compiled into an ES module still calls require (for Node's built-ins).
      banner: { js: "import { createRequire as __ouroCreateRequire } from 'node:module'; const require = __ouroCreateRequire(import.meta.url);" },
      sourcemap: true,
      logLevel: 'silent', // a failure is thrown with every message, and the caller says it once
    });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(dir)) return; // another start built the same sources first
    throw e;
  }
  prune(dir);
}

/** Removes all but the KEEP newest builds (and temporary directories of starts that died). */
function prune(current) {
  const builds = readdirSync(DIST, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(DIST, e.name))
    .filter((p) => p !== current)
    .map((p) => ({ p, t: statSync(p).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { p, t } of builds.slice(KEEP - 1)) if (!p.includes('.tmp-') || Date.now() - t > 3600_000) rmSync(p, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = await freshBuild();
  process.stdout.write(`ouro: compiled build in ${relative(process.cwd(), dir) || '.'}\n`);
}
