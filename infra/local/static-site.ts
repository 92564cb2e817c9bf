/**
 * The web portal in the local runtime: `web/` built in memory by esbuild on the first page request
 * (so it is never stale and needs no build step), served with the security headers and the caching
 * CloudFront gives it on AWS, and `/config.json` saying how to sign in. Anything else is left to the
 * next handler.
 *
 * As CloudFront does, text of 1,000 bytes or more is sent compressed when the browser accepts it
 * (brotli before gzip, each compressed once per build), the hash-named script and stylesheet are
 * cached for a year as immutable, and index.html, the icon and the config are revalidated (`no-cache`,
 * ETag).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { acceptsEncoding } from '#infra/local/content-encoding';
import {
  buildWeb,
  immutableCacheControl,
  revalidatedCacheControl,
  type Site,
  type SiteFile,
} from '../../web/build.ts';
import { type CspOptions, securityHeaders } from '../../web/security-headers.ts';

type Encoding = 'br' | 'gzip' | 'identity';

/** One way of sending a file: its bytes in one encoding, and their tag. */
interface Representation {
  body: Buffer;
  etag: string;
}

interface Served {
  type: string;
  cacheControl: string;
  /** `identity` always; `br` and `gzip` for text large enough to gain from them. */
  encodings: Partial<Record<Encoding, Representation>> & { identity: Representation };
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
  build?: () => Promise<Site>;
}

/** CloudFront compresses objects from 1,000 bytes on; smaller ones gain nothing. */
const compressFromBytes = 1_000;
const compressible = /^(text\/|application\/json|image\/svg\+xml)/;

const representation = (body: Buffer, encoding: Encoding): Representation => ({
  body,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}${encoding === 'identity' ? '' : `-${encoding}`}"`,
});

const served = (file: Pick<SiteFile, 'content' | 'type' | 'immutable'>): Served => {
  const body = Buffer.from(file.content);
  const encodings: Served['encodings'] = { identity: representation(body, 'identity') };
  if (body.length >= compressFromBytes && compressible.test(file.type)) {
    encodings.br = representation(
      brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      'br',
    );
    encodings.gzip = representation(gzipSync(body, { level: 9 }), 'gzip');
  }
  return {
    type: file.type,
    cacheControl: file.immutable ? immutableCacheControl : revalidatedCacheControl,
    encodings,
  };
};

/** The best encoding `Accept-Encoding` allows, brotli first as browsers and CloudFront prefer. */
const negotiate = (accepted: string | undefined, offered: Served['encodings']): Encoding => {
  if (offered.br && acceptsEncoding(accepted, 'br')) return 'br';
  if (offered.gzip && acceptsEncoding(accepted, 'gzip')) return 'gzip';
  return 'identity';
};

/** Returns a handler that answers page requests and returns false for everything else. */
export const localStaticSite = (options: StaticSiteOptions = {}) => {
  let files: Promise<Map<string, Served>> | undefined;
  const load = () => {
    files ??= (options.build ?? buildWeb)().then((built) => {
      const map = new Map<string, Served>();
      for (const [name, file] of built) map.set(`/${name}`, served(file));
      const index = map.get('/index.html');
      if (index) map.set('/', index);
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
    return served({
      content: Buffer.from(JSON.stringify(config ?? { mode: 'local' })),
      type: 'application/json; charset=utf-8',
      immutable: false,
    });
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = path === '/config.json' ? configFile(req) : (await load()).get(path);
    if (!file) return false;
    const encoding = negotiate(req.headers['accept-encoding'], file.encodings);
    const sent = file.encodings[encoding] ?? file.encodings.identity;
    const common = {
      ...headers,
      'cache-control': file.cacheControl,
      etag: sent.etag,
      ...(Object.keys(file.encodings).length > 1 ? { vary: 'Accept-Encoding' } : {}),
    };
    if (req.headers['if-none-match'] === sent.etag) {
      res.writeHead(304, common);
      res.end();
      return true;
    }
    res.writeHead(200, {
      ...common,
      'content-type': file.type,
      'content-length': sent.body.length,
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
    });
    res.end(req.method === 'HEAD' ? undefined : sent.body);
    return true;
  };
};
