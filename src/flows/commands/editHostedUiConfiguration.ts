import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveClient } from '../../clients/commandArgs';
import { HostedUiDocuments } from '../hostedUiDocuments';

/**
 * "SlashID: Edit Hosted UI Configuration": the client's `ui-configuration` opened as a JSON document
 * (checked against the schema while editing); saving it PUTs it.
 */
export async function editHostedUiConfiguration(
  services: Services,
  documents: HostedUiDocuments,
  node?: unknown,
): Promise<{ uri: string } | undefined> {
  const ref = await resolveClient(services, node, 'Edit the hosted UI configuration of which client?');
  if (!ref) return undefined;
  const uri = HostedUiDocuments.uriFor(ref.target, ref.client.client_id, ref.client.client_name || ref.client.client_id);
  // Already open (maybe with unsaved edits): shown as it is, not read again.
  let document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!document) {
    try {
      await documents.prefetch(uri);
      document = await vscode.workspace.openTextDocument(uri);
    } finally {
      documents.forget(uri);
    }
  }
  await vscode.languages.setTextDocumentLanguage(document, 'json');
  await vscode.window.showTextDocument(document, { preview: false });
  return { uri: uri.toString() };
}
