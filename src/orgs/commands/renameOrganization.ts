import type { Services } from '../../services';
import { connectionOf, pickConnection } from '../pickers';

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
