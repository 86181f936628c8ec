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
import type { Emulator } from '../../emulator/index';
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

/** A workbench on the demo emulator whose chatCaller extension calls the tools this returns `call` for. */
async function chatCaller(emulator: Emulator) {
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
  const outcomes = path.join(folder, 'chat-outcomes.log');
  // Opening the view connects the configured emulator's demo org.
  await openActivityBarView(page, 'SlashID');
  await sideBarRow(page, 'Local emulator (demo)').waitFor();
  return {
    page,
    /** Has the chatCaller extension call `tool` with `input` (from the palette), as another extension would. */
    call: async (tool: string, input: object): Promise<void> => {
      fs.writeFileSync(path.join(folder, '.vscode', 'chat-call.json'), JSON.stringify({ tool, input }));
      await runCommand(page, CALL_TITLE);
    },
    outcome: (count: number) => nextOutcome(outcomes, count),
  };
}

describe('chat tools: the confirmation dialog', () => {
  const demoEmulator = useDemoEmulator();

  it('names the client in a modal dialog; Cancel deletes nothing, confirming deletes it', async function () {
    this.timeout(120_000);
    const emulator = demoEmulator();
    const demo = emulator.demo!;
    const clientId = demo.clientIds[0];
    const { page, call, outcome } = await chatCaller(emulator);
    const deletes = () => emulator.requests.filter((r) => r.method === 'DELETE').length;

    await call('slashid_deleteClient', { org: demo.orgId, clientId });
    const asked = await dialogText(page);
    assert.match(asked, /Delete the OAuth2 client "[^"]+"\?/);
    assert.match(
      asked,
      new RegExp(`\\(client ID ${clientId}\\) in Local emulator \\(demo\\) \\(org ${demo.orgId}\\) and revokes its tokens`),
    );
    assert.match(asked, /This cannot be undone\./);
    await screenshot(page, e2eSession().screenshotsDir, 'chat-tool-confirmation');
    await clickDialogButton(page, /^Cancel$/);
    assert.match(await outcome(1), /^rejected .*Cancel/i);
    assert.equal(deletes(), 0, 'a tool cancelled at the confirmation deleted the client');

    await call('slashid_deleteClient', { org: demo.orgId, clientId });
    await dialogText(page);
    await clickDialogButton(page, /^(?!Cancel$).+/);
    const done = await outcome(2);
    assert.match(done, new RegExp(`^result \\{"ok":true,.*"deleted":\\{"clientId":"${clientId}"`));
    assert.equal(deletes(), 1);
    assert.ok(emulator.requests.some((r) => r.method === 'DELETE' && r.path === `/oauth2/clients/${clientId}` && r.status === 204));
  });

  it('names exactly what create, rotate and mint will do; Cancel changes nothing', async function () {
    this.timeout(180_000);
    const emulator = demoEmulator();
    const demo = emulator.demo!;
    const clientId = demo.clientIds[1]; // Customer Web App (the test above deletes the first one)
    const [personId] = demo.personIds;
    const { page, call, outcome } = await chatCaller(emulator);
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').length;
    const writesBefore = writes();
    const where = `in Local emulator \\(demo\\) \\(org ${demo.orgId}\\)`;
    const cases: [string, object, RegExp[]][] = [
      [
        'slashid_createClient',
        { org: demo.orgId, name: 'e2e never created', grantTypes: ['client_credentials'], scopes: ['reports:read'] },
        [
          /Create the OAuth2 client "e2e never created" in Local emulator \(demo\)\?/,
          /grant types: client_credentials; scopes: reports:read; confidential/,
          /Its secret is stored in VS Code's secret storage and is not shown to the chat\./,
        ],
      ],
      [
        'slashid_rotateClientSecret',
        { org: demo.orgId, clientId },
        [
          /Rotate the secret of "Customer Web App"\?/,
          new RegExp(`"Customer Web App" \\(client ID ${clientId}\\) ${where} and the current one stops working at once`),
        ],
      ],
      [
        'slashid_mintTokens',
        { org: demo.orgId, clientId, personId, scopes: ['openid'], customClaims: { team: 'blue' } },
        [
          new RegExp(`Mint tokens for person ${personId}\\?`),
          new RegExp(
            `with the client "Customer Web App" \\(client ID ${clientId}\\) ${where}; scopes: openid; custom claims: \\{"team":"blue"\\}`,
          ),
          /the chat sees only their decoded payloads and verdicts/,
        ],
      ],
    ];
    let count = 0;
    for (const [tool, input, expected] of cases) {
      await call(tool, input);
      const asked = await dialogText(page);
      for (const pattern of expected) assert.match(asked, pattern, tool);
      await clickDialogButton(page, /^Cancel$/);
      assert.match(await outcome(++count), /^rejected .*Cancel/i, tool);
    }
    assert.equal(writes(), writesBefore, 'a tool cancelled at the confirmation sent a write');
    assert.ok(!emulator.requests.some((r) => r.path === '/oauth2/tokens/mint'), 'a cancelled mint reached the API');
  });
});
