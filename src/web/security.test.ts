// What the dashboard must never do, whatever is planted in its runs directory or sent to it:
// follow a link out of a run or a sweep index out of its sweep, let a posted config read
// files the operator did not allow, answer a foreign Host or Origin or a request without its
// token, buffer an oversized body, or start runs without limit.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCoinRun } from '../report/test-runs.ts';
import { createApp, LOOPBACK_HOSTS } from './app.ts';
import { hostsFor, isLoopback } from './guard.ts';
import { Launcher } from './launch.ts';

const SECRET = 'SECRET-d41d8cd98f00';
let root: string;
let runs: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ouro-web-security-'));
  runs = join(root, 'runs');
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), `${SECRET}\n`);
  writeFileSync(join(outside, 'secret.jsonl'), JSON.stringify({ seed: 0, generation: 0, samples: [SECRET] }) + '\n');
  await writeCoinRun(join(runs, 'coin'), { samples: 10, temperature: 1, seeds: 3, generations: 20 });
  await writeCoinRun(join(outside, 'run'), { samples: 10, temperature: 1, seeds: 3, generations: 20, name: SECRET });
  // A run whose failure note and samples are links to files outside the runs directory.
  cpSync(join(runs, 'coin'), join(runs, 'linked'), { recursive: true });
  symlinkSync(join(outside, 'secret.txt'), join(runs, 'linked', 'FAILED.txt'));
  symlinkSync(join(outside, 'secret.jsonl'), join(runs, 'linked', 'samples.jsonl'));
  // Sweeps whose cells lead outside: by a '..' path in the index, and by a link.
  const sweep = (name: string, dir: string) => {
    mkdirSync(join(runs, name, 'cells'), { recursive: true });
    writeFileSync(join(runs, name, 'sweep.json'), JSON.stringify({ name, source: 'x.yaml', sweepId: 'abc', keys: [], cells: [{ cell: 0, values: {}, runId: '0123456789ab', dir, status: 'complete' }] }));
  };
  sweep('dotdot', '../../outside/run');
  sweep('linkcell', 'cells/0123456789ab');
  symlinkSync(join(outside, 'run'), join(runs, 'linkcell', 'cells', '0123456789ab'));
  mkdirSync(join(root, 'corpora'));
  writeFileSync(join(root, 'corpora', 'ok.txt'), 'the cat sat on the mat\nthe dog sat on the log\n');
  app = createApp({ runsDir: runs, examplesDir: join(root, 'none'), launcher: new Launcher(runs, { corpus: { roots: [join(root, 'corpora')], maxBytes: 1 << 20 } }), hosts: LOOPBACK_HOSTS });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = async (path: string): Promise<{ status: number; text: string }> => {
  const r = await app.request(path);
  return { status: r.status, text: await r.text() };
};

