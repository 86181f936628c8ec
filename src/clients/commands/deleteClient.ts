import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveClient } from '../commandArgs';
import { UserFacingError, describeFailure, isLostAnswer } from '../../common/failures';
import { inertLabel } from '../../slashid/untrustedText';

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
  const api = await services.orgApis.forTarget(target);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deleting "${inertLabel(client.client_name)}"…` },
      () => api.deleteClient(client.client_id),
    );
  } catch (err) {
    if (isLostAnswer(err)) {
      services.model.invalidate(target);
      throw new UserFacingError(
        `The request to delete "${client.client_name}" was sent but no answer arrived (${describeFailure(err)}). SlashID may have deleted it: the list is refreshed; its stored secret was kept.`,
      );
    }
    throw err;
  }
  await services.vault.deleteClientSecret(target.connection.id, client.client_id);
  services.model.removeClient(target, client.client_id);
  services.log.info('clients', `deleted client ${client.client_id}`);
  void services.ui.info(`Deleted the OAuth2 client "${client.client_name}".`);
  return true;
}
