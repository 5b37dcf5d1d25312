// The rules of docs/architecture.md that code can check: a folder imports only from folders
// drawn before it (the outer ring too: reproduce, distributed, web, cli, in that order); the
// pure layers import no Node module, use no ambient randomness or clock, and hold no
// module-level mutable state; outside families/ only the registry and the seam are imported,
// and a family reaches another only for the shared text/ and points/ data modules; test
// support lives in *.test-support.ts. Tests and test support are exempt from the layering.
// The checker runs on the source tree and, so that it is known to catch what it claims to,
// on fixtures that break each rule.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('.', import.meta.url).pathname;
/** The drawn order: metrics and theory are pure functions the families use; store (run directories) comes before runner, which writes them. */
const ORDER = ['core', 'metrics', 'theory', 'families', 'config', 'store', 'runner', 'report', 'reproduce', 'distributed', 'web', 'cli'];
const RANK = new Map(ORDER.map((layer, i) => [layer, i]));
const PURE = new Set(['core', 'metrics', 'theory', 'families']);
/** The families' shared data modules (packed text, points): the only family folders another family imports. */
const SHARED_DATA = new Set(['text', 'points']);
/** What code outside families/ may import from it: the registry and the seam, never a family's internals. */
const FAMILY_SEAM = new Set(['families/index.ts', 'families/entry.ts']);
const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'module', 'url', 'util'];

/** A source file by its path under src/ ("core/loop.ts") and its text. */
interface Source {
  readonly path: string;
  readonly text: string;
}

const isTest = (path: string): boolean => /\.test\.ts$/.test(path);
const isSupport = (path: string): boolean => /\.test-support\.ts$/.test(path);

/** Relative imports of `s`, resolved to paths under src/. */
function importsOf(s: Source): { spec: string; target: string | undefined }[] {
  const out: { spec: string; target: string | undefined }[] = [];
  for (const m of s.text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = (m[1] ?? m[2])!;
    out.push({ spec, target: spec.startsWith('.') ? relative(SRC, join(SRC, s.path, '..', spec)) : undefined });
  }
  return out;
}

/** Module-level mutable state in a pure-layer file: `let`/`var` bindings, collections made with `new` (a WeakMap memo of a pure function of its key is not state), arrays not typed readonly. */
function moduleState(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const binding = /^(?:export )?(let|var) (\w+)/.exec(line);
    if (binding) found.push(`module-level ${binding[1]} ${binding[2]}`);
    const made = /^(?:export )?const (\w+)(?::[^=]*)? = new (\w+)/.exec(line);
    if (made && made[2] !== 'WeakMap') found.push(`module-level ${made[2]} ${made[1]}`);
    const array = /^(?:export )?const (\w+)(:[^=]*)? = \[/.exec(line);
    if (array && !/readonly/.test(array[2] ?? '')) found.push(`module-level array ${array[1]} (type it readonly)`);
  }
  return found;
}

