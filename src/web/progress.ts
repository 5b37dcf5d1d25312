// How far a run is, for the dashboard: seeds done of all (a seed is done at its `end` line),
// the generations those seeds ran, and an estimate of the time left from the pace so far.
// The log is read incrementally (only the bytes added since the last look), so a page that
// refreshes every few seconds costs little however long the run is.
import { closeSync, existsSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, readDirFile } from '../store/rundir.ts';

export interface RunProgress {
  readonly seeds: number;
  readonly seedsDone: number;
  /** The horizon: generations each seed runs unless it stops in an absorbing collapse. */
  readonly generations: number;
  /** Generations the finished seeds ran, summed. */
  readonly generationsDone: number;
  /** When the run started (config.json was written), ms since the epoch. */
  readonly started: number;
}

interface Scan {
  bytes: number;
  rest: string;
  seedsDone: number;
  generationsDone: number;
}

const scans = new Map<string, Scan>();

/** The progress of the run in `dir` (null before its config.json exists). */
export function runProgress(dir: string): RunProgress | null {
  const configPath = join(dir, FILES.config);
  if (!existsSync(configPath)) return null;
  let config: { seeds?: unknown; loop?: { generations?: unknown } };
  try {
    config = JSON.parse(readDirFile(configPath).toString('utf8')) as typeof config;
  } catch {
    return null; // caught mid-write (the next look sees it whole), or a planted link, which is not followed
  }
  const log = join(dir, FILES.log);
  const st = lstatSync(log, { throwIfNoEntry: false });
  const size = st?.isFile() ? st.size : 0;
  let scan = scans.get(dir);
  if (!scan || size < scan.bytes) scan = { bytes: 0, rest: '', seedsDone: 0, generationsDone: 0 }; // new, or cut back by a resume
  if (size > scan.bytes) readEnds(log, scan, size);
  scans.set(dir, scan);
  return {
    seeds: Array.isArray(config.seeds) ? config.seeds.length : 0,
    seedsDone: scan.seedsDone,
    generations: typeof config.loop?.generations === 'number' ? config.loop.generations : 0,
    generationsDone: scan.generationsDone,
    started: statSync(configPath).mtimeMs,
  };
}

/** Counts the end lines in the bytes from scan.bytes to `to`. */
function readEnds(path: string, scan: Scan, to: number): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(1 << 20, to - scan.bytes));
    while (scan.bytes < to) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, to - scan.bytes), scan.bytes);
      if (got === 0) break;
      scan.bytes += got;
      const lines = (scan.rest + buf.toString('utf8', 0, got)).split('\n');
      scan.rest = lines.pop()!;
      for (const l of lines) {
        if (!l.includes('"event":"end"')) continue;
        scan.seedsDone++;
        scan.generationsDone += Number(/"generation":(\d+)/.exec(l)?.[1]) || 0; // a damaged line counts no generations rather than failing the page
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Seconds left at the pace since `since` (when `doneThen` seeds were done), or null before any seed finished since. */
export function secondsLeft(p: RunProgress, now: number, since = p.started, doneThen = 0): number | null {
  const done = p.seedsDone - doneThen;
  if (done <= 0 || now <= since) return null;
  return (((now - since) / 1000) * (p.seeds - p.seedsDone)) / done;
}

/** "37 of 200 seeds done (1,850 generations) · about 2 min left". */
export function progressText(p: RunProgress, left: number | null, running: boolean): string {
  const gens = p.generationsDone.toLocaleString('en-US');
  const head = `${p.seedsDone} of ${p.seeds} seed${p.seeds === 1 ? '' : 's'} done (${gens} generation${p.generationsDone === 1 ? '' : 's'} of at most ${p.generations} each)`;
  if (!running || p.seedsDone >= p.seeds) return head;
  return `${head} · ${left === null ? 'estimating the time left…' : `about ${duration(left)} left`}`;
}

function duration(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
