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
import { cellStatus, readIndex, SWEEP_FILES } from '../store/sweepdir.ts';
import { FILES, runStatus } from '../store/rundir.ts';
import type { Launcher } from './launch.ts';
import { tail } from './live.ts';
import { progressText, runProgress, secondsLeft } from './progress.ts';
import { comparePage, issuesJson, newRunPage, runPage, runsPage, sweepPage } from './pages.ts';
import { confine, PathError, relName } from './paths.ts';
import { playgroundRoutes } from './playground-routes.ts';

/** Where runs live, where examples come from, and who starts runs. */
export interface AppOptions {
  readonly runsDir: string;
  readonly examplesDir: string;
  readonly launcher: Launcher;
  /** Host names requests may address (the Host header, port aside); omit to accept any. */
  readonly hosts?: readonly string[];
}

/** The names of this machine's loopback interface, which a server bound to 127.0.0.1 answers to. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** Largest config body accepted from the browser (a config is a few hundred bytes). */
const MAX_CONFIG_BYTES = 64 * 1024;
/** At most this many runs on one comparison plot. */
const MAX_COMPARE = 12;

/** The dashboard app over `runsDir`. */
export function createApp(opts: AppOptions): Hono {
  const runsDir = realpathSync(opts.runsDir);
  const app = new Hono();
  const cache = new PlotCache();
  const dirParam = (c: Context): string => confine(runsDir, c.req.query('dir'));

  // A page on another site can make the browser send requests here; checking Host defeats DNS
  // rebinding, and requiring JSON for starting runs forces a CORS preflight, which we never grant.
  app.use(async (c, next) => {
    const host = new URL(c.req.url).hostname; // from the Host header
    if (opts.hosts && !opts.hosts.includes(host)) return c.text(`host '${host}' is not served here; use ${opts.hosts[0]}\n`, 403);
    return next();
  });

  app.onError((err, c) => {
    if (err instanceof PathError) return c.text(err.message + '\n', err.status);
    if (err instanceof ReportInputError) return c.text(err.message + '\n', 404);
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
      const cells = readIndex(w).cells;
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
    const failure = existsSync(join(dir, FILES.failed)) ? `<pre class="err">${esc(readFileSync(join(dir, FILES.failed), 'utf8'))}</pre>` : '';
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
    if (text.length > MAX_CONFIG_BYTES) return c.json({ error: `config too large (${text.length} bytes; at most ${MAX_CONFIG_BYTES})` }, 413);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return c.json({ error: 'expected a JSON body { "config": "<YAML or JSON text>" }' }, 400);
    }
    const config = (body as { config?: unknown } | null)?.config;
    if (typeof config !== 'string') return c.json({ error: 'expected a JSON body { "config": "<YAML or JSON text>" }' }, 400);
    const result = opts.launcher.start(config);
    if (!result.ok) return c.json({ error: 'the config is not valid', issues: issuesJson(result.issues) }, 422);
    return c.json({ dir: result.dir, name: result.name }, 201);
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
    return String((JSON.parse(readFileSync(join(dir, FILES.config), 'utf8')) as { family?: unknown }).family ?? '?');
  } catch {
    return '?';
  }
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}