/** Every rule broken in `files`; `users` are files outside src/ that import from it (benchmarks), so what they use is not test support. */
function violations(files: readonly Source[], users: readonly Source[] = []): string[] {
  const out: string[] = [];
  const importers = new Map<string, string[]>();
  for (const s of [...files, ...users]) for (const { target } of importsOf(s)) if (target) (importers.get(target) ?? importers.set(target, []).get(target)!).push(s.path);
  for (const s of files) {
    const layer = s.path.split('/')[0]!;
    const test = isTest(s.path) || isSupport(s.path);
    if (!s.path.includes('/')) continue; // src/*.ts: tests and test support of the whole tree
    if (!RANK.has(layer)) out.push(`${s.path}: ${layer}/ is not a layer of docs/architecture.md`);
    // Test support: a file that imports vitest, or that only tests import, is named *.test-support.ts.
    if (!test && (/from ['"]vitest['"]/.test(s.text) || (importers.get(s.path)?.every((p) => isTest(p) || isSupport(p)) ?? false))) {
      out.push(`${s.path}: test support, name it *.test-support.ts`);
    }
    if (test || !RANK.has(layer)) continue;
    for (const { spec, target } of importsOf(s)) {
      const to = target?.split('/')[0];
      if (to !== undefined && to !== layer && RANK.has(to) && RANK.get(to)! >= RANK.get(layer)!) out.push(`${s.path} imports ${spec}: ${to}/ is not drawn before ${layer}/`);
      if (PURE.has(layer) && target === undefined && (spec.startsWith('node:') || NODE_BUILTINS.includes(spec))) out.push(`${s.path} imports ${spec}: ${layer}/ is pure`);
      if (to === 'families' && target !== undefined) out.push(...familyBoundary(s.path, spec, target));
    }
    if (PURE.has(layer)) {
      if (/Math\.random/.test(s.text)) out.push(`${s.path} uses Math.random`);
      if (/Date\.now|performance\.now|new Date\(/.test(s.text)) out.push(`${s.path} reads the clock`);
      for (const v of moduleState(s.text)) out.push(`${s.path}: ${v}`);
    }
  }
  return out;
}

/** An import of `target` under families/ by `path`: outside families/ only the seam; a family reaches another only for the shared data modules; the registry imports every family. */
function familyBoundary(path: string, spec: string, target: string): string[] {
  if (!path.startsWith('families/')) return FAMILY_SEAM.has(target) ? [] : [`${path} imports ${spec}: outside families/, only the registry and the seam (${[...FAMILY_SEAM].join(', ')})`];
  const [, from] = path.split('/');
  const parts = target.split('/');
  const into = parts[1]!;
  if (path === 'families/index.ts' || parts.length < 3 || into === from || SHARED_DATA.has(into)) return [];
  return [`${path} imports ${spec}: a family uses another family's code only through families/${[...SHARED_DATA].join(' or families/')}`];
}

function tree(dir: string): Source[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tree(p) : p.endsWith('.ts') ? [{ path: relative(SRC, p), text: readFileSync(p, 'utf8') }] : [];
  });
}

describe('layers', () => {
  it('the source tree keeps every rule', () => {
    const bench = tree(new URL('../bench', import.meta.url).pathname).filter((s) => !isTest(s.path));
    expect(violations(tree(SRC), bench)).toEqual([]);
  });
});

describe('the checker catches each rule broken on purpose', () => {
  const ok: Source[] = [
    { path: 'core/a.ts', text: "import { b } from './b.ts';\nconst memo = new WeakMap<object, number>();\nconst TABLE: readonly number[] = [1, 2];\n" },
    { path: 'core/b.ts', text: 'export const b = 1;\n' },
    { path: 'families/entry.ts', text: 'export const e = 1;\n' },
    { path: 'families/index.ts', text: "import { entry } from './gaussian/index.ts';\n" },
    { path: 'families/gaussian/index.ts', text: "import { p } from '../points/index.ts';\nimport { e } from '../entry.ts';\nimport { f } from './family.ts';\n" },
    { path: 'families/gaussian/family.ts', text: 'export const f = 1;\n' },
    { path: 'families/points/index.ts', text: 'export const p = 1;\n' },
    { path: 'runner/r.ts', text: "import { b } from '../core/b.ts';\nimport { readFileSync } from 'node:fs';\nlet cache = 0;\n" },
    { path: 'cli/c.ts', text: "import { r } from '../runner/r.ts';\nimport { w } from '../web/w.ts';\nimport { FAMILIES } from '../families/index.ts';\n" },
    { path: 'web/w.ts', text: "import { d } from '../distributed/d.ts';\n" },
    { path: 'distributed/d.ts', text: 'export const d = 1;\n' },
    { path: 'runner/r.test.ts', text: "import { it } from 'vitest';\nimport { r } from './r.ts';\nimport { c } from '../cli/c.ts';\nimport { f } from './fixture.test-support.ts';\n" },
    { path: 'cli/main.ts', text: "import { c } from './c.ts';\n" },
    { path: 'runner/fixture.test-support.ts', text: "import { expect } from 'vitest';\n" },
  ];
  const broken = (path: string, text: string): string[] => violations([...ok, { path, text }]);

  it('finds nothing in a tree that keeps the rules', () => expect(violations(ok)).toEqual([]));
  it.each([
    ['a layer importing a later one', 'core/x.ts', "import { r } from '../runner/r.ts';\n", /core\/x\.ts imports \.\.\/runner\/r\.ts: runner\/ is not drawn before core\//],
    ['an outer-ring folder importing one drawn after it', 'distributed/x.ts', "import { c } from '../cli/c.ts';\n", /distributed\/x\.ts imports \.\.\/cli\/c\.ts: cli\/ is not drawn before distributed\//],
    ['a pure layer importing Node', 'families/x.ts', "import { readFileSync } from 'node:fs';\n", /families\/x\.ts imports node:fs: families\/ is pure/],
    ['ambient randomness', 'theory/x.ts', 'export const u = () => Math.random();\n', /theory\/x\.ts uses Math\.random/],
    ['the clock', 'metrics/x.ts', 'export const t = () => Date.now();\n', /metrics\/x\.ts reads the clock/],
    ['a module-level let', 'core/x.ts', 'let scratch = 0;\nexport const f = () => scratch++;\n', /core\/x\.ts: module-level let scratch/],
    ['a module-level collection', 'families/x.ts', 'const seen = new Map<string, number>();\n', /families\/x\.ts: module-level Map seen/],
    ['a module-level scratch buffer', 'core/x.ts', 'const words = new Int32Array(2);\n', /core\/x\.ts: module-level Int32Array words/],
    ['a mutable module-level array', 'core/x.ts', 'const order = [1, 2, 3];\n', /core\/x\.ts: module-level array order/],
    ['vitest outside test support', 'core/contract.ts', "import { describe } from 'vitest';\n", /core\/contract\.ts: test support, name it \*\.test-support\.ts/],
    ['a fixture only tests import', 'report/fixtures.ts', 'export const run = 1;\n', /report\/fixtures\.ts: test support/],
    ['an unknown folder', 'helpers/x.ts', 'export const x = 1;\n', /helpers\/ is not a layer/],
    ['an outer ring reaching into a family', 'cli/x.ts', "import { g } from '../families/ngram/graph.ts';\n", /cli\/x\.ts imports \.\.\/families\/ngram\/graph\.ts: outside families\/, only the registry and the seam/],
    ["a family importing another family's entry", 'families/mixture/x.ts', "import { entry } from '../gaussian/index.ts';\n", /families\/mixture\/x\.ts imports \.\.\/gaussian\/index\.ts: a family uses another family's code only through families\/text or families\/points/],
  ])('%s', (_what, path, text, message) => {
    const files = path === 'report/fixtures.ts' ? [...ok, { path, text }, { path: 'report/x.test.ts', text: "import { run } from './fixtures.ts';\n" }] : undefined;
    expect((files ? violations(files) : broken(path, text)).join('\n')).toMatch(message);
  });
});
