// Serves the playground at /playground/, bundled once in memory on the first request.
import type { Context, Hono } from 'hono';
import { buildPlayground } from './playground/build.ts';

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/** Adds /playground/ (index.html, main.js, worker.js) to `app`. */
export function playgroundRoutes(app: Hono): void {
  let files: Promise<Record<string, string>> | undefined;
  const send = async (c: Context, name: string): Promise<Response> => {
    const text = (await (files ??= buildPlayground()))[name];
    if (text === undefined) return c.text(`no playground file '${name}'\n`, 404);
    return c.body(text, 200, { 'content-type': TYPES[name.split('.').pop()!] ?? 'text/plain' });
  };
  app.get('/playground', (c) => c.redirect('/playground/'));
  app.get('/playground/', (c) => send(c, 'index.html'));
  app.get('/playground/:file', (c) => send(c, c.req.param('file')));
}
