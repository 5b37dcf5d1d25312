// The reproduction report as Markdown (figures linked as files) and as one self-contained
// HTML page (figures inline as SVG): the verdict rules, the table claim → setting → result →
// theory → verdict, then each claim with the reasons behind its verdicts, figures and notes.
import { escapeXml as esc } from '../report/graph-svg.ts';
import type { Claim, ClaimResult, Row } from './claim.ts';
import type { SizeName } from './sizes.ts';
import { fmt } from './verdict.ts';

export interface Report {
  readonly title: string;
  readonly source: string;
  readonly size: SizeName;
  /** Seeds of every experiment when --seeds overrode the size's. */
  readonly seeds?: number;
  readonly seconds: number;
  readonly date: string;
  readonly commit: string | null;
  readonly claims: readonly { claim: Claim; result: ClaimResult; seconds: number }[];
  readonly runs: readonly { name: string; dir: string; seconds: number; reused: boolean }[];
}

/** The rules every verdict follows (verdict.ts), as the report states them. */
export const RULES = [
  '**agrees** (exact theory): |simulation − theory| ≤ 3 standard errors of the simulated estimate (means: sd/√seeds; variances: the delta-method se √((m₄ − s⁴)/N); shares: √(p(1 − p)/N) with p the predicted share).',
  '**agrees** (approximate theory: a diffusion or large-n limit): |simulation − theory| ≤ 3 se + the approximation\'s known relative error, stated in the row (e.g. ln n / n for Littler\'s formula, 3/n for first-order-in-1/n results).',
  '**holds** (a direction, “a > b”): a − b > 3 se of the difference (se² = se_a² + se_b² for independent runs); **does not hold** when b − a > 3 se; **inconclusive** in between. Counts that must be exact (all seeds fixated, no seed collapsed) hold only when exactly met.',
  'A row with several rules agrees/holds only if all of them do; one failure makes it **disagrees** / **does not hold**. **not run** means the experiment could not run here, with the reason; no number is ever filled in for it.',
];

const MARK: Record<string, string> = { agrees: '✅ agrees', holds: '✅ holds', disagrees: '❌ disagrees', 'does not hold': '❌ does not hold', inconclusive: '➖ inconclusive', 'not run': '⏸ not run' };

function counts(r: Report): string {
  const all = r.claims.flatMap((c) => c.result.rows.map((row) => row.test.verdict));
  const by = new Map<string, number>();
  for (const v of all) by.set(v, (by.get(v) ?? 0) + 1);
  return [...by].map(([v, n]) => `${n} ${v}`).join(', ');
}

function header(r: Report): string[] {
  return [
    `Reproduces ${r.source}, claim by claim, with Ouroboros (size **${r.size}**${r.seeds !== undefined ? `, ${r.seeds} seed${r.seeds === 1 ? '' : 's'} per experiment` : ''}; ${r.date.slice(0, 19).replace('T', ' ')} UTC${r.commit ? `; commit ${r.commit.slice(0, 10)}` : ''}).`,
    `Running time: **${fmt(r.seconds)} s** (${fmt(r.seconds / 60)} min) for ${r.runs.length} runs${reusedNote(r)}. Verdicts: ${counts(r)}.`,
  ];
}

