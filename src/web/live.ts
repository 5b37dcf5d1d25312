// Server-sent events for one run: poll the size of generations.jsonl and, when it grew, send
// an `update` with the count of whole lines, the status and the progress (seeds and
// generations done, time left; progress.ts); when the run is no longer
// running and nothing changed, send `end` and close. Polling (not fs.watch) behaves the same
// on every filesystem, and a run appends in bursts, so a half-second poll loses nothing.
import { closeSync, existsSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { FILES, runStatus } from '../store/rundir.ts';
import { progressText, runProgress, secondsLeft } from './progress.ts';

const POLL_MS = 500;
/** A directory a launch just claimed has no config.json for a moment; wait this long for it. */
const START_MS = 60_000;

/** The size of the run's log: 0 while it does not exist, and for anything but a regular file (a planted link is not followed). */
function sizeOf(path: string): number {
  const st = lstatSync(path, { throwIfNoEntry: false });
  return st?.isFile() ? st.size : 0;
}

/** Counts '\n' in `path` from byte `from` to `to` (reads only what is new). */
function countNewlines(path: string, from: number, to: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(1 << 20, to - from));
    let n = 0;
    for (let pos = from; pos < to; ) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, to - pos), pos);
      if (got === 0) break;
      for (let i = 0; i < got; i++) if (buf[i] === 0x0a) n++;
      pos += got;
    }
    return n;
  } finally {
    closeSync(fd);
  }
}

/** The SSE response tailing the run in `dir` until it stops running or the client leaves. */
export function tail(c: Context, dir: string): Response {
  const log = join(dir, FILES.log);
  return streamSSE(c, async (stream) => {
    let size = 0;
    let lines = 0;
    let first = true;
    let idle = 0; // polls with no growth and no live writer; two in a row end the stream (a run writes config.json a moment before it takes its lock)
    const since = Date.now();
    let pace: { at: number; done: number } | undefined; // the pace is measured from the first look that saw a seed done, or from the start
    const update = (status: string): string => {
      const p = runProgress(dir);
      if (!p) return JSON.stringify({ lines, status });
      pace ??= p.seedsDone > 0 && Date.now() - p.started > 2 * POLL_MS ? { at: Date.now(), done: p.seedsDone } : { at: p.started, done: 0 };
      const left = secondsLeft(p, Date.now(), pace.at, pace.done) ?? secondsLeft(p, Date.now());
      return JSON.stringify({ lines, status, seedsDone: p.seedsDone, seeds: p.seeds, progress: progressText(p, left, status === 'running') });
    };
    while (!stream.aborted) {
      const now = sizeOf(log);
      const starting = !existsSync(join(dir, FILES.config)) && !existsSync(join(dir, FILES.failed)) && Date.now() - since < START_MS;
      const status = starting ? 'starting' : runStatus(dir);
      if (now < size) [size, lines] = [0, 0]; // cut back by a resume: count again
      if (now > size) lines += countNewlines(log, size, now);
      if (now !== size || first) {
        idle = 0;
        size = now;
        first = false;
        await stream.writeSSE({ event: 'update', data: update(status) });
      } else if (status !== 'running' && status !== 'starting' && ++idle >= 2) {
        await stream.writeSSE({ event: 'update', data: update(status) });
        await stream.writeSSE({ event: 'end', data: status });
        return;
      }
      await stream.sleep(POLL_MS);
    }
  });
}
