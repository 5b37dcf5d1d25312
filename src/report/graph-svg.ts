// A small inline SVG of an n-gram context graph (what `ouro graph` writes as JSON), laid out
// without Graphviz: contexts in columns by breadth-first depth from the first node, edges as
// straight arrows forward and arcs back (a back arc is a cycle: the collapsed loop).
// Accepted JSON: { nodes: [{ id, label? }], edges: [{ from | source, to | target, label? | token?, p? | prob? }] }.

/** A context: its id in the JSON and the text shown in its box. */
export interface GraphNode {
  readonly id: string;
  readonly label: string;
}
/** A transition: the token it emits and its probability (null when the JSON gives none). */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly p: number | null;
}
/** A context graph as drawn. */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Reads graph JSON in the accepted shapes; throws naming the first field that does not fit. */
export function parseGraph(raw: unknown): Graph {
  const obj = raw as { nodes?: unknown; edges?: unknown };
  if (!obj || !Array.isArray(obj.nodes) || !Array.isArray(obj.edges)) throw new Error('graph JSON: expected { nodes: [...], edges: [...] }');
  const nodes = obj.nodes.map((n: Record<string, unknown>, i) => {
    if (n?.id === undefined) throw new Error(`graph JSON: nodes[${i}] has no id`);
    return { id: String(n.id), label: String(n.label ?? n.context ?? n.id) };
  });
  const edges = obj.edges.map((e: Record<string, unknown>, i) => {
    const from = e?.from ?? e?.source;
    const to = e?.to ?? e?.target;
    if (from === undefined || to === undefined) throw new Error(`graph JSON: edges[${i}] needs from/to (or source/target)`);
    const p = e.p ?? e.prob;
    return { from: String(from), to: String(to), label: String(e.label ?? e.token ?? ''), p: typeof p === 'number' ? p : null };
  });
  return { nodes, edges };
}

const COL = 210;
const ROW = 60;
/** Room above the first row for arcs back to earlier columns. */
const TOP = 80;
const NODE_W = 130;
const NODE_H = 28;

/** The graph as an SVG string (self-contained, no external references). */
export function graphSvg(g: Graph): string {
  const depth = depths(g);
  const rows = new Map<number, number>();
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of g.nodes) {
    const d = depth.get(n.id) ?? 0;
    const r = rows.get(d) ?? 0;
    rows.set(d, r + 1);
    pos.set(n.id, { x: 20 + d * COL, y: TOP + r * ROW });
  }
  const width = 40 + (Math.max(0, ...depth.values()) + 1) * COL;
  const height = TOP + 20 + Math.max(1, ...rows.values()) * ROW;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="ngram-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
  ];
  for (const e of g.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const back = b.x <= a.x;
    const x2 = back ? b.x + NODE_W / 2 : b.x;
    const y2 = back ? b.y : b.y + NODE_H / 2;
    const lift = Math.min(70, y2 - 8);
    const path = back ? `M${x1},${y1} C${x1 + 40},${y1 - lift} ${x2},${y2 - lift} ${x2},${y2}` : `M${x1},${y1} L${x2},${y2}`;
    const text = e.label + (e.p !== null && e.p < 1 ? ` (${e.p.toFixed(2)})` : '');
    parts.push(`<path class="edge${back ? ' back' : ''}" d="${path}" fill="none" stroke="${back ? '#d62728' : '#555'}" stroke-width="${1 + 2 * (e.p ?? 1)}" marker-end="url(#arrow)"/>`);
    if (text) parts.push(`<text x="${(x1 + x2) / 2 + (back ? 20 : 0)}" y="${(y1 + y2) / 2 - (back ? lift * 0.75 : 5)}" text-anchor="middle" fill="#333">${escapeXml(text)}</text>`);
  }
  for (const n of g.nodes) {
    const { x, y } = pos.get(n.id)!;
    parts.push(`<g class="node"><rect x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="#eef3fb" stroke="#1f4e99"/><text x="${x + NODE_W / 2}" y="${y + NODE_H / 2 + 4}" text-anchor="middle">${escapeXml(clip(n.label, 20))}</text></g>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Breadth-first depth from the first node; nodes not reached go one column past the deepest. */
function depths(g: Graph): Map<string, number> {
  const out = new Map<string, number>();
  if (g.nodes.length === 0) return out;
  const queue = [g.nodes[0]!.id];
  out.set(queue[0]!, 0);
  for (let i = 0; i < queue.length; i++) {
    for (const e of g.edges) {
      if (e.from === queue[i] && !out.has(e.to)) {
        out.set(e.to, out.get(queue[i]!)! + 1);
        queue.push(e.to);
      }
    }
  }
  const last = Math.max(...out.values()) + 1;
  for (const n of g.nodes) if (!out.has(n.id)) out.set(n.id, last);
  return out;
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Text made safe inside XML or HTML element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
