/**
 * The token minter and the token hover in the real workbench, the way a person uses them: open the minter from
 * the palette, pick a client and a person, type custom claims with a reserved name (the problem is listed and Mint
 * is disabled), fix them, mint, read the decoded payload and the "valid" verdict; then hover over a token in an
 * editor. Screenshots of each step go to test-results/screenshots/.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { Emulator } from '../../emulator/index';
import { openActivityBarView, pickQuickPickItem, runCommand, screenshot, sideBarRow, waitForNotification } from './workbench';
import { e2eSession, openWorkbenchOn, useDemoEmulator } from './session';

const PARTNER_PORTAL = '8c5e1a93-7f4b-4d26-a0e9-5b3c7d8f1e24';
const ALICE = '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31';

/** The minter's document inside VS Code's two webview iframes. */
function minterFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function connectDemoOrg(page: Page): Promise<void> {
  await openActivityBarView(page, 'SlashID');
  const org = sideBarRow(page, 'Local emulator (demo)');
  await org.waitFor();
  await org.click(); // loads the clients (and sub-organizations) into the tree
  await sideBarRow(page, 'Partner Portal').waitFor();
}

async function mintDirectly(emulator: Emulator): Promise<string> {
  const response = await fetch(`${emulator.url}/oauth2/tokens/mint`, {
    method: 'POST',
    headers: { 'SlashID-OrgID': emulator.demo!.orgId, 'SlashID-API-Key': emulator.demo!.apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ person_id: ALICE, client_id: PARTNER_PORTAL, scopes: [], custom_claims: { team: 'blue' } }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { result: { access_token: string } }).result.access_token;
}

/** In the minter form: the client, then Alice found by her email address, as a person picks them. */
async function pickClientAndAlice(frame: FrameLocator, clientId: string): Promise<void> {
  const client = frame.getByLabel('OAuth2 client');
  await client.locator(`option[value="${clientId}"]`).waitFor({ state: 'attached' });
  await client.selectOption(clientId);
  await frame.getByLabel('Person', { exact: true }).fill('alice@example.com');
  const results = frame.getByLabel('Matching persons');
  await results.locator(`option[value="${ALICE}"]`).waitFor({ state: 'attached' });
  await results.selectOption(ALICE);
}

/** A new untitled editor holding `text` (caret at its end). Returns the editor. */
async function openUntitledEditor(page: Page, text: string): Promise<Locator> {
  // "File: Compare New Untitled Text Files" ranks first for that title: pick the row itself.
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible' });
  await page.keyboard.type('New Untitled Text File');
  await pickQuickPickItem(page, /^File: New Untitled Text File/);
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.insertText(text);
  return editor;
}

describe('token minter (UI)', () => {
  const demoEmulator = useDemoEmulator();

  it('blocks a reserved claim, then mints and shows the decoded payload with the "valid" verdict', async () => {
    const { page } = await openWorkbenchOn(demoEmulator());
    await connectDemoOrg(page);

    await runCommand(page, 'SlashID: Open Token Minter');
    const frame = minterFrame(page);
    await frame.getByRole('heading', { name: 'Token Minter' }).waitFor();

    await pickClientAndAlice(frame, PARTNER_PORTAL);
    await frame.getByText(`Selected person: ${ALICE}`).waitFor();

    const claims = frame.getByLabel('Custom claims (JSON object)');
    const mint = frame.getByRole('button', { name: 'Mint tokens' });
    await claims.fill('{\n  "foo": "bar",\n  "exp": 1\n}');
    const problem = frame.locator('#claims-problems button.problem');
    await problem.filter({ hasText: '"exp" is a reserved claim' }).waitFor();
    assert.match(await problem.first().innerText(), /^Line 3, column 3: /);
    assert.equal(await mint.isDisabled(), true, 'Mint is enabled with a reserved claim');
    await problem.first().click(); // puts the caret on the claim
    assert.equal(
      await claims.evaluate((el) => (el as unknown as { selectionStart: number }).selectionStart),
      '{\n  "foo": "bar",\n  '.length,
    );
    await screenshot(page, e2eSession().screenshotsDir, 'minter-reserved-claim-blocks-mint');

    await claims.fill('{\n  "foo": "bar",\n  "baz": {"everything": 42}\n}');
    await frame.getByText('The custom claims are valid.').waitFor();
    assert.equal(await mint.isDisabled(), false, 'Mint stays disabled with valid claims');
    await mint.click();

    const card = frame.locator('article.token-card').first();
    await card.waitFor();
    await card.locator('[data-verdict="valid"]').waitFor();
    const payload = await card.locator('pre.payload').innerText();
    assert.match(payload, /"foo": "bar"/);
    assert.match(payload, /"authenticated_methods": \[\s*"api"\s*\]/);
    assert.match(payload, new RegExp(`"iss": "${demoEmulator().url.replace(/[.]/g, '\\.')}"`));
    assert.equal(await card.locator('mark.custom-claim').count(), 2);
    assert.match(await card.locator('code.raw-token').innerText(), /••••/);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, e2eSession().screenshotsDir, 'minter-minted-valid-token');
  });

  it('with auto-refresh on, refreshes the minted tokens before the access token expires, below the old ones', async () => {
    // A public client (refreshing needs no stored secret) whose access tokens live 8 s.
    const created = await fetch(`${demoEmulator().url}/oauth2/clients`, {
      method: 'POST',
      headers: {
        'SlashID-OrgID': demoEmulator().demo!.orgId,
        'SlashID-API-Key': demoEmulator().demo!.apiKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        client_name: 'Short-lived SPA',
        grant_types: ['authorization_code'],
        scopes: ['openid', 'offline_access'],
        public: true,
        redirect_uris: ['http://127.0.0.1/callback'],
        access_token_duration: 8,
      }),
    });
    assert.equal(created.status, 201);
    const clientId = ((await created.json()) as { result: { client_id: string } }).result.client_id;
    const { page } = await openWorkbenchOn(demoEmulator(), { 'slashid.tokenPanel.autoRefresh': true });
    await connectDemoOrg(page);
    await runCommand(page, 'SlashID: Open Token Minter');
    const frame = minterFrame(page);
    await pickClientAndAlice(frame, clientId);
    await frame.locator('input[type="checkbox"][value="openid"]').check();
    await frame.locator('input[type="checkbox"][value="offline_access"]').check();
    await frame.getByRole('button', { name: 'Mint tokens' }).click();
    await frame.locator('article.token-card h2', { hasText: /^Refresh token$/ }).waitFor();

    // Due 2 s before the 8 s access token expires.
    const heading = frame.getByRole('heading', { name: 'Refreshed before the access token expired' });
    await heading.waitFor({ timeout: 20_000 });
    const added = frame.locator('article.token-card h2', { hasText: /\(refreshed\)$/ });
    assert.deepEqual(await added.allInnerTexts(), ['Access token (refreshed)', 'ID token (refreshed)', 'Refresh token (refreshed)']);
    const used = frame.locator('article.token-card', { has: frame.locator('h2', { hasText: /^Refresh token$/ }) }).first();
    // The used refresh token is redrawn retired: SlashID rotated it, and it offers no Refresh any more.
    await used.locator('[data-verdict="inactive"]').waitFor();
    assert.equal(await used.getByRole('button', { name: 'Refresh' }).count(), 0);
    await heading.scrollIntoViewIfNeeded();
    await screenshot(page, e2eSession().screenshotsDir, 'minter-auto-refreshed');
  });

  it('restores the form (not the tokens) after the window reloads', async () => {
    const { page } = await openWorkbenchOn(demoEmulator());
    await connectDemoOrg(page);
    await runCommand(page, 'SlashID: Open Token Minter');
    let frame = minterFrame(page);
    const client = frame.getByLabel('OAuth2 client');
    await client.locator(`option[value="${PARTNER_PORTAL}"]`).waitFor({ state: 'attached' });
    await client.selectOption(PARTNER_PORTAL);
    await frame.getByLabel('Custom claims (JSON object)').fill('{"restored": true}');
    await frame.getByText('The custom claims are valid.').waitFor();

    // "Reload Window" runs the workbench's shutdown (which saves the editors and their webview state).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    frame = minterFrame(page);
    await frame.getByRole('heading', { name: 'Token Minter' }).waitFor({ timeout: 60_000 });
    assert.equal(await frame.getByLabel('Custom claims (JSON object)').inputValue(), '{"restored": true}');
    await frame.getByLabel('OAuth2 client').locator(`option[value="${PARTNER_PORTAL}"]`).waitFor({ state: 'attached' });
    assert.equal(await frame.getByLabel('OAuth2 client').inputValue(), PARTNER_PORTAL);
    assert.equal(await frame.locator('article.token-card').count(), 0);
    await screenshot(page, e2eSession().screenshotsDir, 'minter-restored-after-reload');
  });

  it('shows a hover over a token in an editor', async () => {
    const token = await mintDirectly(demoEmulator());
    const { page } = await openWorkbenchOn(demoEmulator());
    await connectDemoOrg(page); // the hover verifies tokens of connected orgs

    const editor = await openUntitledEditor(page, `Authorization: Bearer ${token}`);
    await page.keyboard.press('Home'); // scroll back to the start of the long line
    const lines = await editor.locator('.view-lines').boundingBox();
    assert.ok(lines, 'the editor shows no lines');
    await page.mouse.move(lines.x + 260, lines.y + 8); // over "Bearer eyJ…"
    await page.waitForTimeout(100);
    await page.mouse.move(lines.x + 262, lines.y + 9);
    const hover = page.locator('.monaco-hover .hover-contents, .monaco-hover .rendered-markdown').filter({ hasText: 'Valid' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const text = await page.locator('.monaco-hover').first().innerText();
    assert.match(text, /Bearer JWT/);
    assert.match(text, /"team": "blue"/);
    await screenshot(page, e2eSession().screenshotsDir, 'hover-over-bearer-token');
  });

  it('Decode Token: the token in the selection goes to a panel with its verdict; text that is no token gets a message', async () => {
    const token = await mintDirectly(demoEmulator());
    const { page } = await openWorkbenchOn(demoEmulator());
    await connectDemoOrg(page); // tokens of connected orgs are verified

    await openUntitledEditor(page, `curl -H "Authorization: Bearer ${token}" https://api.example.com/orders`);
    await page.keyboard.press('ControlOrMeta+A');
    await runCommand(page, 'SlashID: Decode Token');
    const viewer = minterFrame(page); // the same two iframes as any webview panel
    await viewer.getByRole('heading', { name: 'Decoded JWT' }).waitFor();
    await viewer.getByText('From the selection.').waitFor();
    const card = viewer.locator('article.token-card').first();
    await card.locator('[data-verdict="valid"]').waitFor();
    const payload = await card.locator('pre.payload').innerText();
    assert.match(payload, /"team": "blue"/);
    assert.match(payload, /"person_id": "0f8e2a61-/);
    assert.match(await card.locator('code.raw-token').innerText(), /••••/, 'the raw token is shown unmasked');
    await screenshot(page, e2eSession().screenshotsDir, 'decode-token-panel');

    await openUntitledEditor(page, 'eyJhbGciOiJSUzI1NiJ9.not-base64-json!.sig');
    await page.keyboard.press('ControlOrMeta+A');
    await runCommand(page, 'SlashID: Decode Token');
    const message = await waitForNotification(page, /Not a token that can be decoded/);
    assert.doesNotMatch(message, new RegExp(token.slice(0, 40)), 'the message repeats a token');
    await screenshot(page, e2eSession().screenshotsDir, 'decode-token-not-a-token');
  });
});

describe('token minter (UI) in each kind of theme', () => {
  const demoEmulator = useDemoEmulator();

  for (const [kind, theme] of [
    ['dark', 'Default Dark Modern'],
    ['high-contrast', 'Default High Contrast'],
    ['light high-contrast', 'Default High Contrast Light'],
  ] as const) {
    it(`is drawn with the ${kind} theme's colours`, async () => {
      const { page } = await openWorkbenchOn(demoEmulator(), { 'workbench.colorTheme': theme });
      await connectDemoOrg(page);
      await runCommand(page, 'SlashID: Open Token Minter');
      const frame = minterFrame(page);
      await frame.getByLabel('OAuth2 client').locator(`option[value="${PARTNER_PORTAL}"]`).waitFor({ state: 'attached' });
      await frame.getByLabel('OAuth2 client').selectOption(PARTNER_PORTAL);
      await frame.getByLabel('Person', { exact: true }).fill(ALICE);
      await frame.getByText(`Selected person: ${ALICE}`).waitFor(); // a typed ID that matches a person selects it
      await frame.getByLabel('Custom claims (JSON object)').fill('{\n  "team": "blue",\n  "sub": "me"\n}');
      await frame.locator('#claims-problems button.problem').first().waitFor();
      // The page takes its colours from the theme: body text is the theme's foreground, not a fixed colour.
      const colours = await frame.locator('body').evaluate((body) => {
        // Runs in the page (this file is compiled without the DOM library).
        const view = globalThis as unknown as {
          getComputedStyle(el: unknown): { color: string; backgroundColor: string; getPropertyValue(name: string): string };
        };
        const style = view.getComputedStyle(body);
        return { color: style.color, background: style.backgroundColor, foreground: style.getPropertyValue('--vscode-foreground').trim() };
      });
      assert.ok(colours.foreground.length > 0, 'no --vscode-foreground in the webview');
      assert.notEqual(colours.color, colours.background);
      await screenshot(page, e2eSession().screenshotsDir, `minter-theme-${kind.replace(/ /g, '-')}`);
    });
  }
});
