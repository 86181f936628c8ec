/**
 * Another extension calling our chat tools outside a chat request, in the real workbench (whose dialog service
 * really asks, unlike the one of an extension host started for tests). VS Code 1.139 would show a tool's
 * `confirmationMessages` in a modal dialog for such a call (languageModelToolsService.ts: `IDialogService.confirm`);
 * the tools that read or change an organization ask nothing there and refuse in `invoke()`, so no dialog appears,
 * nothing is read or written, and the caller learns to use the chat. The caller is test/e2e/chatCaller, run from
 * the palette. The confirmations a chat request shows are checked in test/integration/chat.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

describe('chat tools: called by another extension outside a chat', () => {
  const demoEmulator = useDemoEmulator();

  it('shows no dialog, reads and changes nothing, and tells the caller to use the chat', async function () {
    this.timeout(180_000);
    const emulator = demoEmulator();
    const demo = emulator.demo!;
    const [clientId] = demo.clientIds;
    const [personId] = demo.personIds;
    const { page, call, outcome } = await chatCaller(emulator);
    const org = demo.orgId;
    const before = emulator.requests.length;
    const cases: [string, object][] = [
      ['slashid_deleteClient', { org, clientId }],
      ['slashid_createClient', { org, name: 'e2e never created', grantTypes: ['client_credentials'] }],
      ['slashid_rotateClientSecret', { org, clientId }],
      ['slashid_mintTokens', { org, clientId, personId, customClaims: { team: 'blue' } }],
      ['slashid_searchPersons', { org, search: 'alice@example.com' }],
      ['slashid_listClients', { org }],
      ['slashid_showClient', { org, clientId }],
    ];
    let count = 0;
    for (const [tool, input] of cases) {
      await call(tool, input);
      const done = await outcome(++count);
      assert.match(done, /^result \{"ok":false,"error":"\w+ answers only a request made in VS Code's chat, .*nothing was sent\./, tool);
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, `${tool} showed a dialog`);
    }
    await screenshot(page, e2eSession().screenshotsDir, 'chat-tool-outside-chat');
    const sent = emulator.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(
      sent.filter((r) => /persons|clients|mint/.test(r) || !r.startsWith('GET ')),
      [],
      'a call from outside a chat reached the API',
    );
  });
});
