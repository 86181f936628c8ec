import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveClient } from '../commandArgs';
import { inertLabel } from '../../slashid/untrustedText';

/** "SlashID: Copy Client ID". */
export async function copyClientId(services: Services, node?: unknown): Promise<string | undefined> {
  const ref = await resolveClient(services, node, 'Copy the ID of which client?');
  if (!ref) {
    return undefined;
  }
  await vscode.env.clipboard.writeText(ref.client.client_id);
  vscode.window.setStatusBarMessage(`$(copy) Copied the client ID of "${inertLabel(ref.client.client_name)}"`, 3000);
  return ref.client.client_id;
}
