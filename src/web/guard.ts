// Who may talk to the dashboard, checked before any handler: the Host header must name this
// server (a page elsewhere cannot reach it by DNS rebinding), a server reachable from the
// network asks for its token on every request, a JSON POST from another site's page is
// refused, and a body larger than the limit is refused while it streams in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';

/** The names of this machine's loopback interface, which a server bound to loopback answers to. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export interface GuardOptions {
  /** Host names requests may address (the Host header, port aside); omit to accept any. */
  readonly hosts?: readonly string[];
  /** When set, every request must carry it (?token=, the cookie it sets, or Authorization: Bearer). */
  readonly token?: string;
  /** Largest request body, in bytes. */
  readonly maxBodyBytes: number;
}

const COOKIE = 'ouro_token';

/** Adds the guards to `app`, before its routes. */
export function guard(app: Hono, o: GuardOptions): void {
  app.use(hostCheck(o.hosts));
  if (o.token !== undefined) app.use(tokenCheck(o.token));
  app.use(originCheck);
  app.use(bodyLimit({ maxSize: o.maxBodyBytes, onError: (c) => c.json({ error: `request body over ${o.maxBodyBytes} bytes; a config is a few kilobytes` }, 413) }));
}

function hostCheck(hosts: readonly string[] | undefined): MiddlewareHandler {
  return async (c, next) => {
    const host = new URL(c.req.url).hostname; // from the Host header
    if (hosts && !hosts.includes(host.toLowerCase())) return c.text(`host '${host}' is not served here; use ${hosts[0]} (or start ouro serve with --allow-host ${host})\n`, 403);
    return next();
  };
}

function tokenCheck(token: string): MiddlewareHandler {
  const want = digest(token);
  const ok = (t: string | undefined): boolean => t !== undefined && timingSafeEqual(digest(t), want);
  return async (c, next) => {
    const query = c.req.query('token');
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (ok(query)) setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' }); // links and live updates carry it from now on
    else if (!ok(bearer) && !ok(getCookie(c, COOKIE))) return c.text('this dashboard is reachable from the network and asks for its token: open the URL `ouro serve` printed (…/?token=…)\n', 401);
    return next();
  };
}

/** A request that changes something (POST) from a page of another origin is refused; browsers send Origin on every such request. */
const originCheck: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const origin = c.req.header('origin');
  const own = new URL(c.req.url).origin;
  if ((origin !== undefined && origin !== own) || c.req.header('sec-fetch-site') === 'cross-site') return c.json({ error: `requests from ${origin ?? 'another site'} are refused; use the dashboard at ${own}` }, 403);
  return next();
};

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** A fresh random token (URL-safe). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether binding `host` keeps the server on this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The Host names a server bound to `bind` answers to: loopback names for a loopback bind;
 * otherwise the bound address (every interface address for 0.0.0.0 or ::), this machine's
 * host name, and the names the operator adds (--allow-host).
 */
export function hostsFor(bind: string, extra: readonly string[]): string[] {
  const literal = (a: string): string => (a.includes(':') ? `[${a}]` : a);
  const bare = bind.replace(/^\[|\]$/g, '');
  const wildcard = bare === '0.0.0.0' || bare === '::';
  const own = isLoopback(bind) ? [...LOOPBACK_HOSTS, literal(bare)] : wildcard ? [...LOOPBACK_HOSTS, ...interfaceAddresses().map(literal)] : [literal(bare)];
  return [...new Set([...own, ...(isLoopback(bind) ? [] : [hostname()]), ...extra].map((h) => h.toLowerCase()))];
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.replace(/%.*$/, '')));
}
