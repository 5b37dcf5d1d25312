// The dashboard as a hono app: pages, SVG plots rendered on the server, live updates by
// server-sent events, and starting runs. Handlers parse → validate → call → render; every
// path goes through `confine`, and bad input gets a 4xx with a message.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { escapeXml as esc } from '../report/graph-svg.ts';
import { reportHtml } from '../report/html.ts';
import { toSvg } from '../report/render.ts';
import { isRunDir, readRun, ReportInputError, type Run } from '../report/run-dir.ts';
import { runPlot } from '../report/plot.ts';
import { compareSpec, runSpecs } from '../report/specs.ts';
import { plotFor } from '../report/plot.ts';
import { findRunDirs, readSweep } from '../report/sweep-dir.ts';
import { cellStatus, readIndex, SWEEP_FILES, type IndexCell } from '../store/sweepdir.ts';
import { FILES, RunDirError, readDirFile, runStatus } from '../store/rundir.ts';
import type { Launcher } from './launch.ts';
import { tail } from './live.ts';
import { progressText, runProgress, secondsLeft } from './progress.ts';
import { comparePage, issuesJson, newRunPage, runPage, runsPage, sweepPage } from './pages.ts';
import { guard } from './guard.ts';
import { confine, PathError, relName } from './paths.ts';
import { playgroundRoutes } from './playground-routes.ts';

/** Where runs live, where examples come from, who starts runs, and who may ask (src/web/guard.ts). */
export interface AppOptions {
  readonly runsDir: string;
  readonly examplesDir: string;
  readonly launcher: Launcher;
  /** Host names requests may address (the Host header, port aside); omit to accept any. */
  readonly hosts?: readonly string[];
  /** When set, every request must carry this token. */
  readonly token?: string;
}

export { LOOPBACK_HOSTS } from './guard.ts';

/** Largest request body accepted (a config is a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;
/** At most this many runs on one comparison plot. */
const MAX_COMPARE = 12;

