// Debian's Chromium, headless, for the end-to-end tests. As root it needs --no-sandbox; the
// networking flags keep it from calling out (the machine has no network but the loopback).
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { Core } from '../../main/core/app/core.js';
import { startWebHost, type WebHost } from '../../main/core/web/host.js';
import { REPO_ROOT } from './fixtures.js';

export const CHROMIUM = process.env.EOFFICE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The built renderer the web host serves (npm run build). */
export const RENDERER = path.join(REPO_ROOT, 'dist/renderer');

/**
 * The app as a clerk's browser reaches it: the core behind the loopback web host, and Chromium
 * launched when the test is ready for it. When the test ends the browser, the host and the core
 * are closed in that order, then whatever else the test opened (`closeAlso`: an axis, a token).
 */
export async function serveApp(t: TestContext, core: Core, closeAlso: () => unknown = () => undefined): Promise<{ host: WebHost; launchBrowser: () => Promise<Browser> }> {
  const host = await startWebHost({ handlers: core.handlers, events: core.events, staticDir: RENDERER, maxBodyBytes: () => 200 * 1048576 });
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await host.close();
    core.close();
    await closeAlso();
  });
  return { host, launchBrowser: async () => (browser = await launchChromium()) };
}