function reusedNote(r: Report): string {
  const reused = r.runs.filter((x) => x.reused);
  if (reused.length === 0) return '';
  const made = reused.reduce((s, x) => s + x.seconds, 0);
  const took = Number.isFinite(made) ? `; those took ${fmt(made)} s of run time when they were made (the sum of each run's own time: runs made side by side overlap, so their wall clock was shorter)` : '; the time some of them took was not recorded';
  return `, of which ${reused.length} were reused from an earlier invocation (--resume)${took}`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report as Markdown; figures are linked as figures/<id>.svg. */
export function markdownReport(r: Report): string {
  const out = [`# ${r.title}`, '', ...header(r), '', '## How verdicts are decided', '', ...RULES.map((x) => `- ${x}`), '', '## Results', ''];
  out.push('| # | claim | setting | our result | theory | verdict |', '|---|---|---|---|---|---|');
  for (const { claim, result } of r.claims) {
    result.rows.forEach((row, i) => out.push(`| ${row.id} | ${i === 0 ? cell(claim.title) : ''} | ${cell(row.setting)} | ${cell(row.result)} | ${cell(row.theory)} | ${MARK[row.test.verdict]} |`));
  }
  for (const { claim, result, seconds } of r.claims) {
    out.push('', `## ${claim.n}. ${claim.title}`, '', `> ${claim.statement}`, '');
    for (const row of result.rows) out.push(`- **${row.id}** ${MARK[row.test.verdict]}: ${row.test.why}.`);
    for (const f of result.figures) out.push('', `![${f.caption}](figures/${f.id}.svg)`, '', `*${f.caption}*`);
    for (const n of result.notes) out.push('', n);
    out.push('', `(${fmt(seconds)} s)`);
  }
  out.push('', '## Runs', '', 'Every experiment is an ordinary run directory: `ouro report DIR`, `ouro plot DIR` and `ouro export DIR` read it.', '');
  for (const run of r.runs) out.push(`- \`${run.dir}\` (${fmt(run.seconds)} s)`);
  return out.join('\n') + '\n';
}

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f4f6fa}
.agrees,.holds{background:#e3f5e3}.disagrees,.does-not-hold{background:#f9dcdc}.inconclusive{background:#f3f3f3}.not-run{background:#fff3c4}
blockquote{color:#555;border-left:3px solid #ccc;margin:0;padding-left:1em}figure{margin:1.5em 0}svg{max-width:100%;height:auto}`;

function verdictCell(row: Row): string {
  return `<td class="${row.test.verdict.replace(/ /g, '-')}" title="${esc(row.test.why)}">${esc(MARK[row.test.verdict]!)}</td>`;
}

/** The report as one self-contained HTML page (`svgs` by figure id). */
export function htmlReport(r: Report, svgs: ReadonlyMap<string, string>): string {
  const out = [`<h1>${esc(r.title)}</h1>`, ...header(r).map((p) => `<p>${esc(p).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')}</p>`)];
  out.push('<h2>How verdicts are decided</h2><ul>', ...RULES.map((x) => `<li>${esc(x).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')}</li>`), '</ul>');
  out.push('<h2>Results</h2><table><tr><th>#</th><th>claim</th><th>setting</th><th>our result</th><th>theory</th><th>verdict</th></tr>');
  for (const { claim, result } of r.claims) {
    result.rows.forEach((row, i) => out.push(`<tr><td>${esc(row.id)}</td><td>${i === 0 ? esc(claim.title) : ''}</td><td>${esc(row.setting)}</td><td>${esc(row.result)}</td><td>${esc(row.theory)}</td>${verdictCell(row)}</tr>`));
  }
  out.push('</table>');
  for (const { claim, result, seconds } of r.claims) {
    out.push(`<h2 id="claim-${claim.n}">${claim.n}. ${esc(claim.title)}</h2>`, `<blockquote>${esc(claim.statement)}</blockquote><ul>`);
    for (const row of result.rows) out.push(`<li><b>${esc(row.id)}</b> ${esc(MARK[row.test.verdict]!)}: ${esc(row.test.why)}.</li>`);
    out.push('</ul>');
    for (const f of result.figures) out.push(`<figure id="figure-${esc(f.id)}">${svgs.get(f.id) ?? ''}<figcaption>${esc(f.caption)}</figcaption></figure>`);
    for (const n of result.notes) out.push(`<p>${esc(n)}</p>`);
    out.push(`<p>(${fmt(seconds)} s)</p>`);
  }
  out.push('<h2>Runs</h2><ul>', ...r.runs.map((run) => `<li><code>${esc(run.dir)}</code> (${fmt(run.seconds)} s)</li>`), '</ul>');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title><style>${STYLE}</style></head>\n<body>\n${out.join('\n')}\n</body></html>\n`;
}
