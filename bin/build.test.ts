// The compiled build can never be stale: in a copy of the package, a changed source is
// rebuilt before it runs, an unchanged one (even touched) reuses its build, starts racing on
// fresh sources share one build, and a source that does not compile runs nothing.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
let pkg: string;

beforeAll(() => {
  pkg = mkdtempSync(join(tmpdir(), 'ouro-build-'));
  for (const f of ['src', 'bin', 'package.json', 'tsconfig.json']) cpSync(join(REPO, f), join(pkg, f), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'));
});
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

const ouro = (...args: string[]) => spawnSync(process.execPath, [join(pkg, 'bin/ouro.js'), ...args], { encoding: 'utf8' });
const builds = () => readdirSync(join(pkg, 'dist'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const COMMANDS = 'src/cli/commands/index.ts';

describe('the compiled build', () => {
  it('builds once for concurrent starts, and runs the compiled entry points', async () => {
    const starts = Array.from({ length: 3 }, () => new Promise<number | null>((done) => spawn(process.execPath, [join(pkg, 'bin/ouro.js'), '--version'], { stdio: 'ignore' }).on('exit', done)));
    expect(await Promise.all(starts)).toEqual([0, 0, 0]);
    expect(builds()).toHaveLength(1);
    const dir = join(pkg, 'dist', builds()[0]!);
    for (const entry of ['main.js', 'worker-thread.js', 'processor.js']) expect(readdirSync(dir)).toContain(entry);
  });

  it('rebuilds a changed source before running it, and reuses the build when only times changed', () => {
    const before = builds();
    const path = join(pkg, COMMANDS);
    writeFileSync(path, readFileSync(path, 'utf8').replace("run: { description: 'run an experiment", "run: { description: 'RUN (edited) an experiment"));
    const r = ouro('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('RUN (edited) an experiment');
    expect(builds()).toHaveLength(before.length + 1);
    utimesSync(path, new Date(), new Date(Date.now() + 5000)); // touched, same bytes
    expect(ouro('--help').stdout).toContain('RUN (edited) an experiment');
    expect(builds()).toHaveLength(before.length + 1);
  });

  it('runs nothing when a source does not compile, and says why', () => {
    const path = join(pkg, COMMANDS);
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good + '\nexport const broken = ;\n');
    const before = builds();
    const r = ouro('--version');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ouro: could not compile the sources: [^]*index\.ts/);
    expect(r.stdout).toBe('');
    expect(builds()).toEqual(before);
    writeFileSync(path, good);
  });
});
