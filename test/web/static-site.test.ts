/**
 * The site as the local runtime serves it: built from `web/src` on first request, every page with the
 * security headers (a CSP without inline scripts, nosniff, frame denial, HSTS), compressed as the
 * browser accepts it, the hash-named script and stylesheet cached as immutable and the rest
 * revalidated by ETag, local sign-in configured, and the API and token handlers still in front of it.
 * And the JavaScript the browser downloads stays within 150 KiB gzip.
 */
import { once } from 'node:events';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import { buildWeb } from '../../web/build.ts';

const budgetBytes = 150 * 1024;

describe('the JavaScript shipped to the browser', () => {
  it('is at most 150 KiB gzip in all', async () => {
    const files = await buildWeb();
    const scripts = [...files].filter(([name]) => name.endsWith('.js'));
    expect(scripts.map(([name]) => name)).toEqual([expect.stringMatching(/^assets\/app\.[A-Z0-9]{8}\.js$/)]);
    const gzipped = scripts.reduce((sum, [, file]) => sum + gzipSync(file.content, { level: 9 }).length, 0);
    console.log(`web: ${scripts.length} script(s), ${(gzipped / 1024).toFixed(1)} KiB gzip`);
    expect(gzipped).toBeLessThanOrEqual(budgetBytes);
  });

  it('is loaded from a file named by its hash: index.html has no inline script or style', async () => {
    const files = await buildWeb();
    const html = Buffer.from(files.get('index.html')?.content ?? []).toString('utf8');
    const script = /<script type="module" src="\/(assets\/app\.[A-Z0-9]+\.js)"><\/script>/.exec(html)?.[1];
    expect(files.get(script ?? '')?.immutable).toBe(true);
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/app\.[A-Z0-9]+\.css">/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });
});

describe('the local static handler', () => {
  let harness: TestRuntime;
  beforeAll(async () => {
    harness = await startTestRuntime();
  });
  afterAll(() => harness.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${harness.url}${path}`, { headers });

  /** The bytes as sent (fetch would decode them), with the headers. */
  const raw = async (path: string, headers: Record<string, string>) => {
    const [response] = (await once(httpGet(`${harness.url}${path}`, { headers }), 'response')) as [
      IncomingMessage,
    ];
    return { headers: response.headers, body: Buffer.concat(await response.toArray()) };
  };

  /** The script's and the stylesheet's paths, as index.html names them. */
  const assetPaths = async () => {
    const html = await (await get('/')).text();
    const script = /src="(\/assets\/app\.[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/app\.[A-Z0-9]+\.css)"/.exec(html)?.[1];
    if (!script || !style) throw new Error(`index.html names no hashed script or stylesheet: ${html}`);
    return { script, style };
  };

  it('serves the page, the script, the stylesheet and the icon with the security headers', async () => {
    const { script, style } = await assetPaths();
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/index.html', 'text/html'],
      [script, 'text/javascript'],
      [style, 'text/css'],
      ['/favicon.svg', 'image/svg+xml'],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain(type);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('strict-transport-security'), path).toMatch(
        /^max-age=\d{8,}; includeSubDomains$/,
      );
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('no longer serves the script and stylesheet under names without a hash', async () => {
    expect((await harness.request('GET', '/app.js')).status).toBe(404);
    expect((await harness.request('GET', '/app.css')).status).toBe(404);
  });

  it('says sign-in is through the local provider', async () => {
    const response = await get('/config.json');
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toMatchObject({ mode: 'oidc', clientId: 'campaign-portal' });
  });

  it('sends brotli when accepted, else gzip, else the plain bytes, all decoding to the same file', async () => {
    const { script } = await assetPaths();
    const plain = await raw(script, { 'accept-encoding': 'identity' });
    const brotli = await raw(script, { 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await raw(script, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(brotli.body.length).toBeLessThan(plain.body.length / 3);
    for (const response of [plain, brotli, gzip]) {
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
    }
    // Each encoding is a representation of its own, with its own tag.
    expect(new Set([plain, brotli, gzip].map((response) => response.headers.etag)).size).toBe(3);
  });

  it('caches the hash-named files for a year as immutable and has index.html and the icon revalidated', async () => {
    const { script, style } = await assetPaths();
    for (const path of [script, style]) {
      expect((await get(path)).headers.get('cache-control'), path).toBe(
        'public, max-age=31536000, immutable',
      );
    }
    for (const path of ['/', '/index.html', '/favicon.svg']) {
      expect((await get(path)).headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('answers a matching ETag with 304 and HEAD without a body', async () => {
    const first = await get('/', { 'accept-encoding': 'br' });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-frame-options')).toBe('DENY');
    const head = await fetch(`${harness.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('leaves the API, the token issuer and unknown paths to their handlers', async () => {
    expect((await harness.request('GET', '/api/health')).body).toMatchObject({ status: 'ok' });
    expect((await harness.request('POST', '/local/token', { body: { role: 'campaign-admin' } })).status).toBe(
      200,
    );
    const missing = await harness.request('GET', '/secrets.json');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await harness.request('POST', '/')).status).toBe(404);
    expect((await harness.request('GET', '/../package.json')).status).toBe(404);
  });
});
