import type { Services } from '../../services';
import { describeFailure } from '../../common/failures';
import { connectionOf, pickConnection } from '../pickers';

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
        await (await services.orgApis.forCandidate(baseUrl, connection.orgId, text.trim())).listClients();
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
