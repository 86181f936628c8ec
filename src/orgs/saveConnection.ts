import type { Services } from '../services';
import { connectionId, type Environment, type OrgConnection } from './connections';

/**
 * Saves a checked connection (Connect Organization and Start Local Emulator both end here). Stores the
 * key first, then the connection; nothing half-written if either step fails.
 */
export async function saveConnection(
  services: Services,
  input: { environment: Environment; baseUrl: string; orgId: string; apiKey: string; name: string },
): Promise<OrgConnection> {
  const connection: OrgConnection = {
    id: connectionId(input.orgId, input.environment, input.baseUrl),
    orgId: input.orgId,
    name: input.name,
    environment: input.environment,
    baseUrl: input.baseUrl,
    addedAt: new Date().toISOString(),
  };
  const existed = services.connections.get(connection.id) !== undefined;
  await services.vault.storeApiKey(connection.id, input.apiKey);
  try {
    await services.connections.add(connection);
  } catch (err) {
    if (!existed) {
      await services.vault.forgetConnection(connection.id);
    }
    throw err;
  }
  services.model.invalidate();
  services.log.info('orgs', `connected ${connection.orgId} (${connection.environment}, ${connection.baseUrl})`);
  return connection;
}