describe('dashboard confinement', () => {
  it('never follows a link planted inside a run directory', async () => {
    for (const path of ['/run?dir=linked', '/report?dir=linked']) {
      const r = await get(path);
      expect(r.text, path).not.toContain(SECRET);
      expect(r.status, path).toBe(404);
      expect(r.text, path).toMatch(/is a symbolic link; a run directory holds only regular files/);
    }
  });

  it('never renders a sweep cell outside its sweep', async () => {
    const dotdot = await get('/sweep?dir=dotdot');
    expect(dotdot.status).toBe(404);
    expect(dotdot.text).toMatch(/cell 0 has directory "..\/..\/outside\/run"; a cell's directory is cells\/<its runId>/);
    const linked = await get('/sweep?dir=linkcell');
    expect(linked.status).toBe(404);
    expect(linked.text).toMatch(/links outside the sweep directory/);
    for (const r of [dotdot, linked, await get('/report?dir=dotdot'), await get('/report?dir=linkcell')]) expect(r.text).not.toContain(SECRET);
  });
});

const post = (config: string, headers: Record<string, string> = {}) => app.request('/api/runs', { method: 'POST', body: JSON.stringify({ config }), headers: { 'content-type': 'application/json', ...headers } });
const ngram = (name: string, path: string) => `name: ${name}\nfamily: ngram\ncorpus: { source: file, path: ${JSON.stringify(path)} }\nloop: { generations: 5, tokens: 20 }\nseeds: 2\n`;

describe('runs started from the dashboard', () => {
  it('read corpora only from the allowed directories and the built-in ones', async () => {
    const refused = await post(ngram('leak', join(root, 'outside', 'secret.txt')));
    expect(refused.status).toBe(201);
    const { dir } = (await refused.json()) as { dir: string };
    await expect.poll(async () => (await get(`/run?dir=${dir}`)).text, { timeout: 60_000, interval: 250 }).toMatch(/class="status failed"[^]*outside the corpora this server may read/);
    expect(existsSync(join(runs, dir, 'samples.jsonl'))).toBe(false);
    for (const path of [`/run?dir=${dir}`, `/report?dir=${dir}`]) expect((await get(path)).text).not.toContain(SECRET);
    const allowed = await post(ngram('fine', join(root, 'corpora', 'ok.txt')));
    const ok = (await allowed.json()) as { dir: string };
    await expect.poll(async () => (await get(`/run?dir=${ok.dir}`)).text, { timeout: 60_000, interval: 250 }).toMatch(/class="status complete"/);
  }, 120_000);
});

describe('who may ask', () => {
  const secured = () => createApp({ runsDir: runs, examplesDir: join(root, 'none'), launcher: new Launcher(runs), hosts: hostsFor('0.0.0.0', ['lab.example.org']), token: 'tok-123' });

  it('a server reachable from the network asks for its token on every request', async () => {
    const a = secured();
    for (const path of ['/', '/run?dir=coin', '/api/events?dir=coin', '/playground/']) expect((await a.request(`http://lab.example.org${path}`)).status, path).toBe(401);
    expect((await a.request('http://lab.example.org/?token=wrong')).status).toBe(401);
    const first = await a.request('http://lab.example.org/?token=tok-123');
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ouro_token=tok-123;.*HttpOnly.*SameSite=Strict/);
    expect((await a.request('http://lab.example.org/run?dir=coin', { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
    expect((await a.request('http://lab.example.org/', { headers: { authorization: 'Bearer tok-123' } })).status).toBe(200);
  });

  it('checks Host on every bind, ::1 included', async () => {
    expect(isLoopback('::1')).toBe(true);
    expect(hostsFor('::1', [])).toContain('[::1]');
    expect(hostsFor('::1', [])).not.toContain('evil.example');
    const a = secured();
    expect((await a.request('http://evil.example/?token=tok-123')).status).toBe(403);
    expect((await a.request('http://LAB.example.org/?token=tok-123')).status).toBe(200);
  });

  it('refuses a JSON POST from a page of another origin', async () => {
    const r = await post(ngram('x', 'y'), { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: string }).error).toMatch(/requests from http:\/\/evil\.example are refused/);
    expect((await post('family: categorical\nloop: { samples: 0 }\n', { origin: 'http://localhost' })).status).toBe(422); // same origin reaches the handler
  });

  it('refuses an oversized body while it streams in, without reading it all', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++pulled > 6400) c.close(); // 400 MB if read to the end
        else c.enqueue(chunk);
      },
    });
    const r = await app.request('/api/runs', { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(r.status).toBe(413);
    expect(pulled).toBeLessThan(10);
    const declared = await app.request('/api/runs', { method: 'POST', body: 'x', headers: { 'content-type': 'application/json', 'content-length': String(400 * 2 ** 20) } });
    expect(declared.status).toBe(413);
  });

  it('caps runs going at once, queues a few more, refuses the rest with 429, and removes temporary configs', async () => {
    const temp = mkdtempSync(join(root, 'tmp-'));
    const was = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    const launcher = new Launcher(runs, { maxRunning: 1 });
    const a = createApp({ runsDir: runs, examplesDir: join(root, 'none'), launcher, hosts: LOOPBACK_HOSTS });
    const long = (i: number) => `name: long${i}\nfamily: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 100000, samples: 100000 }\nseeds: 1000\n`;
    try {
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await a.request('/api/runs', { method: 'POST', body: JSON.stringify({ config: long(i) }), headers: { 'content-type': 'application/json' } }));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 429]);
      expect(((await results[1]!.json()) as { queued: boolean }).queued).toBe(true);
      const busy = results[5]!;
      expect(busy.headers.get('retry-after')).toBe('30');
      expect(((await busy.json()) as { error: string }).error).toMatch(/at most 1 run\(s\) at once and 1 are running with 4 waiting/);
    } finally {
      launcher.stopAll();
      process.env.TMPDIR = was;
    }
    await expect.poll(() => readdirSync(temp), { timeout: 30_000, interval: 200 }).toEqual([]);
  }, 60_000);
});

describe('ouro serve on a network', () => {
  it('prints a URL with a token and a warning, and answers nothing without the token', async () => {
    const bin = new URL('../../bin/ouro.js', import.meta.url).pathname;
    const server = spawn(process.execPath, [bin, 'serve', '--host', '0.0.0.0', '--port', '0', '--runs', runs, '--allow-host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      let err = '';
      server.stdout.on('data', (b: Buffer) => (out += b.toString()));
      server.stderr.on('data', (b: Buffer) => (err += b.toString()));
      await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(/\?token=/);
      const [, port, token] = /:(\d+)\/\?token=([\w-]+)/.exec(out)!;
      expect(err).toMatch(/reachable from the network on 0\.0\.0\.0: whoever has this URL can read every run/);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/?token=${token}`)).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
  }, 60_000);
});
