import type { Services } from '../../services';
import { connectionOf, pickConnection } from '../pickers';

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
