import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveClient } from '../../clients/commandArgs';
import { HOSTED_UI_LANGUAGE } from '../../shell/contributions';
import { HostedUiDocuments } from '../hostedUiDocuments';

/**
 * "SlashID: Edit Hosted UI Configuration": the client's `ui-configuration` opened as a JSON document
 * (checked against the schema while editing); the user's own save PUTs it (see `HostedUiDocuments`).
 */
export async function editHostedUiConfiguration(
  services: Services,
  documents: HostedUiDocuments,
  node?: unknown,
): Promise<{ uri: string } | undefined> {
  const ref = await resolveClient(services, node, 'Edit the hosted UI configuration of which client?');
  if (!ref) return undefined;
  const name = ref.client.client_name || ref.client.client_id;
  const uri = HostedUiDocuments.uriFor(ref.target, ref.client.client_id, name);
  // Already open (maybe with unsaved edits): shown as it is, not read again.
  let document = documents.isHandedOut(uri) ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
  if (!document) {
    await documents.handOut(uri, ref.target, ref.client.client_id, name);
    document = await vscode.workspace.openTextDocument(uri);
  }
  // JSON, checked by the JSON language server, in a language of its own so that auto-save stays off (package.json).
  if (document.languageId !== HOSTED_UI_LANGUAGE) document = await vscode.languages.setTextDocumentLanguage(document, HOSTED_UI_LANGUAGE);
  await vscode.window.showTextDocument(document, { preview: false });
  return { uri: uri.toString() };
}
