import * as vscode from 'vscode';
import type { Services } from '../../services';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import { inertLabel } from '../../slashid/untrustedText';
import { resolveClient } from '../commandArgs';
import type { OAuth2Client } from '../../slashid/schemas';
import { renderJson } from '../../tokens/renderJson';

/**
 * "SlashID: Show Client Details": `GET /oauth2/clients/{id}` as a read-only JSON document titled with
 * the client's name. 403 and 404 come back as sentences from `describeError`.
 */
export async function showClient(services: Services, docs: ReadOnlyDocuments, node?: unknown): Promise<OAuth2Client | undefined> {
  const ref = await resolveClient(services, node, 'Show which client?');
  if (!ref) {
    return undefined;
  }
  const api = await services.orgApis.forTarget(ref.target);
  const client = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Loading "${inertLabel(ref.client.client_name)}"…` },
    () => api.getClient(ref.client.client_id),
  );
  services.model.upsertClient(ref.target, client);
  const hasSecret = services.vault.hasClientSecret(ref.target.connection.id, client.client_id);
  const view = {
    ...client,
    '//': `Organization ${ref.target.orgId} (${ref.target.connection.name}). Client secret ${hasSecret ? 'stored in VS Code secret storage' : 'not stored in VS Code'}.`,
  };
  // Depth-limited: a client nested thousands of levels deep (unknown fields are kept) must still show.
  const rendered = renderJson(view);
  const text = (rendered.note ? `// ${rendered.note}\n` : '') + rendered.text + '\n';
  await docs.show(`${client.client_name} (${client.client_id}).json`, text, 'jsonc');
  return client;
}
