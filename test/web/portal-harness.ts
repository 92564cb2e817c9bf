/**
 * The portal under test, for a browser test's `describe`: the local runtime and headless Chromium,
 * started before its tests and stopped after them, and the people who open the portal, each in a
 * browser context of their own that is closed with the rest.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { LocalRuntimeOptions } from '#infra/local/runtime';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import { launchBrowser, type WatchedPage, watchedPage } from '#test/web/browser';

export interface Viewport {
  width: number;
  height: number;
}

export const desk: Viewport = { width: 1280, height: 900 };
export const phone: Viewport = { width: 360, height: 780 };

export interface PortalOptions {
  /** How the runtime starts (say, without development tokens, or with its log captured). */
  runtime?: Partial<LocalRuntimeOptions>;
  /** The browser's language of every person who does not name one. */
  locale?: string;
  /** The screen of every person who does not name one (a desk unless said). */
  viewport?: Viewport;
}

export interface Portal {
  /** The local runtime the portal runs on, with its API clients. */
  readonly harness: TestRuntime;
  /** Where the portal is served: the runtime's URL. */
  readonly base: string;
  /** Someone opening the portal in a browser of their own, with its problems recorded. */
  person(options?: { viewport?: Viewport; locale?: string }): Promise<WatchedPage>;
}

/**
 * Call in a `describe`: starts the runtime and Chromium before its tests (together: each takes a while)
 * and closes every person's context, the browser and the runtime after them.
 */
export const usePortal = (options: PortalOptions = {}): Portal => {
  let harness: TestRuntime | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The portal starts in beforeAll: use it inside a test or hook');
    return value;
  };

  beforeAll(async () => {
    [harness, browser] = await Promise.all([startTestRuntime(options.runtime), launchBrowser()]);
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await harness?.stop();
  });

  return {
    get harness() {
      return started(harness);
    },
    get base() {
      return started(harness).url;
    },
    async person({ viewport = options.viewport ?? desk, locale = options.locale ?? 'en-US' } = {}) {
      const context = await started(browser).newContext({ viewport, locale });
      contexts.push(context);
      return watchedPage(context);
    },
  };
};
