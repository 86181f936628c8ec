/**
 * The authorization-code flow in the real workbench: the command opens the emulator's sign-in page in a new
 * browser tab, the test picks a person there, the browser comes back to the loopback listener, and the token
 * panel shows the ID token "Valid" with its nonce checked. The screenshot of the panel is the README's.
 */
import * as assert from 'node:assert/strict';
import type { Emulator } from '../../emulator/index';
import {
  answerQuickInput,
  openActivityBarView,
  pickQuickPickItem,
  runCommand,
  screenshot,
  sideBarRow,
  waitForNotification,
} from './workbench';
import { e2eSession, openWorkbenchOn, useDemoEmulator } from './session';

/** A public client with a loopback redirect URI, created through the API as a developer would. */
async function createLoopbackClient(emulator: Emulator, name = 'Loopback SPA'): Promise<string> {
  const response = await fetch(`${emulator.url}/oauth2/clients`, {
    method: 'POST',
    headers: { 'SlashID-OrgID': emulator.demo!.orgId, 'SlashID-API-Key': emulator.demo!.apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: name,
      grant_types: ['authorization_code'],
      scopes: ['openid', 'profile'],
      public: true,
      redirect_uris: ['http://127.0.0.1/callback'],
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { result: { client_id: string } }).result.client_id;
}

describe('authorization-code flow (UI)', () => {
  const demoEmulator = useDemoEmulator();

  it('opens the sign-in page in a new tab, signs a person in, and shows the ID token valid with its nonce checked', async () => {
    await createLoopbackClient(demoEmulator());
    const { page, context } = await openWorkbenchOn(demoEmulator());
    await openActivityBarView(page, 'SlashID');
    const org = sideBarRow(page, 'Local emulator (demo)');
    await org.waitFor();
    await org.click();
    await sideBarRow(page, 'Loopback SPA').waitFor();

    await runCommand(page, 'SlashID: Run Authorization Code Flow');
    // The demo org has a sub-organization: the command asks which organization first.
    const orgPick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Local emulator (demo)' }).first();
    const clientPick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Loopback SPA' }).first();
    await Promise.race([orgPick.waitFor(), clientPick.waitFor()]);
    if (await orgPick.isVisible()) await orgPick.click();
    await pickQuickPickItem(page, 'Loopback SPA');
    // Scopes: every one is picked to begin with.
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'openid' }).first().waitFor();
    await page.keyboard.press('Enter');
    const signInTab = context.waitForEvent('page');
    await answerQuickInput(page, ''); // no login hint: choose the person in the browser
    const tab = await signInTab;
    await tab.waitForLoadState();
    const opened = new URL(tab.url());
    assert.match(opened.pathname, /\/oauth2\/authorize$/);
    assert.equal(opened.searchParams.get('code_challenge_method'), 'S256');
    // code-server opens the loopback emulator through its port proxy, as asExternalUri resolves it; the
    // emulator serves its sign-in page there because it was told code-server's address.
    assert.equal(opened.host, new URL(e2eSession().server.url).host);
    assert.equal(opened.pathname, `/proxy/${demoEmulator().port}/oauth2/authorize`);
    await tab.getByRole('heading', { name: 'Sign in to Loopback SPA' }).waitFor();
    await screenshot(tab, e2eSession().screenshotsDir, 'code-flow-sign-in-page');
    await tab.getByRole('link', { name: /alice@example\.com/ }).click();
    await tab.getByRole('heading', { name: 'Sign-in finished' }).waitFor();
    assert.doesNotMatch(await tab.content(), /code=/, 'the page shows the code');
    await tab.close();

    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.getByRole('heading', { name: 'Sign-in to Loopback SPA' }).waitFor({ timeout: 30_000 });
    const idCard = frame.locator('article.token-card[data-token-id$="-id"]');
    await idCard.waitFor({ timeout: 30_000 });
    assert.equal(await idCard.locator('h2').innerText(), 'ID token');
    assert.equal(await idCard.locator('.verdict').getAttribute('data-verdict'), 'valid');
    assert.match(await idCard.locator('.verdict-message').innerText(), /the nonce and the at_hash match this sign-in/);
    assert.match(await idCard.locator('dl.facts').innerText(), /Nonce\s+checked/);
    // Masked until revealed.
    assert.match(await idCard.locator('code.raw-token').innerText(), /••••••••/);
    await idCard.scrollIntoViewIfNeeded();
    await screenshot(page, e2eSession().screenshotsDir, 'code-flow-token-panel');
  });

  it('a browser that cannot reach VS Code: the address it ended on, pasted from the keyboard, finishes the sign-in', async () => {
    await createLoopbackClient(demoEmulator(), 'Remote Tab SPA');
    const { page, context } = await openWorkbenchOn(demoEmulator());
    // As a browser on another machine (a web-based remote): the redirect to the loopback listener never loads.
    let ended: string | undefined;
    // (Playwright routes only the first request of a redirect chain: the authorization request's answer is
    // read here, and its redirect to the listener is replaced by the error page such a browser shows.)
    await context.route(/\/oauth2\/authorize\?/, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers()['location'];
      if (location && /^http:\/\/127\.0\.0\.1:\d+\/callback\?/.test(location)) {
        ended = location;
        await route.fulfill({ status: 502, contentType: 'text/plain', body: 'This site can not be reached.' });
      } else {
        await route.fulfill({ response });
      }
    });
    await openActivityBarView(page, 'SlashID');
    const org = sideBarRow(page, 'Local emulator (demo)');
    await org.waitFor();
    await org.click();
    await sideBarRow(page, 'Remote Tab SPA').waitFor();

    await runCommand(page, 'SlashID: Run Authorization Code Flow');
    const orgPick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Local emulator (demo)' }).first();
    const clientPick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Remote Tab SPA' }).first();
    await Promise.race([orgPick.waitFor(), clientPick.waitFor()]);
    if (await orgPick.isVisible()) await orgPick.click();
    await pickQuickPickItem(page, 'Remote Tab SPA');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'openid' }).first().waitFor();
    await page.keyboard.press('Enter');
    const signInTab = context.waitForEvent('page');
    await answerQuickInput(page, 'alice@example.com'); // a plain email address: signs Alice in at once
    await signInTab;
    const started = Date.now();
    while (!ended && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(ended, 'the browser was never sent back to the loopback redirect URI');
    // The waiting notification says how the answer comes back and what to do when it cannot.
    await waitForNotification(page, /loopback port[\s\S]*paste the address it ended on/);

    // From the keyboard: the palette command, then the address typed into its box.
    await page.keyboard.press('Escape');
    await runCommand(page, 'SlashID: Paste Address from Browser…');
    const forged = new URL(ended);
    forged.searchParams.set('state', 'forged');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(forged.toString());
    const refusal = page.locator('.quick-input-widget .quick-input-message', { hasText: /answers another sign-in/ });
    await refusal.waitFor();
    assert.ok(!(await refusal.innerText()).includes(forged.searchParams.get('code')!), 'the message quotes the code');
    await answerQuickInput(page, ended);

    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.getByRole('heading', { name: 'Sign-in to Remote Tab SPA' }).waitFor({ timeout: 30_000 });
    const idCard = frame.locator('article.token-card[data-token-id$="-id"]');
    await idCard.waitFor({ timeout: 30_000 });
    assert.equal(await idCard.locator('.verdict').getAttribute('data-verdict'), 'valid');
  });
});
