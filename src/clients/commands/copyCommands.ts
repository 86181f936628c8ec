import * as vscode from 'vscode';
import type { Services } from '../../services';
import { toCurl } from '../../slashid/curl';
import { resolveClient } from '../commandArgs';
import type { DetailNode } from '../treeNodes';

/** "SlashID: Copy Client ID". */
export async function copyClientId(services: Services, node?: unknown): Promise<string | undefined> {
  const ref = await resolveClient(services, node, 'Copy the ID of which client?');
  if (!ref) {
    return undefined;
  }
  await vscode.env.clipboard.writeText(ref.client.client_id);
  vscode.window.setStatusBarMessage(`$(copy) Copied the client ID of "${ref.client.client_name}"`, 3000);
  return ref.client.client_id;
}

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
  vscode.window.setStatusBarMessage(`$(key) Copied the secret of "${ref.client.client_name}"`, 3000);
  return true;
}

/** "Copy Value" on a detail row of the tree. */
export async function copyDetailValue(node?: DetailNode): Promise<void> {
  if (node?.copyValue) {
    await vscode.env.clipboard.writeText(node.copyValue);
    vscode.window.setStatusBarMessage(`$(copy) Copied ${node.label}`, 3000);
  }
}

/** "SlashID: Copy Last Request as curl": the API key, client secrets and tokens are redacted. */
export async function copyLastRequestAsCurl(services: Services): Promise<string | undefined> {
  const last = services.api.lastRequest;
  if (!last) {
    void services.ui.info('No SlashID request has been made in this window yet. Run a SlashID command first.');
    return undefined;
  }
  const curl = toCurl(last);
  await vscode.env.clipboard.writeText(curl);
  void services.ui.info(
    `Copied "${last.method} ${new URL(last.url).pathname}" as curl. The API key and secrets are replaced by placeholders.`,
  );
  return curl;
}
