/**
 * The web portal in the local runtime: `web/` built in memory by esbuild on the first page request
 * (so it is never stale and needs no build step), served with the security headers CloudFront sends
 * on AWS, and `/config.json` saying how to sign in. Anything else is left to the next handler.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildWeb, type SiteFileName, siteFiles } from '../../web/build.ts';
import { type CspOptions, securityHeaders } from '../../web/security-headers.ts';

interface Served {
  body: Buffer;
  type: string;
  etag: string;
}

export interface StaticSiteOptions {
  /**
   * What `/config.json` says; local sign-in by default. A function answers per request (the local
   * provider's redirect URI is the origin the browser used).
   */
  config?: Record<string, unknown> | ((req: IncomingMessage) => Record<string, unknown>);
  /** Extra CSP sources, e.g. a Cognito domain the browser exchanges codes with. */
  csp?: CspOptions;
  /** For tests: a different build. */
  build?: () => Promise<Map<SiteFileName, Uint8Array>>;
}

const routes: Record<string, SiteFileName | 'config.json'> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
  '/favicon.svg': 'favicon.svg',
  '/config.json': 'config.json',
};

const served = (body: Buffer, type: string): Served => ({
  body,
  type,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
});

/** Returns a handler that answers page requests and returns false for everything else. */
export const localStaticSite = (options: StaticSiteOptions = {}) => {
  let files: Promise<Map<string, Served>> | undefined;
  const load = () => {
    files ??= (options.build ?? buildWeb)().then((built) => {
      const map = new Map<string, Served>();
      for (const [name, content] of built) map.set(name, served(Buffer.from(content), siteFiles[name]));
      return map;
    });
    // A failed build is retried on the next request (after the source is fixed).
    files.catch(() => {
      files = undefined;
    });
    return files;
  };
  const headers = securityHeaders(options.csp);
  const configFile = (req: IncomingMessage) => {
    const config = typeof options.config === 'function' ? options.config(req) : options.config;
    return served(
      Buffer.from(JSON.stringify(config ?? { mode: 'local' })),
      'application/json; charset=utf-8',
    );
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const name = routes[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (!name) return false;
    const file = name === 'config.json' ? configFile(req) : (await load()).get(name);
    if (!file) return false;
    const common = { ...headers, 'cache-control': 'no-cache', etag: file.etag };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, common);
      res.end();
      return true;
    }
    res.writeHead(200, { ...common, 'content-type': file.type, 'content-length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
};
