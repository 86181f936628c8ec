/**
 * Token inspection while debugging, in the real workbench: hovering a token in a TypeScript file right
 * after the window opens (the SlashID view never opened), right-clicking a variable of a Node program
 * paused by the built-in JavaScript debugger → Decode Token → the token panel, and opening a token
 * printed in a terminal through its link. Screenshots of each go to test-results/screenshots/.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import type { Emulator } from '../../emulator/index';
import { openActivityBarView, runCommand, screenshot, sideBarRow } from './workbench';
import { e2eSession, openWorkbenchOn, useDemoEmulator } from './session';

const PARTNER_PORTAL = '8c5e1a93-7f4b-4d26-a0e9-5b3c7d8f1e24';
const ALICE = '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31';

async function mint(emulator: Emulator, claims: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${emulator.url}/oauth2/tokens/mint`, {
    method: 'POST',
    headers: { 'SlashID-OrgID': emulator.demo!.orgId, 'SlashID-API-Key': emulator.demo!.apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ person_id: ALICE, client_id: PARTNER_PORTAL, scopes: [], custom_claims: claims }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { result: { access_token: string } }).result.access_token;
}

function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function connectDemoOrg(page: Page): Promise<void> {
  await openActivityBarView(page, 'SlashID');
  const org = sideBarRow(page, 'Local emulator (demo)');
  await org.waitFor();
  await org.click();
  await sideBarRow(page, 'Partner Portal').waitFor();
}

/** Quick Open (Ctrl+P) a workspace file by name. */
async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+P');
  await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible' });
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .monaco-editor').first().waitFor();
}

describe('inspection while debugging (UI)', () => {
  const demoEmulator = useDemoEmulator();

  it('hovers a token in a .ts file right after the window opens', async () => {
    const token = await mint(demoEmulator(), { team: 'blue' });
    const { page } = await openWorkbenchOn(demoEmulator(), {}, { 'src/auth.ts': `export const token = '${token}';\n` });
    await openFile(page, 'auth.ts');
    const lines = await page.locator('.editor-instance .monaco-editor .view-lines').first().boundingBox();
    assert.ok(lines, 'the editor shows no lines');
    // Hover as a person would, right away: while the window is still starting, move away and back
    // until the hover shows (the extension wakes up on onStartupFinished).
    const hover = page.locator('.monaco-hover .rendered-markdown').filter({ hasText: '"team": "blue"' }).first();
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      await page.mouse.move(lines.x + 250, lines.y + 300);
      await page.mouse.move(lines.x + 260 + (attempt % 2) * 4, lines.y + 8); // over "eyJ…", past "export const token = '"
      try {
        await hover.waitFor({ timeout: 3_000 });
        break;
      } catch (err) {
        if (Date.now() - started > 45_000) throw err;
      }
    }
    const text = await page.locator('.monaco-hover').first().innerText();
    assert.match(text, /JWT/);
    assert.match(text, /"person_id": "0f8e2a61-/);
    await screenshot(page, e2eSession().screenshotsDir, 'hover-in-typescript-at-startup');
  });

  it('decodes a variable of a paused program from the Variables view', async () => {
    const token = await mint(demoEmulator(), { team: 'blue', role: 'debugger' });
    const program = [
      `const accessToken = '${token}';`,
      `const greeting = 'hello';`,
      'debugger;',
      'console.log(accessToken.length, greeting);',
      '',
    ];
    const launch = {
      version: '0.2.0',
      configurations: [
        {
          type: 'pwa-node',
          request: 'launch',
          name: 'Token program',
          program: '${workspaceFolder}/program.js',
          runtimeExecutable: process.execPath,
          console: 'internalConsole',
        },
      ],
    };
    const { page } = await openWorkbenchOn(
      demoEmulator(),
      {},
      { 'program.js': program.join('\n'), '.vscode/launch.json': JSON.stringify(launch) },
    );
    await connectDemoOrg(page); // tokens of connected orgs are verified

    await page.keyboard.press('F5'); // Debug: Start Debugging, with the workspace's launch.json
    await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
    await openActivityBarView(page, 'Run and Debug');
    // The workbench expands the first scope only when the paused thread is focused in time; a person
    // clicks "Local" when it stays closed, and so does the test.
    const local = page.locator('.debug-variables .monaco-list-row', { hasText: /^Local$/ }).first();
    await local.waitFor({ timeout: 60_000 });
    if ((await local.getAttribute('aria-expanded')) === 'false') await local.click();
    const row = page.locator('.debug-variables .monaco-list-row', { hasText: /^accessToken/ }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Decode Token' }).first();
    await item.waitFor();
    await screenshot(page, e2eSession().screenshotsDir, 'debug-variable-context-menu');
    await item.click();

    const viewer = panelFrame(page);
    await viewer.getByRole('heading', { name: 'Decoded JWT' }).waitFor({ timeout: 30_000 });
    await viewer.getByText(/From the variable "accessToken" of the paused program, read in full by the debugger/).waitFor();
    const card = viewer.locator('article.token-card').first();
    await card.locator('[data-verdict="valid"]').waitFor();
    assert.match(await card.locator('pre.payload').innerText(), /"role": "debugger"/);
    await screenshot(page, e2eSession().screenshotsDir, 'debug-variable-decoded');
    await page.keyboard.press('Shift+F5'); // Debug: Stop
  });

  it('opens a token printed in a terminal through its link', async () => {
    const token = await mint(demoEmulator(), { team: 'terminal' });
    // The DOM renderer draws rows as elements (the GPU renderers draw on a canvas).
    const { page } = await openWorkbenchOn(demoEmulator(), { 'terminal.integrated.gpuAcceleration': 'off' }, { 'token.txt': token });
    await connectDemoOrg(page);
    await runCommand(page, 'Terminal: Create New Terminal');
    const terminal = page.locator('.terminal-wrapper .xterm').first();
    await terminal.waitFor({ timeout: 30_000 });
    await terminal.click();
    await page.keyboard.type('clear; echo "token=$(cat token.txt)"');
    await page.keyboard.press('Enter');

    // The echoed line (not the command line): the last terminal row starting with "token=eyJ".
    const output = page.locator('.xterm-rows > div', { hasText: /^token=eyJ/ }).last();
    await output.waitFor({ timeout: 30_000 });
    const box = await output.boundingBox();
    assert.ok(box, 'the terminal row is not drawn');
    await page.mouse.move(box.x + 120, box.y + box.height / 2);
    await page.waitForTimeout(300);
    await page.mouse.move(box.x + 124, box.y + box.height / 2);
    await page.waitForTimeout(1_000); // the link is underlined and its tooltip ("Decode JWT (SlashID)") shows
    await screenshot(page, e2eSession().screenshotsDir, 'terminal-token-link-hover');
    await page.keyboard.down('Control');
    await page.mouse.click(box.x + 124, box.y + box.height / 2);
    await page.keyboard.up('Control');
    const viewer = panelFrame(page);
    await viewer.getByRole('heading', { name: 'Decoded JWT' }).waitFor({ timeout: 30_000 });
    await viewer.getByText('From a terminal.').waitFor();
    const card = viewer.locator('article.token-card').first();
    await card.locator('[data-verdict="valid"]').waitFor();
    assert.match(await card.locator('pre.payload').innerText(), /"team": "terminal"/);
    await screenshot(page, e2eSession().screenshotsDir, 'terminal-token-link-decoded');
  });
});