/** The dashboard app over `runsDir`. */
export function createApp(opts: AppOptions): Hono {
  const runsDir = realpathSync(opts.runsDir);
  const app = new Hono();
  const cache = new PlotCache();
  const dirParam = (c: Context): string => confine(runsDir, c.req.query('dir'));

  // A page on another site can make the browser send requests here: the guards check Host (DNS
  // rebinding), the token and Origin; requiring JSON for starting runs also forces a CORS
  // preflight, which we never grant.
  guard(app, { ...(opts.hosts && { hosts: opts.hosts }), ...(opts.token !== undefined && { token: opts.token }), maxBodyBytes: MAX_BODY_BYTES });

  app.onError((err, c) => {
    if (err instanceof PathError) return c.text(err.message + '\n', err.status);
    if (err instanceof ReportInputError || err instanceof RunDirError) return c.text(err.message + '\n', 404);
    return c.text(`internal error: ${err.message}\n`, 500);
  });

  app.get('/', (c) => {
    const sweeps = sweepDirs(runsDir);
    const inSweep = (d: string): boolean => sweeps.some((w) => d.startsWith(w + sep));
    const now = Date.now();
    const rows = findRunDirs(runsDir).filter((d) => !inSweep(d)).map((d) => {
      const status = runStatus(d);
      const p = runProgress(d);
      return { rel: relName(runsDir, d), status, family: familyOf(d), progress: p ? progressText(p, secondsLeft(p, now), status === 'running') : '' };
    });
    const sweepRows = sweeps.map((w) => {
      const counts: Record<string, number> = {};
      let cells: IndexCell[] = [];
      try {
        cells = readIndex(w).cells;
      } catch (e) {
        if (!(e instanceof RunDirError)) throw e;
        counts.damaged = 1; // its page says what is wrong; the rest of the list still shows
      }
      for (const cell of cells) counts[cellStatus(w, cell)] = (counts[cellStatus(w, cell)] ?? 0) + 1;
      const first = cells.find((c) => existsSync(join(w, c.dir, FILES.config)));
      return { rel: relName(runsDir, w), counts, family: first ? familyOf(join(w, first.dir)) : '?' };
    });
    return c.html(runsPage(rows, sweepRows, runsDir));
  });

  app.get('/sweep', async (c) => {
    const dir = dirParam(c);
    const sweep = readSweep(dir);
    const metrics = [...new Set(sweep.cells.flatMap((r) => r.metricNames))];
    const { id, spec } = plotFor(dir, c.req.query('metric'));
    const cells = sweep.cells.map((r, i) => ({ rel: relName(runsDir, r.dir), label: sweep.labels[i]!, status: r.status }));
    return c.html(sweepPage(relName(runsDir, dir), cells, metrics, id, await toSvg(spec)));
  });

  app.get('/run', async (c) => {
    const dir = dirParam(c);
    const rel = relName(runsDir, dir);
    const failure = existsSync(join(dir, FILES.failed)) ? `<pre class="err">${esc(readDirFile(join(dir, FILES.failed)).toString('utf8'))}</pre>` : '';
    if (!isRunDir(dir)) return c.html(runPage(rel, failure ? 'failed' : 'starting', [], '<p>Starting…</p>', failure));
    const run = readRun(dir);
    const plots = runSpecs(run);
    return c.html(runPage(rel, run.status, plots.map((p) => p.id), plots[0] ? await toSvg(plots[0].spec) : '<p>No generations recorded yet.</p>', failure));
  });

  app.get('/api/plot', async (c) => {
    const dir = dirParam(c);
    const metric = c.req.query('metric');
    return c.body(await cache.get(dir, metric, (run) => runPlot(run, metric).spec), 200, { 'content-type': 'image/svg+xml' });
  });

  app.get('/api/events', (c) => tail(c, dirParam(c)));

  app.get('/report', async (c) => c.html(await reportHtml(dirParam(c))));

  app.get('/compare', async (c) => {
    const rels = c.req.queries('dir') ?? [];
    if (rels.length < 1 || rels.length > MAX_COMPARE) return c.text(`compare: give 1 to ${MAX_COMPARE} runs as ?dir=A&dir=B, got ${rels.length}\n`, 400);
    const runs = rels.map((r) => readRun(confine(runsDir, r)));
    const metrics = [...new Set(runs.flatMap((r) => r.metricNames))];
    const metric = c.req.query('metric') ?? metrics[0];
    if (metric === undefined || !metrics.includes(metric)) return c.text(`compare: no metric '${metric}'; these runs have: ${metrics.join(', ')}\n`, 404);
    return c.html(comparePage(rels, metrics, metric, await toSvg(compareSpec(runs, { labels: rels }, metric))));
  });

  app.get('/new', (c) => c.html(newRunPage(examples(opts.examplesDir))));

  app.get('/api/examples/:name', (c) => {
    const name = c.req.param('name');
    if (!examples(opts.examplesDir).includes(name)) return c.text(`no example '${name}'; see /new for the list\n`, 404);
    return c.text(readFileSync(join(opts.examplesDir, name), 'utf8'));
  });

  app.post('/api/runs', async (c) => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json')) return c.json({ error: 'send the config as JSON with content-type: application/json' }, 415);
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return c.json({ error: 'expected a JSON body { "config": "<YAML or JSON text>" }' }, 400);
    }
    const config = (body as { config?: unknown } | null)?.config;
    if (typeof config !== 'string') return c.json({ error: 'expected a JSON body { "config": "<YAML or JSON text>" }' }, 400);
    const result = opts.launcher.start(config);
    if (result.status === 'invalid') return c.json({ error: 'the config is not valid', issues: issuesJson(result.issues) }, 422);
    if (result.status === 'busy') return c.json({ error: result.message }, 429, { 'retry-after': '30' });
    return c.json({ dir: result.dir, name: result.name, queued: result.status === 'queued' }, 201);
  });

  app.get('/favicon.ico', (c) => c.body(null, 204));
  playgroundRoutes(app);
  return app;
}

/** Rendered plots by run, plot id and the log's size, so a page reload of an unchanged run costs nothing. */
class PlotCache {
  private readonly svgs = new Map<string, string>();

  async get(dir: string, id: string | undefined, specOf: (run: Run) => Record<string, unknown>): Promise<string> {
    const key = `${dir}\0${id}\0${sizeOf(join(dir, FILES.log))}\0${existsSync(join(dir, FILES.summary))}`;
    const hit = this.svgs.get(key);
    if (hit !== undefined) return hit;
    const svg = await toSvg(specOf(readRun(dir)));
    if (this.svgs.size > 200) this.svgs.clear();
    this.svgs.set(key, svg);
    return svg;
  }
}

/** Sweep directories (holding a sweep index) up to two levels below the runs directory; links are not followed. */
function sweepDirs(root: string, depth = 2): string[] {
  if (existsSync(join(root, SWEEP_FILES.index))) return [root];
  if (depth === 0 || existsSync(join(root, FILES.config))) return [];
  return readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).flatMap((d) => sweepDirs(join(root, d.name), depth - 1));
}

function examples(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort() : [];
}

function familyOf(dir: string): string {
  try {
    return String((JSON.parse(readDirFile(join(dir, FILES.config)).toString('utf8')) as { family?: unknown }).family ?? '?');
  } catch {
    return '?';
  }
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}
