import type { Services } from '../../services';
import { describeFailure } from '../../common/failures';
import { pickConnection } from '../pickers';
import type { OrgConnection } from '../connections';

function connectionOf(services: Services, node: unknown): OrgConnection | undefined {
  const target = (node as { target?: { connection?: OrgConnection } } | undefined)?.target;
  return target?.connection ? services.connections.get(target.connection.id) : undefined;
}

/** "SlashID: Rename Organization": the local display name only. */
export async function renameOrganization(services: Services, node?: unknown): Promise<boolean> {
  const connection = connectionOf(services, node) ?? (await pickConnection(services, 'Rename which organization?'));
  if (!connection) {
    return false;
  }
  const name = await services.ui.input({
    title: 'Rename Organization',
    prompt: `A name for ${connection.orgId} in VS Code (only stored locally)`,
    value: connection.name,
    validate: (t) => (t.trim() ? undefined : 'Enter a name.'),
  });
  if (!name || name.trim() === connection.name) {
    return false;
  }
  await services.connections.rename(connection.id, name.trim());
  return true;
}

/**
 * "SlashID: Disconnect Organization": after a modal confirmation, removes the connection, its API key
 * and every client secret stored for it from SecretStorage.
 */
export async function disconnectOrganization(services: Services, node?: unknown): Promise<boolean> {
  const connection = connectionOf(services, node) ?? (await pickConnection(services, 'Disconnect which organization?'));
  if (!connection) {
    return false;
  }
  const confirm = await services.ui.confirm(
    `Disconnect "${connection.name}"?`,
    `Its API key and every client secret stored for it are removed from VS Code's secret storage. Nothing changes in SlashID: the organization and its clients stay.\n\nOrg ID: ${connection.orgId}\nAPI: ${connection.baseUrl}`,
    'Disconnect',
  );
  if (!confirm) {
    return false;
  }
  await services.connections.remove(connection.id);
  await services.vault.forgetConnection(connection.id);
  services.model.invalidate();
  services.log.info('orgs', `disconnected ${connection.orgId}`);
  return true;
}

/** "SlashID: Replace API Key": the new key is checked with a real call before it replaces the old one. */
export async function replaceApiKey(services: Services, node?: unknown): Promise<boolean> {
  const connection = connectionOf(services, node) ?? (await pickConnection(services, 'Replace the API key of which organization?'));
  if (!connection) {
    return false;
  }
  const baseUrl = connection.environment === 'emulator' ? (services.emulator.currentUrl() ?? connection.baseUrl) : connection.baseUrl;
  const key = await services.ui.input({
    title: `Replace API Key — ${connection.name}`,
    prompt: `New API key of ${connection.orgId}: checked against ${baseUrl}, then stored in VS Code's secret storage`,
    password: true,
    validate: (text) => (text.trim() ? undefined : 'Enter the new API key.'),
    accept: async (text) => {
      try {
        await (await services.api.forCandidate(baseUrl, connection.orgId, text.trim())).listClients();
        return undefined;
      } catch (err) {
        return describeFailure(err);
      }
    },
  });
  if (!key) {
    return false;
  }
  await services.vault.storeApiKey(connection.id, key.trim());
  services.model.invalidate();
  void services.ui.info(`Replaced the API key of "${connection.name}".`);
  return true;
}
