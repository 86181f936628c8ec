/**
 * The `npm start` set-up: a workspace whose settings name an already running emulator. Opening the SlashID view
 * connects the emulator's demo org by itself (no command, no key typed), and the key never reaches settings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openActivityBarView, sideBarRow } from './workbench';
import { e2eSession, openWorkbenchOn, useDemoEmulator } from './session';

describe('workspace with slashid.localEmulator.url', () => {
  const demoEmulator = useDemoEmulator();

  it("connects the configured emulator's demo org when the view opens", async () => {
    const emulator = demoEmulator();
    const { page } = await openWorkbenchOn(emulator);

    await openActivityBarView(page, 'SlashID');
    const org = sideBarRow(page, 'Local emulator (demo)');
    await org.waitFor();
    await org.click();
    await page.locator('.part.sidebar .monaco-list-row[aria-level="2"]').first().waitFor();

    assert.ok(emulator.requests.some((r) => r.method === 'GET' && r.path === '/oauth2/clients' && r.status === 200));
    const settingsFiles = fs
      .readdirSync(e2eSession().workspacesDir)
      .map((dir) => path.join(e2eSession().workspacesDir, dir, '.vscode', 'settings.json'));
    for (const file of settingsFiles.filter((f) => fs.existsSync(f))) {
      assert.ok(!fs.readFileSync(file, 'utf8').includes(emulator.demo!.apiKey), `the demo API key is in ${file}`);
    }
  });
});
