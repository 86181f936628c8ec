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
  // A secret the server sent along anyway stays out of the document (any extension can read an open one).
  const { client_secret: echoed, ...shown } = client as OAuth2Client & { client_secret?: unknown };
  const view = {
    ...shown,
    ...(echoed === undefined ? {} : { client_secret: '(hidden: the API sent it; it is not shown here)' }),
    '//': `Organization ${ref.target.orgId} (${ref.target.connection.name}). Client secret ${hasSecret ? 'stored in VS Code secret storage' : 'not stored in VS Code'}.`,
  };
  // Depth-limited: a client nested thousands of levels deep (unknown fields are kept) must still show.
  const rendered = renderJson(view);
  const text = (rendered.note ? `// ${rendered.note}\n` : '') + rendered.text + '\n';
  const stored = hasSecret ? await services.vault.getClientSecret(ref.target.connection.id, client.client_id) : undefined;
  const secrets = [stored, typeof echoed === 'string' ? echoed : undefined].filter((x): x is string => !!x);
  await docs.show(`${client.client_name} (${client.client_id}).json`, text, 'jsonc', secrets);
  return client;
}
