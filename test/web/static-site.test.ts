/**
 * The site as the local runtime serves it: built from `web/src` on first request, every page with the
 * security headers (a CSP without inline scripts, nosniff, frame denial, HSTS), revalidated by ETag,
 * local sign-in configured, and the API and token handlers still in front of it. And the JavaScript
 * the browser downloads stays within 150 KiB gzip.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import { buildWeb } from '../../web/build.ts';

const budgetBytes = 150 * 1024;

describe('the JavaScript shipped to the browser', () => {
  it('is at most 150 KiB gzip in all', async () => {
    const files = await buildWeb();
    const scripts = [...files].filter(([name]) => name.endsWith('.js'));
    expect(scripts.map(([name]) => name)).toEqual(['app.js']);
    const gzipped = scripts.reduce((sum, [, content]) => sum + gzipSync(content, { level: 9 }).length, 0);
    console.log(`web: ${scripts.length} script(s), ${(gzipped / 1024).toFixed(1)} KiB gzip`);
    expect(gzipped).toBeLessThanOrEqual(budgetBytes);
  });

  it('is loaded from a file: index.html has no inline script or style', async () => {
    const html = Buffer.from((await buildWeb()).get('index.html') ?? []).toString('utf8');
    expect(html).toMatch(/<script type="module" src="\/app.js"><\/script>/);
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

  it('serves the page, the script, the stylesheet and the icon with the security headers', async () => {
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/index.html', 'text/html'],
      ['/app.js', 'text/javascript'],
      ['/app.css', 'text/css'],
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

  it('says sign-in is through the local provider', async () => {
    const response = await get('/config.json');
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ mode: 'oidc', clientId: 'campaign-portal' });
  });

  it('answers a matching ETag with 304 and HEAD without a body', async () => {
    const first = await get('/app.js');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await get('/app.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-frame-options')).toBe('DENY');
    const head = await fetch(`${harness.url}/app.js`, { method: 'HEAD' });
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
