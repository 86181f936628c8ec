import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';

/*
 * The sign-in page and the Origin check in a real browser (the machine's headless Chromium, driven by
 * playwright-core): the page's own style passes its CSP, the page works with the keyboard alone, and
 * a page of another site cannot make the emulator do anything.
 */

const CHROMIUM = '/usr/bin/chromium';
const ORG = '0b000000-0000-4000-8000-000000000001';
const ALICE = '0b000000-0000-4000-8000-0000000000a1';
const BOB = '0b000000-0000-4000-8000-0000000000b0';
const CLIENT = '0b000000-0000-4000-8000-0000000000c1';
const SEED: EmulatorSeed = {
  orgs: [{ id: ORG, api_key: 'browser-test-key' }],
  persons: [
    { person_id: ALICE, org_id: ORG, handles: [{ type: 'email_address', value: 'alice@example.com' }] },
    { person_id: BOB, org_id: ORG, handles: [{ type: 'email_address', value: 'bob@example.com' }] },
  ],
  clients: [
    {
      client_id: CLIENT,
      client_secret: 'browser-secret',
      client_name: 'Browser app',
      grant_types: ['authorization_code'],
      scopes: ['openid'],
      redirect_uris: ['http://127.0.0.1/cb'],
    },
  ],
};

describe('emulator sign-in page in a real browser', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  let home: string;
  const callbacks: string[] = [];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: npm test installs it first (node out/scripts/install-runtime.js)`);
    emu = await startEmulator({ seed: SEED });
    // The client's callback, and "another site" for the Origin check.
    site = createServer((req, res) => {
      if (req.url?.startsWith('/cb')) callbacks.push(req.url);
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>other site</title><p>ok</p>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'slashid-emu-chromium-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    });
  });
  after(async () => {
    await browser?.close();
    await emu?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('signs in with the keyboard alone, with no CSP violation, and redirects with a code', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: `${siteUrl}/cb`,
      scope: 'openid',
      state: 'browser-state',
      nonce: 'browser-nonce',
    });
    await page.goto(`${emu.url}/oauth2/authorize?${query.toString()}`);
    assert.equal(await page.title(), 'Sign in to Browser app — SlashID emulator');
    // The inline style applied (its hash is in the CSP): the person links are blocks with a border.
    const display = await page.evaluate<string>("getComputedStyle(document.querySelector('a.person')).display");
    assert.equal(display, 'block');
    // Tab to Bob (the second link), Enter.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.match(await page.evaluate<string>("document.activeElement?.textContent ?? ''"), /bob@example\.com/);
    await Promise.all([page.waitForURL(`${siteUrl}/cb?**`), page.keyboard.press('Enter')]);
    const landed = new URL(page.url());
    assert.ok(landed.searchParams.get('code'));
    assert.equal(landed.searchParams.get('state'), 'browser-state');
    assert.equal(landed.searchParams.get('iss'), emu.url);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("refuses what another site's page sends it (no SSO login is created)", async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl}/`);
    const before = emu.requests.length;
    await page.evaluate(async (target) => {
      await fetch(`${target}/__emulator/sso-logins`, {
        method: 'POST',
        mode: 'no-cors',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ org_id: 'x', person_id: 'y', provider: 'google' }),
      }).catch(() => undefined);
    }, emu.url);
    const seen = emu.requests.slice(before).filter((r) => r.route === 'POST /__emulator/sso-logins');
    assert.deepEqual(
      seen.map((r) => r.status),
      [403],
    );
    await page.close();
  });
});
