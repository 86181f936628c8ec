import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveClient } from '../commandArgs';
import { inertLabel } from '../../slashid/untrustedText';

/** "SlashID: Copy Client Secret": from SecretStorage; says clearly when none is stored. */
export async function copyClientSecret(services: Services, node?: unknown): Promise<boolean> {
  const ref = await resolveClient(services, node, 'Copy the secret of which client?');
  if (!ref) {
    return false;
  }
  const secret = await services.vault.getClientSecret(ref.target.connection.id, ref.client.client_id);
  if (!secret) {
    const choice = await services.ui.info(
      `No secret is stored in VS Code for "${ref.client.client_name}". SlashID shows a secret only once: store one you have, or rotate to get a new one.`,
      'Store Existing Secret',
      'Rotate Secret',
    );
    if (choice === 'Store Existing Secret') {
      await vscode.commands.executeCommand('slashid.clients.storeSecret', node);
    } else if (choice === 'Rotate Secret') {
      await vscode.commands.executeCommand('slashid.clients.rotateSecret', node);
    }
    return false;
  }
  await vscode.env.clipboard.writeText(secret);
  vscode.window.setStatusBarMessage(`$(key) Copied the secret of "${inertLabel(ref.client.client_name)}"`, 3000);
  return true;
}
