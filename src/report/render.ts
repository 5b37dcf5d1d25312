// Vega-Lite → Vega → SVG on the server (vega's headless renderer), and SVG → PNG with resvg
// using the DejaVu Sans shipped in assets/fonts, so a PNG is the same on every machine (no
// system fonts are loaded). Vega measures text without a canvas by a per-character
// estimate, which is what makes the SVG itself independent of installed fonts.
import { Resvg } from '@resvg/resvg-js';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PACKAGE_ROOT } from '../runner/entry-points.ts';
import type { VlSpec } from './specs.ts';

/** The font every plot uses, shipped with the repository (Bitstream Vera / DejaVu licence). */
const FONT_FILE = join(PACKAGE_ROOT, 'assets', 'fonts', 'DejaVuSans.ttf');

/** The SVG text of a Vega-Lite spec. */
export async function toSvg(spec: VlSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A PNG of an SVG at `scale` × its size, with the shipped font only. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
