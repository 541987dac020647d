// Headless Debian Chromium for the browser tests, through playwright-core (which never downloads a
// browser of its own); the tests skip, with a message, where /usr/bin/chromium is missing.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    // No background traffic: this machine's network is closed and Chromium would keep trying.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
