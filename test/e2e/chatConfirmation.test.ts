/**
 * VS Code's own confirmation of a chat tool that changes something. `vscode.lm.invokeTool` outside a chat request
 * (no toolInvocationToken) shows the tool's `confirmationMessages` in a modal dialog (VS Code 1.139,
 * languageModelToolsService.ts: `IDialogService.confirm`, and a CancellationError when it is not confirmed). The
 * dialog service confirms by itself in an extension host started for tests (`extensionTestsPath`), so the call
 * comes from another extension installed in the e2e workbench (test/e2e/chatCaller), run from the palette.
 * This test reads the dialog, cancels it (nothing is deleted), then confirms it (the client is deleted).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { e2eSession, openWorkbenchOn, useDemoEmulator } from './session';
import { openActivityBarView, runCommand, screenshot, sideBarRow } from './workbench';

const CALL_TITLE = 'SlashID e2e: Call Chat Tool';

async function nextOutcome(file: string, count: number, timeoutMs = 30_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.length >= count) return lines[count - 1];
    if (Date.now() - started > timeoutMs) throw new Error(`no outcome ${count} in time; outcomes: ${lines.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function dialogText(page: Page): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  return (await dialog.innerText()).replace(/\s+/g, ' ');
}

async function clickDialogButton(page: Page, label: RegExp): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('chat tools: the confirmation dialog', () => {
  const demoEmulator = useDemoEmulator();

  it('names the client in a modal dialog; Cancel deletes nothing, confirming deletes it', async function () {
    this.timeout(120_000);
    const emulator = demoEmulator();
    const demo = emulator.demo!;
    const clientId = demo.clientIds[0];
    const { page } = await openWorkbenchOn(emulator);
    // The workspace folder openWorkbenchOn just made: the highest-numbered one.
    const { workspacesDir } = e2eSession();
    const newest = fs
      .readdirSync(workspacesDir)
      .filter((name) => /^workspace-\d+$/.test(name))
      .sort((a, b) => Number(a.slice(10)) - Number(b.slice(10)))
      .at(-1);
    const folder = path.join(workspacesDir, newest ?? '');
    assert.ok(fs.existsSync(path.join(folder, '.vscode')), `no workspace folder at ${folder}`);
    fs.writeFileSync(
      path.join(folder, '.vscode', 'chat-call.json'),
      JSON.stringify({ tool: 'slashid_deleteClient', input: { org: demo.orgId, clientId } }),
    );
    const outcomes = path.join(folder, 'chat-outcomes.log');
    // Opening the view connects the configured emulator's demo org.
    await openActivityBarView(page, 'SlashID');
    await sideBarRow(page, 'Local emulator (demo)').waitFor();
    const deletes = () => emulator.requests.filter((r) => r.method === 'DELETE').length;

    await runCommand(page, CALL_TITLE);
    const asked = await dialogText(page);
    assert.match(asked, /Delete the OAuth2 client "[^"]+"\?/);
    assert.match(
      asked,
      new RegExp(`\\(client ID ${clientId}\\) in Local emulator \\(demo\\) \\(org ${demo.orgId}\\) and revokes its tokens`),
    );
    assert.match(asked, /This cannot be undone\./);
    await screenshot(page, e2eSession().screenshotsDir, 'chat-tool-confirmation');
    await clickDialogButton(page, /^Cancel$/);
    assert.match(await nextOutcome(outcomes, 1), /^rejected .*Cancel/i);
    assert.equal(deletes(), 0, 'a tool cancelled at the confirmation deleted the client');

    await runCommand(page, CALL_TITLE);
    await dialogText(page);
    await clickDialogButton(page, /^(?!Cancel$).+/);
    const done = await nextOutcome(outcomes, 2);
    assert.match(done, new RegExp(`^result \\{"ok":true,.*"deleted":\\{"clientId":"${clientId}"`));
    assert.equal(deletes(), 1);
    assert.ok(emulator.requests.some((r) => r.method === 'DELETE' && r.path === `/oauth2/clients/${clientId}` && r.status === 204));
  });
});
