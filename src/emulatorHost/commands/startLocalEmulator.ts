import * as vscode from 'vscode';
import type { Services } from '../../services';
import { saveConnection } from '../../orgs/saveConnection';
import { connectionId, type OrgConnection } from '../../orgs/connections';

/**
 * "SlashID: Start Local Emulator": starts the bundled emulator in this extension host (or uses the one
 * in `slashid.localEmulator.url`) and connects its demo org through the same path as Connect.
 */
export async function startLocalEmulator(services: Services): Promise<OrgConnection> {
  const demo = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Starting the local SlashID emulator…' },
    () => services.emulator.ensureStarted(),
  );
  const existing = services.connections.get(connectionId(demo.orgId, 'emulator', demo.url));
  // The demo key is checked with a real call, as Connect does.
  await (await services.orgApis.forCandidate(demo.url, demo.orgId, demo.apiKey)).listClients();
  const connection = await saveConnection(services, {
    environment: 'emulator',
    baseUrl: demo.url,
    orgId: demo.orgId,
    apiKey: demo.apiKey,
    name: existing?.name ?? 'Local emulator (demo)',
  });
  void services.ui.info(`The local SlashID emulator is running at ${demo.url}; its demo organization is connected.`);
  return connection;
}
