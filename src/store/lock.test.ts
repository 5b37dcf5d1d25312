// Run locks: one holder at a time (also when two processes race), stale locks (dead process,
// reused pid, earlier boot) broken, a live or foreign-host lock never broken, and a release
// that removes only its own lock.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, lockHolder, processIdentity } from './lock.ts';
import { FILES, runStatus } from './rundir.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ouro-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(tmp, `l${n++}`);

/** The pid of a process that has exited (pids are not reused this fast). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

function owner(over: Record<string, unknown>): string {
  return JSON.stringify({ ...processIdentity(process.pid), nonce: 'x', ...over }) + '\n';
}

describe('acquireLock', () => {
  it('gives the lock to one holder and names it to the next', () => {
    const path = fresh();
    const lock = acquireLock(path, 'run r');
    expect(() => acquireLock(path, 'run r')).toThrow(`run r is being written by process ${process.pid}`);
    lock.release();
    expect(existsSync(path)).toBe(false);
    acquireLock(path, 'run r').release();
  });

  it.each([
    ['its process has exited', () => owner({ pid: deadPid() })],
    ['its pid now belongs to a process started at another time', () => owner({ start: '1' })],
    ['it was taken before the last reboot', () => owner({ boot: 'another-boot' })],
    ['it holds a bare pid of an exited process (older runs)', () => `${deadPid()}\n`],
  ])('breaks a stale lock: %s', (_why, text) => {
    const path = fresh();
    writeFileSync(path, text());
    expect(lockHolder(path)).toBeUndefined();
    const lock = acquireLock(path, 'run r');
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('never breaks a live lock or one taken on another host', () => {
    for (const text of [owner({ nonce: 'other' }), owner({ pid: 1, start: null, host: `not-${hostname()}` })]) {
      const path = fresh();
      writeFileSync(path, text);
      expect(() => acquireLock(path, 'run r')).toThrow(/is being written by process/);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('release leaves a lock that is no longer its own', () => {
    const path = fresh();
    const lock = acquireLock(path, 'run r');
    writeFileSync(path, owner({ nonce: 'someone else' }));
    lock.release();
    expect(existsSync(path)).toBe(true);
  });

  it('of processes that race for one lock, exactly one wins, and no loser removes it', async () => {
    const url = new URL('./lock.ts', import.meta.url).href;
    const script = `const { acquireLock } = await import(${JSON.stringify(url)});
      let lock; try { lock = acquireLock(process.argv[1], 'run r'); } catch { process.stdout.write('lost'); process.exit(0); }
      process.stdout.write('won'); setTimeout(() => lock.release(), 1500);`;
    for (let round = 0; round < 2; round++) {
      const path = fresh();
      writeFileSync(path, owner({ pid: deadPid() })); // a stale lock to break as well
      const results = await Promise.all(
        Array.from({ length: 3 }, () => new Promise<string>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          c.stdout.on('data', (b: Buffer) => (out += b.toString()));
          c.on('exit', () => resolve(out));
        })),
      );
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      expect(results.filter((r) => r === 'lost')).toHaveLength(2);
      expect(existsSync(path)).toBe(false); // the winner released it; no loser left or removed anything
    }
  });
});

describe('runStatus', () => {
  it('reads a run whose lock has a reused pid as incomplete, not running', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, FILES.config), '{"runId":"x"}');
    writeFileSync(join(dir, FILES.lock), owner({ start: '1' }));
    expect(runStatus(dir)).toBe('incomplete');
    writeFileSync(join(dir, FILES.lock), owner({}));
    expect(runStatus(dir)).toBe('running');
  });
});
