// The dashboard's HTML, rendered on the server. Plots arrive as SVG from /api/plot, so the
// browser needs no chart library and the pages make no request beyond this server.
import { escapeXml as esc } from '../report/graph-svg.ts';
import type { ConfigIssue } from '../config/load.ts';

/** One run in the list. */
export interface RunRow {
  readonly rel: string;
  readonly status: string;
  readonly family: string;
  /** Seeds and generations done, and the time left while it runs (progress.ts). */
  readonly progress: string;
}

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;color:#222}
header{background:#1f4e99;color:#fff;padding:.6em 1.2em}header a{color:#fff;margin-right:1.2em;text-decoration:none}
main{padding:1em 1.2em;max-width:1200px}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .7em;text-align:left}
.status{padding:0 .5em;border-radius:3px;background:#eee}.complete{background:#d9f2d9}.running{background:#fff3c4}.incomplete,.failed{background:#f8d7d7}
textarea{width:100%;height:22em;font-family:"DejaVu Sans Mono",monospace;font-size:13px}.err{color:#b00020}
ol.lines{font-family:"DejaVu Sans Mono",monospace;font-size:13px;background:#f7f7f7;padding:.5em 0 .5em 3.5em;margin:0}ol.lines li{white-space:pre}ol.lines li.bad{background:#f8d7d7}
.msg{font-family:system-ui,sans-serif;color:#b00020;white-space:pre-wrap}svg{max-width:100%;height:auto}`;

/** The common frame: a header with the dashboard's sections. */
export function layout(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} — Ouroboros</title><style>${STYLE}</style></head>
<body><header><a href="/"><b>Ouroboros</b></a><a href="/">runs</a><a href="/new">new run</a><a href="/playground">playground</a></header>
<main>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/** One sweep in the list. */
export interface SweepRow {
  readonly rel: string;
  /** Cells per status, e.g. { complete: 6, running: 1, pending: 1 }. */
  readonly counts: Readonly<Record<string, number>>;
  readonly family: string;
}

/** Runs and sweeps in one list, by name: status, family and progress, with checkboxes to compare runs on one plot. */
export function runsPage(rows: readonly RunRow[], sweeps: readonly SweepRow[], runsDir: string): string {
  if (rows.length + sweeps.length === 0) {
    return layout('runs', `<h1>Runs</h1><p>No runs in ${esc(runsDir)} yet. <a href="/new">Start one</a>, or run <code>ouro run examples/coin-20.yaml --out ${esc(runsDir)}/coin-20</code>.</p>`);
  }
  const runRow = (r: RunRow): string =>
    `<tr data-status="${esc(r.status)}"><td><input type="checkbox" name="dir" value="${esc(r.rel)}"></td><td><a href="/run?dir=${encodeURIComponent(r.rel)}">${esc(r.rel)}</a></td><td>run</td><td><span class="status ${esc(r.status)}">${esc(r.status)}</span></td><td>${esc(r.family)}</td><td>${esc(r.progress)}</td></tr>`;
  const sweepRow = (w: SweepRow): string => {
    const total = Object.values(w.counts).reduce((a, n) => a + n, 0);
    const running = (w.counts.running ?? 0) > 0 ? ' data-status="running"' : '';
    return `<tr${running}><td></td><td><a href="/sweep?dir=${encodeURIComponent(w.rel)}">${esc(w.rel)}/</a></td><td>sweep</td><td>${Object.entries(w.counts).map(([k, n]) => `<span class="status ${esc(k)}">${n} ${esc(k)}</span>`).join(' ')}</td><td>${esc(w.family)}</td><td>${w.counts.complete ?? 0} of ${total} cells complete</td></tr>`;
  };
  const all = [...rows.map((r) => ({ rel: r.rel, html: runRow(r) })), ...sweeps.map((w) => ({ rel: w.rel, html: sweepRow(w) }))].sort((a, b) => a.rel.localeCompare(b.rel));
  const body = `<form action="/compare" method="get"><table id="runs"><tr><th></th><th>directory</th><th>kind</th><th>status</th><th>family</th><th>progress</th></tr>
${all.map((x) => x.html).join('\n')}
</table><p><button type="submit">compare selected runs on one plot</button></p></form>`;
  // While anything is going, refresh the list so its status and progress show.
  const script = `if (document.querySelector('tr[data-status="running"]')) setTimeout(() => location.reload(), 3000);`;
  return layout('runs', `<h1>Runs and sweeps</h1>${body}`, script);
}

/** One run: its plots by metric, updated live from /api/events while the run is going. */
export function runPage(rel: string, status: string, plots: readonly string[], firstSvg: string, note = ''): string {
  const q = `dir=${encodeURIComponent(rel)}`;
  const body = `<h1>${esc(rel)} <span id="status" class="status ${esc(status)}">${esc(status)}</span></h1>
<p><label>plot <select id="metric">${plots.map((p) => `<option>${esc(p)}</option>`).join('')}</select></label>
· <span id="progress"></span> · <a href="/report?${q}">full report</a></p>${note}
<figure id="plot" data-metric="${esc(plots[0] ?? '')}">${firstSvg}</figure>`;
  const script = `const q = ${JSON.stringify(q)};
const fig = document.getElementById('plot'), sel = document.getElementById('metric');
let busy = false, again = false; // one request at a time; updates during it coalesce into one more
async function refresh() {
  if (busy) { again = true; return; }
  busy = true;
  const r = await fetch('/api/plot?' + q + '&metric=' + encodeURIComponent(sel.value));
  if (r.ok) { fig.innerHTML = await r.text(); fig.dataset.metric = sel.value; }
  busy = false;
  if (again) { again = false; refresh(); }
}
sel.addEventListener('change', refresh);
const es = new EventSource('/api/events?' + q);
es.addEventListener('update', (e) => {
  const d = JSON.parse(e.data);
  const st = document.getElementById('status');
  st.textContent = d.status; st.className = 'status ' + d.status;
  document.getElementById('progress').textContent = d.progress ?? (d.lines + ' log lines');
  if (!sel.options.length && d.lines > 0) location.reload(); // a run that was starting has plots now
  else if (sel.options.length) refresh();
});
es.addEventListener('end', () => es.close());`;
  return layout(rel, body, script);
}

/** A sweep: its cells with status, and every cell on one plot (panels by the last swept key). */
export function sweepPage(rel: string, cells: readonly { rel: string; label: string; status: string }[], metrics: readonly string[], metric: string, svg: string): string {
  const body = `<h1>Sweep ${esc(rel)}</h1><form method="get"><input type="hidden" name="dir" value="${esc(rel)}"><label>metric <select name="metric" onchange="this.form.submit()">${metrics.map((m) => `<option${m === metric ? ' selected' : ''}>${esc(m)}</option>`).join('')}</select></label> · <a href="/report?dir=${encodeURIComponent(rel)}">full report</a></form>
<figure id="plot">${svg}</figure>
<table>${cells.map((c) => `<tr><td><a href="/run?dir=${encodeURIComponent(c.rel)}">${esc(c.label)}</a></td><td><span class="status ${esc(c.status)}">${esc(c.status)}</span></td></tr>`).join('')}</table>`;
  return layout(`sweep ${rel}`, body);
}

/** Several runs' means and bands on one plot. */
export function comparePage(rels: readonly string[], metrics: readonly string[], metric: string, svg: string): string {
  const hidden = rels.map((r) => `<input type="hidden" name="dir" value="${esc(r)}">`).join('');
  const body = `<h1>Compare ${rels.length} runs</h1><form method="get">${hidden}<label>metric <select name="metric" onchange="this.form.submit()">${metrics.map((m) => `<option${m === metric ? ' selected' : ''}>${esc(m)}</option>`).join('')}</select></label></form><figure id="plot">${svg}</figure>`;
  return layout('compare', body);
}

/** The new-run form: an example to start from, the config text, and its errors at their lines. */
export function newRunPage(examples: readonly string[]): string {
  const body = `<h1>Start a run</h1>
<p><label>start from an example <select id="example"><option value="">—</option>${examples.map((e) => `<option>${esc(e)}</option>`).join('')}</select></label></p>
<textarea id="config" spellcheck="false" placeholder="family: categorical&#10;init: { probs: [0.5, 0.5] }&#10;loop: { samples: 20, generations: 1000 }&#10;seeds: 100"></textarea>
<p><button id="start">validate and start</button></p><div id="errors"></div>`;
  const script = `const ta = document.getElementById('config'), out = document.getElementById('errors');
document.getElementById('example').addEventListener('change', async (e) => {
  if (!e.target.value) return;
  ta.value = await (await fetch('/api/examples/' + encodeURIComponent(e.target.value))).text();
});
const esc = (s) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
document.getElementById('start').addEventListener('click', async () => {
  const r = await fetch('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: ta.value }) });
  const d = await r.json();
  if (r.ok) { location.href = '/run?dir=' + encodeURIComponent(d.dir); return; }
  if (!d.issues) { out.innerHTML = '<p class="err">' + esc(d.error) + '</p>'; return; }
  const bad = new Map(d.issues.filter((i) => i.line).map((i) => [i.line, i]));
  const lines = ta.value.split('\\n').map((l, k) => {
    const i = bad.get(k + 1);
    return '<li' + (i ? ' class="bad"' : '') + '>' + esc(l || ' ') + (i ? '<div class="msg">' + ' '.repeat(Math.max(0, (i.column || 1) - 1)) + '^ ' + esc(i.path ? i.path + ': ' + i.message : i.message) + '</div>' : '') + '</li>';
  });
  const loose = d.issues.filter((i) => !i.line).map((i) => '<p class="err">' + esc(i.where + ' ' + (i.path ? i.path + ': ' : '') + i.message) + '</p>');
  out.innerHTML = loose.join('') + '<ol class="lines">' + lines.join('') + '</ol>';
});`;
  return layout('new run', body, script);
}

/** Issues as JSON-safe records for the client. */
export function issuesJson(issues: readonly ConfigIssue[]): object[] {
  return issues.map((i) => ({ where: i.where, path: i.path, message: i.message, line: i.line ?? null, column: i.column ?? null }));
}
