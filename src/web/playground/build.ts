// Bundles the playground with esbuild: the page, main.js and worker.js (the worker carries
// src/core, src/families, src/theory and the config schema). `ouro serve` builds it in memory
// at start; `npm run build:playground` writes the same files for any static host.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../../runner/entry-points.ts';

/** The playground's sources (also when this module itself runs compiled, from dist/). */
const HERE = join(PACKAGE_ROOT, 'src', 'web', 'playground');

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ouroboros playground</title>
<style>
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:1em 1.5em;color:#222}
.controls{display:grid;grid-template-columns:15em 14em 4em;gap:.3em .8em;align-items:center;max-width:40em}
#plot svg{border:1px solid #ddd;margin-top:1em}#error{color:#b00020;white-space:pre-wrap}
</style></head>
<body>
<h1>Ouroboros playground</h1>
<p>A model trained on its own samples, generation after generation, in your browser. Faint lines: seeds; blue: their mean; blue dashed: the exact theory of that mean. <a href="./ecosystem.html">Several models and people sharing one pool</a></p>
<div class="controls">
<label for="family">family</label><select id="family"></select><span></span>
<label for="n" id="n-label">n</label><input type="range" id="n"><span id="n-value"></span>
<label for="k" id="k-label">k</label><input type="range" id="k"><span id="k-value"></span>
<label for="T">T (temperature)</label><input type="range" id="T" min="0.5" max="2" step="0.05" value="1"><span id="T-value"></span>
<label for="lambda">λ (real fraction)</label><input type="range" id="lambda" min="0" max="0.5" step="0.01" value="0"><span id="lambda-value"></span>
<label for="policy">policy</label><select id="policy"><option>replace</option><option>augment</option><option>accumulate</option></select><span></span>
<label for="training">training</label><select id="training"><option>scratch</option><option>finetune</option></select><span></span>
<label for="generations">generations</label><input type="range" id="generations" min="10" max="1000" step="10" value="100"><span id="generations-value"></span>
<label for="seeds">seeds</label><input type="range" id="seeds" min="1" max="200" value="50"><span id="seeds-value"></span>
<label for="metric">plot</label><select id="metric"></select><button id="reseed">reseed</button>
</div>
<p id="progress"></p><div id="error"></div><div id="plot"></div>
<script type="module" src="./main.js"></script>
</body></html>
`;

const ECOSYSTEM_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ouroboros playground: an ecosystem</title>
<style>
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:1em 1.5em;color:#222}
.controls{display:grid;grid-template-columns:19em 14em 4em;gap:.3em .8em;align-items:center;max-width:44em}
#plot svg{border:1px solid #ddd;margin-top:1em}#error{color:#b00020;white-space:pre-wrap}
</style></head>
<body>
<h1>Two models and people sharing one pool</h1>
<p>Agents <b>a</b> (blue) and <b>b</b> (orange) are coins retrained each generation on a mix of their own posts, the other's and the people's; the <b>people</b> (green, dashed) post from their view and drift toward what the agents write, anchored by their stubbornness. Lines: the mean over seeds; dotted: the exact theory (when both agents sample at T = 1). <a href="./">the single-model playground</a></p>
<div class="controls">
<label for="n">n (samples and posts per generation)</label><input type="range" id="n" min="5" max="200" value="20"><span id="n-value"></span>
<label for="cross">read weight on the other agent</label><input type="range" id="cross" min="0" max="0.5" step="0.05" value="0.1"><span id="cross-value"></span>
<label for="human">read weight on the people</label><input type="range" id="human" min="0" max="0.5" step="0.05" value="0.1"><span id="human-value"></span>
<label for="s">people's stubbornness s</label><input type="range" id="s" min="0" max="1" step="0.05" value="0.5"><span id="s-value"></span>
<label for="T">b's temperature T</label><input type="range" id="T" min="0.5" max="2" step="0.05" value="1"><span id="T-value"></span>
<label for="start">b starts at p0 =</label><input type="range" id="start" min="0.05" max="0.95" step="0.05" value="0.8"><span id="start-value"></span>
<label for="generations">generations</label><input type="range" id="generations" min="10" max="500" step="10" value="100"><span id="generations-value"></span>
<label for="seeds">seeds</label><input type="range" id="seeds" min="1" max="200" value="50"><span id="seeds-value"></span>
<label for="metric">plot</label><select id="metric"><option>p0</option><option>giniSimpson</option><option>disagreementSq</option><option>humanDrift</option><option>syntheticShare</option><option>poolEntropy</option></select><button id="reseed">reseed</button>
</div>
<p id="progress"></p><div id="error"></div><div id="plot"></div>
<script type="module" src="./ecosystem.js"></script>
</body></html>
`;

/** The playground's files by name (index.html, main.js, worker.js, and the ecosystem view: ecosystem.html, ecosystem.js). */
export async function buildPlayground(): Promise<Record<string, string>> {
  const result = await build({
    entryPoints: { main: join(HERE, 'main.ts'), worker: join(HERE, 'worker-entry.ts'), ecosystem: join(HERE, 'ecosystem-main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: 'out',
    logLevel: 'silent',
  });
  const files: Record<string, string> = { 'index.html': PAGE, 'ecosystem.html': ECOSYSTEM_PAGE };
  for (const f of result.outputFiles) files[f.path.split(/[\\/]/).pop()!] = f.text;
  return files;
}

/** Writes the built playground into `dir`. */
async function writePlayground(dir: string): Promise<string[]> {
  const files = await buildPlayground();
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return Object.keys(files).map((n) => join(dir, n));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? 'dist/playground';
  for (const f of await writePlayground(out)) process.stdout.write(f + '\n');
}
