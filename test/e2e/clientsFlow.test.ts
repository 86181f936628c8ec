/**
 * The heart of the extension as a person clicks it: connect an org (a wrong key first), see its clients, create a
 * client, rotate its secret, delete it — in the real workbench, against an emulator on loopback.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../../emulator/index';
import { answerQuickInput, openActivityBarView, pickQuickPickItem, screenshot, sideBarRow, waitForNotification } from './workbench';
import { openSlashIdWorkbench } from './session';

const ORG = '6a1f0c2e-8d3b-4e57-9a10-2b4c6d8e0f13';
const KEY = 'e2e-admin-key-4b7d9f1a3c5e';

/** Waits for the input box asking `prompt` (multi-step inputs reuse one box), then answers it. */
async function answerPrompt(page: Page, prompt: string | RegExp, value: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-message', { hasText: prompt }).waitFor();
  await answerQuickInput(page, value);
}

async function clickDialogButton(page: Page, label: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: label }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function contextMenu(page: Page, row: string, action: string): Promise<void> {
  await sideBarRow(page, row).first().click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.locator('.action-item a.action-menu-item', { hasText: action }).first();
  await item.waitFor();
  // A menu may ignore a click that lands while it is still opening: hover (which focuses the item), click,
  // and fall back to Enter on the focused item if the menu is still open.
  await item.hover();
  await item.click();
  if (
    !(await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(
      () => true,
      () => false,
    ))
  ) {
    await item.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }
}

describe('organizations and clients, clicked', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({
      port: 0,
      demo: false,
      seed: {
        orgs: [{ id: ORG, api_key: KEY, name: 'E2E' }],
        persons: [],
        clients: [{ client_name: 'inventory-sync', org_id: ORG, grant_types: ['client_credentials'], scopes: ['inventory:read'] }],
      },
    });
  });
  after(() => emulator.close());

  it('connect (wrong key, then right) → clients → create → rotate → delete', async () => {
    const { page } = await openSlashIdWorkbench();
    await openActivityBarView(page, 'SlashID');
    await page.locator('.part.sidebar .welcome-view-content').getByRole('button', { name: 'Connect Organization' }).click();

    await pickQuickPickItem(page, 'Custom URL');
    await answerPrompt(page, 'The SlashID API base URL', emulator.url);
    await answerPrompt(page, 'Organization ID', ORG);
    await answerPrompt(page, 'API key of', 'definitely-the-wrong-key');
    const refusal = page.locator('.quick-input-widget .quick-input-message', { hasText: /rejected|401/ });
    await refusal.waitFor();
    assert.ok(!(await refusal.innerText()).includes('definitely-the-wrong-key'));
    await answerQuickInput(page, KEY);
    await answerPrompt(page, 'A name for this organization', 'E2E org');

    const org = sideBarRow(page, 'E2E org');
    await org.waitFor();
    await org.click();
    await sideBarRow(page, 'inventory-sync').waitFor();

    // Create a client from the org's context menu.
    await contextMenu(page, 'E2E org', 'Create OAuth2 Client');
    await answerPrompt(page, 'Client name', 'e2e-reporting');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'client_credentials' }).waitFor();
    await page.keyboard.press('Enter'); // grant types: client_credentials is preselected
    await answerPrompt(page, 'Scopes the client may request', 'reports:read');
    await answerPrompt(page, 'Access token lifetime', '2h');
    await waitForNotification(page, 'Created OAuth2 client "e2e-reporting"');
    await page.keyboard.press('Escape');
    await sideBarRow(page, 'e2e-reporting').click();
    await sideBarRow(page, 'Access token lifetime').waitFor();
    await screenshot(page, 'test-results/screenshots', 'clients-tree-with-details');

    // Rotate its secret: a modal explains that the old secret stops working at once.
    await contextMenu(page, 'e2e-reporting', 'Rotate Client Secret');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /stops working at once/);
    await clickDialogButton(page, 'Rotate Secret');
    await waitForNotification(page, /new secret is stored and works/);
    await page.keyboard.press('Escape');

    // Delete it after a modal confirmation naming it.
    await contextMenu(page, 'e2e-reporting', 'Delete Client');
    await page.locator('.monaco-dialog-box', { hasText: 'e2e-reporting' }).waitFor();
    await clickDialogButton(page, 'Delete Client');
    await sideBarRow(page, 'e2e-reporting').waitFor({ state: 'detached' });
    await sideBarRow(page, 'inventory-sync').waitFor();
    const listed = await fetch(`${emulator.url}/oauth2/clients`, { headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY } }).then(
      (r) => r.json() as Promise<{ result: { client_name: string }[] }>,
    );
    assert.deepEqual(
      listed.result.map((c) => c.client_name),
      ['inventory-sync'],
    );
  });
});
