import type { Services } from '../../services';
import { resolveClient } from '../commandArgs';
import { deleteClientOf } from '../../orgs/clientWrites';

/** "SlashID: Delete Client": a modal confirmation naming the client; removes its stored secret too. */
export async function deleteClient(services: Services, node?: unknown): Promise<boolean> {
  const ref = await resolveClient(services, node, 'Delete which client?');
  if (!ref) {
    return false;
  }
  const { target, client } = ref;
  const confirm = await services.ui.confirm(
    `Delete the OAuth2 client "${client.client_name}"?`,
    `Client ID: ${client.client_id}\n\nSlashID revokes its tokens, and its secret stored in VS Code is removed. This cannot be undone.`,
    'Delete Client',
  );
  if (!confirm) {
    return false;
  }
  await deleteClientOf(services, target, client);
  void services.ui.info(`Deleted the OAuth2 client "${client.client_name}".`);
  return true;
}
