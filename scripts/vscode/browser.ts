/**
 * Headless Debian Chromium driven by the project's playwright-core (never `npx playwright install`: it downloads a
 * browser, which these machines cannot).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { onCleanup } from './cleanup';
import type { ProgressLog } from './progress';
import type { VsCodeRuntime } from './runtime';

/** Flags that work on these machines (runtime.md). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(runtime: VsCodeRuntime, log: ProgressLog): Promise<Browser> {
  // Chromium writes ~/.pki (NSS) and ~/.config/chromium crash data under HOME: give it a throwaway one.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'slashid-chromium-home-'));
  const browser = await chromium.launch({
    executablePath: runtime.chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    // Our own SIGINT/SIGTERM handling closes the browser together with everything else (cleanup.ts).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onCleanup('chromium', async () => {
    await browser.close();
    fs.rmSync(home, { recursive: true, force: true });
  });
  log(`chromium ${browser.version()} (${runtime.chromiumPath})`);
  return browser;
}
