/**
 * First UI test: the extension activates in a real workbench, its view shows the welcome content with a Connect
 * button (no org yet), and "SlashID: Start Local Emulator" run from the command palette puts the demo org in the
 * tree, with its clients under it.
 */
import * as assert from 'node:assert/strict';
import { DEMO_CLIENTS, DEMO_ORG_ID } from '../../emulator/index';
import { openActivityBarView, runCommand, sideBarRow, waitForNotification } from './workbench';
import { openSlashIdWorkbench } from './session';

describe('SlashID view', () => {
  it('shows the welcome view, then the demo org after "Start Local Emulator" from the palette', async () => {
    const { page } = await openSlashIdWorkbench();

    await openActivityBarView(page, 'SlashID');
    // The welcome content needs `slashid.ready`, which activate() sets: seeing it means the extension activated.
    const welcome = page.locator('.part.sidebar .welcome-view-content');
    await welcome.getByRole('button', { name: 'Connect Organization' }).waitFor();
    await welcome.getByRole('button', { name: 'Start Local Emulator' }).waitFor();

    await runCommand(page, 'SlashID: Start Local Emulator');
    const org = sideBarRow(page, 'Local emulator (demo)');
    await org.waitFor();
    assert.equal(await welcome.count(), 0, 'the welcome view is gone once an org is connected');

    await org.click(); // expand: the demo org's clients load from the emulator running in the extension host
    for (const client of DEMO_CLIENTS.filter((c) => c.org_id === DEMO_ORG_ID)) {
      await sideBarRow(page, client.client_name!).waitFor();
    }

    const message = await waitForNotification(page, 'The local SlashID emulator is running at');
    assert.match(message, /http:\/\/127\.0\.0\.1:\d+/);
  });
});
